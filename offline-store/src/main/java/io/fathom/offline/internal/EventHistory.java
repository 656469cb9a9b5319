package io.fathom.offline.internal;

import io.fathom.offline.NoEventHistoryException;
import io.fathom.offline.OfflineException;
import io.fathom.offline.OfflineStoreConfig;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.SourceDefinition;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;

/**
 * Where a source's events are, and which of them a training set reads:
 *
 * <pre>
 * &lt;offline root&gt;/_events/&lt;source&gt;/date=YYYY-MM-DD/&lt;topic&gt;+&lt;partition&gt;+&lt;start&gt;+&lt;end&gt;.parquet   the archive
 * &lt;history URI&gt;/**&#47;*.parquet                                                                  a history: dataset
 * </pre>
 *
 * The archive's files hold {@code _kafka_partition}, {@code _kafka_offset}, {@code _event_ts} and either
 * {@code _value} (a JSON source's event text) or the top-level fields of the source's Avro schema; a
 * dataset's files hold the source's fields. Names starting with {@code _} or {@code .} are skipped (so
 * {@code _tmp}), and so are date directories no row can use. A source with both reads the dataset only
 * for event times before the archive's earliest {@code _event_ts}, and the archive alone from then on:
 * nothing is counted twice.
 */
public final class EventHistory implements AutoCloseable {
    /** One file to read: its store and path there, and its place in the source's listing. */
    record EventFile(FileStore store, String path, int index, boolean archived) {}

    private final FeatureDefinitions definitions;
    private final FileStore archive;
    private final Map<String, List<FileStore>> datasets;
    private final Map<String, Long> archiveStarts = new ConcurrentHashMap<>();

    /**
     * @param archive the offline store
     * @param datasets per source name, the stores of its history datasets (rooted at their URIs)
     */
    public EventHistory(FeatureDefinitions definitions, FileStore archive, Map<String, List<FileStore>> datasets) {
        this.definitions = definitions;
        this.archive = archive;
        this.datasets = Map.copyOf(datasets);
    }

    /**
     * The event history of an offline store and of history datasets: per source, its {@code history:} from
     * the definitions, then those of {@code moreDatasets} (by source name), each opened as a store like {@code
     * config}'s. {@link #close} closes the dataset stores, not the archive's.
     */
    public static EventHistory open(
            FeatureDefinitions definitions,
            FileStore archive,
            OfflineStoreConfig config,
            Map<String, List<URI>> moreDatasets) {
        Map<String, List<URI>> uris = new HashMap<>();
        definitions.sources().forEach(source -> source.history()
                .ifPresent(uri -> uris.computeIfAbsent(source.name(), k -> new ArrayList<>())
                        .add(uri)));
        moreDatasets.forEach((source, more) ->
                uris.computeIfAbsent(source, k -> new ArrayList<>()).addAll(more));
        Map<String, List<FileStore>> datasets = new HashMap<>();
        uris.forEach((source, list) -> datasets.put(
                source,
                list.stream()
                        .map(uri -> (FileStore) HadoopFileStore.open(
                                config.toBuilder().root(uri).build()))
                        .toList()));
        return new EventHistory(definitions, archive, datasets);
    }

    @Override
    public void close() {
        datasets.values().forEach(stores -> stores.forEach(FileStore::close));
    }

    FeatureDefinitions definitions() {
        return definitions;
    }

    static String archiveDir(String source) {
        return Layout.eventsDir(source);
    }

