package io.fathom.offline;

import io.fathom.offline.internal.Layout;
import io.fathom.offline.internal.ParquetFiles;
import io.fathom.offline.internal.SnapshotFileName;
import io.fathom.offline.internal.SnapshotSchema;
import io.fathom.schemas.AvroCodec;
import io.fathom.schemas.avro.EntityState;
import io.fathom.schemas.avro.FeatureSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/** Snapshots for writer tests, and what the writer stored in a local offline store. */
final class StoredSnapshots {
    static final AvroCodec<FeatureSnapshot> CODEC = AvroCodec.of(FeatureSnapshot.getClassSchema());

    /** One stored row, and the file it is in. */
    record Row(Path file, SnapshotFileName name, String date, int partition, long offset, String key, long eventTs) {}

    /** Where a produced snapshot landed. */
    record Position(int partition, long offset) {}

    private StoredSnapshots() {}

    /** A snapshot of the test user view with a small, valid state and a few values. */
    static FeatureSnapshot snapshot(String view, String key, long eventTs, long createdTs, long count) {
        Map<String, Object> values = new HashMap<>();
        values.put("count_5m", count);
        values.put("amount_sum_5m", count * 1.5);
        values.put("last_country", "FR");
        values.put("amount_mean_30m", null);
        return new FeatureSnapshot(
                view, key, eventTs, createdTs, new EntityState(eventTs, List.of(), List.of()), values);
    }

    static ProducerRecord<String, byte[]> record(String topic, int partitions, FeatureSnapshot snapshot) {
        return new ProducerRecord<>(
                topic,
                Math.floorMod(snapshot.getEntityKey().hashCode(), partitions),
                snapshot.getEntityKey(),
                CODEC.encode(snapshot));
    }

    static List<Position> positions(List<RecordMetadata> metadata) {
        return metadata.stream()
                .map(m -> new Position(m.partition(), m.offset()))
                .toList();
    }

    /** Every row of every committed file of a view. */
    static List<Row> read(Path root, String view) {
        return read(
                root,
                view,
                (file, name, date, r) -> new Row(
                        file,
                        name,
                        date,
                        (Integer) r.get(SnapshotSchema.PARTITION),
                        (Long) r.get(SnapshotSchema.OFFSET),
                        r.get(SnapshotSchema.ENTITY_KEY).toString(),
                        (Long) r.get(SnapshotSchema.EVENT_TS)));
    }

    /** Makes a test's row of a stored row, its file, the file's name and its date ({@code YYYY-MM-DD}). */
    interface RowReader<T> {
        T row(Path file, SnapshotFileName name, String date, GenericRecord row);
    }

    /** Every row of every committed file of a dataset directory ({@code Layout}: a view, or a source's events). */
    static <T> List<T> read(Path root, String dataset, RowReader<T> reader) {
        List<T> rows = new ArrayList<>();
        for (Path file : files(root, dataset)) {
            SnapshotFileName name =
                    SnapshotFileName.parse(file.getFileName().toString()).orElseThrow();
            String date = file.getParent().getFileName().toString().substring(Layout.DATE_PREFIX.length());
            try (ParquetReader<GenericRecord> parquet = ParquetFiles.reader(new LocalInputFile(file))) {
                for (GenericRecord r = parquet.read(); r != null; r = parquet.read()) {
                    rows.add(reader.row(file, name, date, r));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return rows;
    }

    static long count(Path root, String view) {
        return read(root, view).size();
    }

    static List<Path> files(Path root, String view) {
        Path dir = root.resolve(view);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(p -> p.getFileName().toString().endsWith(".parquet"))
                    .filter(p -> !p.getParent().getFileName().toString().equals(Layout.TMP_DIR))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> temporaries(Path root, String view) {
        Path dir = root.resolve(view).resolve(Layout.TMP_DIR);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.list(dir)) {
            return paths.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
