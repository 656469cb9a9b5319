package io.fathom.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fathom.offline.internal.FileStore;
import io.fathom.offline.internal.HadoopFileStore;
import io.fathom.offline.internal.Layout;
import io.fathom.offline.internal.ParquetFiles;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import io.fathom.schemas.avro.FeatureSnapshot;
import io.fathom.testkit.BruteForce;
import io.fathom.testkit.KafkaBroker;
import io.fathom.testkit.KafkaExtension;
import io.fathom.testkit.TestProducer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.parquet.hadoop.ParquetReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline store on HDFS, through Hadoop's in-process mini cluster ({@code hadoop-client-minicluster},
 * the shaded one that goes with {@code hadoop-client-api}/{@code -runtime}): the writer commits files by
 * rename on HDFS, the join reads them there (and equals the brute-force rule), and compaction there
 * leaves the join unchanged.
 */
@ExtendWith(KafkaExtension.class)
class HdfsIT {
    private static final long T0 = Instant.parse("2026-10-01T23:30:00Z").toEpochMilli();

    @TempDir
    static Path dir;

    private static MiniDFSCluster cluster;

    @BeforeAll
    static void startHdfs() throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.shutdown(true);
        }
    }

    @Test
    void writesJoinsAndCompactsOnHdfs(KafkaBroker broker) throws Exception {
        String suffix = "_hdfs" + System.nanoTime();
        FeatureDefinitions definitions =
                TestViews.definitions(suffix, "src" + suffix, Duration.ofMinutes(20), Duration.ofMinutes(3));
        Random random = new Random(21);
        SnapshotHistory history = new SnapshotHistory(definitions, events(random));
        OfflineStoreConfig store = OfflineStoreConfig.builder(cluster.getURI() + "/fathom/offline")
                .hadoopProperties(Map.of("dfs.replication", "1"))
                .build();
        assertThat(store.effectiveFileCommit()).isEqualTo(OfflineStoreConfig.FileCommit.RENAME);

        long expected = 0;
        for (ViewDefinition view : definitions.views()) {
            broker.createTopics(SnapshotHistory.PARTITIONS, view.snapshotTopic());
            expected += produce(broker, view, history.snapshots(view.name()));
        }
        OfflineWriterConfig config = TestWriters.config(
                        broker.kafka(), store, "hdfs" + suffix, 100, Duration.ofMillis(500))
                .build();
        try (FileStore hdfs = HadoopFileStore.open(store)) {
            try (OfflineWriter writer = new OfflineWriter(definitions, config, Clock.systemUTC())) {
                long total = expected;
                await().atMost(Duration.ofMinutes(2)).until(() -> count(hdfs, definitions) == total);
                assertThat(writer.failure()).isEmpty();
            }
            String userView = definitions.views().get(0).name();
            assertThat(hdfs.list(Layout.viewDir(userView)))
                    .extracting(FileStore.Entry::name)
                    .contains("date=2026-10-01", "date=2026-10-02", "_tmp");
            assertThat(hdfs.list(Layout.tmpDir(userView))).isEmpty();

            List<EntityRow> rows = rows(random);
            List<String> features =
                    definitions.views().stream().map(v -> v.name() + ":*").toList();
            JoinOptions options = JoinOptions.builder()
                    .threads(2)
                    .spillDirectory(dir.resolve("spill"))
                    .build();
            List<TrainingRow> joined;
            List<TrainingRow> inEventTime;
            history.writeEvents(store, random, 100); // the archive's layout, as the writer lays it out
            try (PointInTimeJoin join = new PointInTimeJoin(definitions, store, options)) {
                joined = join.join(rows, features, true);
                inEventTime = join.join(rows, features, false);
            }
            int withValues = 0;
            int withEvents = 0;
            for (int i = 0; i < rows.size(); i++) {
                Map<String, Object> expectedValues = new HashMap<>();
                for (ViewDefinition view : definitions.views()) {
                    Reference.Expected reference = Reference.expected(definitions, history, view, rows.get(i), true);
                    expectedValues.putAll(reference.fromCore());
                    withValues += reference.picked().isPresent() ? 1 : 0;
                    Reference.EventTime exact = Reference.eventTime(
                            definitions,
                            view,
                            history.events(view, Reference.key(definitions, view, rows.get(i))),
                            rows.get(i));
                    withEvents += exact.latest().isPresent() ? 1 : 0;
                    Map<String, Object> actual = inEventTime.get(i).features();
                    String where = "row " + i + " " + rows.get(i);
                    exact.values()
                            .forEach((column, value) -> assertThat(BruteForce.matchesExactly(value, actual.get(column)))
                                    .as("%s %s: %s by brute force, %s joined", where, column, value, actual.get(column))
                                    .isTrue());
                }
                assertThat(joined.get(i).features()).as("row %d", i).isEqualTo(expectedValues);
            }
            assertThat(withValues).isGreaterThan(rows.size() / 2);
            assertThat(withEvents).isGreaterThan(rows.size() / 2);

            int filesBefore = files(hdfs, userView, LocalDate.of(2026, 10, 1));
            try (OfflineCompactor compactor = new OfflineCompactor(store)) {
                CompactionResult result = compactor.compact(userView, LocalDate.of(2026, 10, 1));
                assertThat(result.filesBefore()).isEqualTo(filesBefore).isGreaterThan(SnapshotHistory.PARTITIONS);
                assertThat(result.filesAfter()).isEqualTo(SnapshotHistory.PARTITIONS);
            }
            assertThat(files(hdfs, userView, LocalDate.of(2026, 10, 1))).isEqualTo(SnapshotHistory.PARTITIONS);
            assertThat(count(hdfs, definitions)).isEqualTo(expected);
            try (PointInTimeJoin join = new PointInTimeJoin(definitions, store, options)) {
                assertThat(join.join(rows, features, true)).isEqualTo(joined);
            }
        }
    }

    private static long produce(KafkaBroker broker, ViewDefinition view, List<SnapshotHistory.Snapshot> snapshots) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (SnapshotHistory.Snapshot s : snapshots) {
            FeatureSnapshot snapshot =
                    new FeatureSnapshot(view.name(), s.key(), s.eventTs(), s.createdTs(), s.state(), s.values(), 0L);
            records.add(new ProducerRecord<>(
                    view.snapshotTopic(), s.partition(), s.key(), StoredSnapshots.CODEC.encode(snapshot)));
        }
        try (TestProducer<String, byte[]> producer = TestProducer.transactional(
                broker.kafka().producerProperties(),
                "tx-" + view.name(),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(records);
        }
        return records.size();
    }

    private static long count(FileStore hdfs, FeatureDefinitions definitions) throws IOException {
        long rows = 0;
        for (ViewDefinition view : definitions.views()) {
            for (FileStore.Entry date : hdfs.list(Layout.viewDir(view.name()))) {
                if (Layout.parseDateDir(date.name()).isEmpty()) {
                    continue;
                }
                for (FileStore.Entry file : hdfs.list(view.name() + "/" + date.name())) {
                    try (ParquetReader<GenericRecord> reader =
                            ParquetFiles.reader(hdfs.open(view.name() + "/" + date.name() + "/" + file.name()))) {
                        while (reader.read() != null) {
                            rows++;
                        }
                    }
                }
            }
        }
        return rows;
    }

    private static int files(FileStore hdfs, String view, LocalDate date) throws IOException {
        return hdfs.list(Layout.dateDir(view, date)).size();
    }

    private static List<SnapshotHistory.Event> events(Random random) {
        return RandomInputs.events(random, T0, 600, 12_000, 15);
    }

    private static List<EntityRow> rows(Random random) {
        return RandomInputs.rows(random, T0, 500, 16, 7_200_000);
    }
}