    /**
     * Fails, naming the source and where its events were looked for, when a view's source has no event
     * history at all: no archive date directory and no file in a history dataset.
     */
    public void requireEvents(String view) {
        SourceDefinition source = definitions.sourceOf(definitions.view(view).orElseThrow());
        try {
            boolean archived = archive.list(archiveDir(source.name())).stream()
                    .anyMatch(
                            e -> e.directory() && Layout.parseDateDir(e.name()).isPresent());
            if (archived) {
                return;
            }
            for (FileStore dataset : datasets(source)) {
                if (!walk(dataset, "", date -> true, true).isEmpty()) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new OfflineException(
                    "cannot list the event history of source " + source.name() + ": " + e.getMessage(), e);
        }
        String looked = (storeExists()
                        ? "no events under " + archive.describe(archiveDir(source.name()))
                        : "the offline store " + archive.describe("") + " does not exist")
                + datasets(source).stream()
                        .map(d -> ", none under " + d.describe(""))
                        .collect(Collectors.joining());
        throw new NoEventHistoryException("no event history of source " + source.name() + " (view " + view
                + "): " + looked + ". Event-time training sets read the events the offline writer"
                + " archives there (and a source's history: dataset); until there are some, ask for what the online"
                + " store could have served, from the snapshot log: --as-known-at (HTTP: \"as_known_at\": true)");
    }

    private boolean storeExists() {
        try {
            return archive.exists("");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The files of a source whose events may matter: archive date directories for which {@code dateMatters},
     * and dataset files (date directories pruned the same way) unless their dates are all at or after the
     * archive's start.
     */
    List<EventFile> files(SourceDefinition source, Predicate<LocalDate> dateMatters) throws IOException {
        List<EventFile> files = new ArrayList<>();
        for (String path : archiveFiles(source, dateMatters)) {
            files.add(new EventFile(archive, path, files.size(), true));
        }
        long start = archiveStart(source);
        Predicate<LocalDate> beforeArchive = date -> Layout.startOf(date) < start;
        for (FileStore dataset : datasets(source)) {
            for (String path : walk(dataset, "", dateMatters.and(beforeArchive), false)) {
                files.add(new EventFile(dataset, path, files.size(), false));
            }
        }
        return files;
    }

    /** The archived files of one date directory (listed again when compaction replaced one). */
    List<String> archiveFiles(SourceDefinition source, LocalDate date) throws IOException {
        return DataFiles.in(archive, dateDir(source, date));
    }

    private static String dateDir(SourceDefinition source, LocalDate date) {
        return Layout.dateDir(archiveDir(source.name()), date);
    }

    private List<String> archiveFiles(SourceDefinition source, Predicate<LocalDate> dateMatters) throws IOException {
        List<String> files = new ArrayList<>();
        for (LocalDate date : archiveDates(source)) {
            if (dateMatters.test(date)) {
                files.addAll(archiveFiles(source, date));
            }
        }
        return files;
    }

    private List<LocalDate> archiveDates(SourceDefinition source) throws IOException {
        List<LocalDate> dates = new ArrayList<>();
        for (FileStore.Entry entry : archive.list(archiveDir(source.name()))) {
            Optional<LocalDate> date = Layout.parseDateDir(entry.name());
            if (entry.directory() && date.isPresent()) {
                dates.add(date.get());
            }
        }
        dates.sort(null);
        return dates;
    }

    /**
     * The earliest {@code _event_ts} of the source's archive ({@code Long.MAX_VALUE} when it has none):
     * the least over the files of its earliest date directory that holds events, from the footers'
     * statistics.
     */
    long archiveStart(SourceDefinition source) throws IOException {
        Long known = archiveStarts.get(source.name());
        if (known != null) {
            return known;
        }
        long start = Long.MAX_VALUE;
        for (LocalDate date : archiveDates(source)) {
            for (String file : archiveFiles(source, date)) {
                OptionalLong min = minEventTs(file);
                if (min.isPresent()) {
                    start = Math.min(start, min.getAsLong());
                }
            }
            if (start != Long.MAX_VALUE) {
                break;
            }
        }
        archiveStarts.put(source.name(), start);
        return start;
    }

    private OptionalLong minEventTs(String file) throws IOException {
        long min = Long.MAX_VALUE;
        boolean any = false;
        try (ParquetFileReader reader = ParquetFileReader.open(archive.open(file))) {
            for (BlockMetaData block : reader.getFooter().getBlocks()) {
                for (ColumnChunkMetaData chunk : block.getColumns()) {
                    if (!chunk.getPath().toDotString().equals(EventColumns.EVENT_TS)) {
                        continue;
                    }
                    Statistics<?> statistics = chunk.getStatistics();
                    if (statistics == null || statistics.isEmpty()) {
                        return scanMin(file);
                    }
                    if (statistics.hasNonNullValue()) {
                        min = Math.min(min, ((Number) statistics.genericGetMin()).longValue());
                        any = true;
                    }
                }
            }
        } catch (FileNotFoundException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new OfflineException("cannot read event file " + archive.describe(file) + ": " + e.getMessage(), e);
        }
        return any ? OptionalLong.of(min) : OptionalLong.empty();
    }

    /** The least {@code _event_ts} of a file written without statistics, read from the column. */
    private OptionalLong scanMin(String file) throws IOException {
        Schema schema = ParquetFiles.avroSchema(archive.open(file));
        Schema projection = EventColumns.projection(schema, List.of(EventColumns.EVENT_TS));
        long min = Long.MAX_VALUE;
        boolean any = false;
        try (ParquetReader<GenericRecord> reader =
                ParquetFiles.reader(archive.open(file), projection, FilterCompat.NOOP)) {
            for (GenericRecord record = reader.read(); record != null; record = reader.read()) {
                if (record.get(0) instanceof Long ts) {
                    min = Math.min(min, ts);
                    any = true;
                }
            }
        }
        return any ? OptionalLong.of(min) : OptionalLong.empty();
    }

    private List<FileStore> datasets(SourceDefinition source) {
        return datasets.getOrDefault(source.name(), List.of());
    }

    /**
     * The data files under a directory, recursively, sorted by path; {@code date=} directories for which
     * {@code dateMatters} fails are skipped, and so are names starting with {@code _} or {@code .}.
     */
    private static List<String> walk(FileStore store, String directory, Predicate<LocalDate> dateMatters, boolean first)
            throws IOException {
        List<String> files = new ArrayList<>();
        for (FileStore.Entry entry : store.list(directory)) {
            String path = directory.isEmpty() ? entry.name() : directory + "/" + entry.name();
            if (!DataFiles.visible(entry.name())) {
                continue;
            }
            if (entry.directory()) {
                Optional<LocalDate> date = Layout.parseDateDir(entry.name());
                if (date.isEmpty() || dateMatters.test(date.get())) {
                    files.addAll(walk(store, path, dateMatters, first));
                }
            } else if (entry.name().endsWith(".parquet")) {
                files.add(path);
            }
            if (first && !files.isEmpty()) {
                return files;
            }
        }
        return files;
    }
}
