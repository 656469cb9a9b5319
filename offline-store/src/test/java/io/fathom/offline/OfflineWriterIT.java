package io.fathom.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fathom.kafka.Worker;
import io.fathom.offline.internal.Layout;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.avro.FeatureSnapshot;
import io.fathom.testkit.KafkaBroker;
import io.fathom.testkit.KafkaExtension;
import io.fathom.testkit.TestProducer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline writer on a real broker: the file layout of offline-store/README.md, Kafka offsets trailing the files,
 * resuming from the file names (not from Kafka), the upload protocol, and a writer killed with SIGKILL
 * in the middle of a file under continuing load, restarted: no row lost, none twice, of the snapshots and of
 * the source events it archives alike (the rest of the event history in {@link EventHistoryIT}).
 */
@ExtendWith(KafkaExtension.class)
class OfflineWriterIT {
    private static final long MIDNIGHT = Instant.parse("2026-10-02T00:00:00Z").toEpochMilli();
    private static final int PARTITIONS = 2;

    @TempDir
    Path dir;

    private final KafkaBroker broker;

    OfflineWriterIT(KafkaBroker broker) {
        this.broker = broker;
    }

    private record Setup(
            String suffix, FeatureDefinitions definitions, String view, String topic, String sourceTopic) {}

    private Setup setup(String name) {
        String suffix = "_" + name + System.nanoTime();
        String sourceTopic = "src" + suffix;
        FeatureDefinitions definitions =
                TestViews.definitions(suffix, sourceTopic, Duration.ofMinutes(20), Duration.ofMinutes(3));
        String view = "user_pay" + suffix;
        String topic = definitions.view(view).orElseThrow().snapshotTopic();
        broker.createTopics(PARTITIONS, topic, sourceTopic);
        return new Setup(suffix, definitions, view, topic, sourceTopic);
    }

    @Test
    void writesTheLayoutOfTheDesignAndCommitsKafkaOffsetsOnlyBehindTheFiles() throws Exception {
        Setup setup = setup("layout");
        List<StoredSnapshots.Position> produced = produce(setup, 0, 1000, 1);
        String group = "writer" + setup.suffix();
        OfflineWriterConfig config = TestWriters.config(
                        broker.kafka(), OfflineStoreConfig.builder(dir).build(), group, 120, Duration.ofMillis(500))
                .views(List.of(setup.view()))
                .build();

        try (OfflineWriter writer = new OfflineWriter(setup.definitions(), config, Clock.systemUTC())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> StoredSnapshots.count(dir, setup.view()) == 1000);
            assertThat(writer.state()).isEqualTo(Worker.State.RUNNING);
            assertThat(writer.rowsWritten()).isEqualTo(1000);
        }

        List<StoredSnapshots.Row> rows = StoredSnapshots.read(dir, setup.view());
        assertThat(positions(rows)).containsExactlyInAnyOrderElementsOf(produced);
        Map<String, List<StoredSnapshots.Row>> byFile = rows.stream()
                .collect(Collectors.groupingBy(r -> r.file().toString(), TreeMap::new, Collectors.toList()));
        for (List<StoredSnapshots.Row> file : byFile.values()) {
            StoredSnapshots.Row first = file.get(0);
            assertThat(first.file().getParent().getParent().getFileName().toString())
                    .isEqualTo(setup.view());
            assertThat(first.name().topic()).isEqualTo(setup.topic());
            assertThat(file)
                    .allMatch(r -> r.partition() == first.name().partition())
                    .allMatch(r -> Layout.date(r.eventTs()).toString().equals(first.date()));
            assertThat(file.size()).isLessThanOrEqualTo(120);
            assertThat(file).extracting(StoredSnapshots.Row::offset).isSorted();
            assertThat(first.offset()).isEqualTo(first.name().startOffset());
            assertThat(file.get(file.size() - 1).offset())
                    .isEqualTo(first.name().endOffset());
        }
        assertThat(rows).extracting(StoredSnapshots.Row::date).containsOnly("2026-10-01", "2026-10-02");
        assertThat(StoredSnapshots.temporaries(dir, setup.view())).isEmpty();

        Map<TopicPartition, Long> lastEnds = new TreeMap<>((a, b) -> Integer.compare(a.partition(), b.partition()));
        rows.forEach(r -> lastEnds.merge(
                new TopicPartition(setup.topic(), r.partition()), r.name().endOffset(), Math::max));
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            lastEnds.forEach((partition, end) ->
                    assertThat(committed.get(partition).offset()).isEqualTo(end + 1));
        }
    }

    @Test
    void resumesFromTheFileNamesNotFromKafkasCommittedOffsets() throws Exception {
        Setup setup = setup("resume");
        OfflineStoreConfig store = OfflineStoreConfig.builder(dir).build();
        List<StoredSnapshots.Position> produced = new ArrayList<>(produce(setup, 0, 500, 3));
        try (OfflineWriter writer =
                new OfflineWriter(setup.definitions(), writerConfig(setup, store, "first"), Clock.systemUTC())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> StoredSnapshots.count(dir, setup.view()) == 500);
        }
        produced.addAll(produce(setup, 500, 500, 3));
        Path stale = dir.resolve(setup.view())
                .resolve(Layout.TMP_DIR)
                .resolve(Layout.tmpPrefix(setup.topic(), 0) + "7.crashed.tmp");
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "half a file");

        // A new group has no committed offsets at all: only the files can say where to resume.
        try (OfflineWriter writer =
                new OfflineWriter(setup.definitions(), writerConfig(setup, store, "second"), Clock.systemUTC())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> StoredSnapshots.count(dir, setup.view()) >= 1000);
            assertThat(writer.rowsWritten()).isEqualTo(500);
        }
        assertThat(positions(StoredSnapshots.read(dir, setup.view()))).containsExactlyInAnyOrderElementsOf(produced);
        assertThat(stale).doesNotExist();
    }

    @Test
    void uploadsFinishedFilesUnderTheirFinalNameWithNothingTemporaryOnTheStore() throws Exception {
        Setup setup = setup("upload");
        List<StoredSnapshots.Position> produced = produce(setup, 0, 400, 1);
        List<StoredSnapshots.Position> events = producePayments(setup, 0, 300);
        Path local = dir.resolve("local-tmp");
        OfflineStoreConfig store = OfflineStoreConfig.builder(dir.resolve("store"))
                .fileCommit(OfflineStoreConfig.FileCommit.UPLOAD)
                .localTempDir(local)
                .build();
        try (OfflineWriter writer =
                new OfflineWriter(setup.definitions(), writerConfig(setup, store, "upload"), Clock.systemUTC())) {
            // On the local file system an upload is a plain copy, visible under its final name while it runs
            // (an object store shows the object only once complete): a poll may meet a file being copied. The
            // reads after close check every file whole.
            await().atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .until(() -> StoredSnapshots.count(dir.resolve("store"), setup.view()) == 400
                            && StoredEvents.count(dir.resolve("store"), "payments") == 300);
        }
        assertThat(positions(StoredSnapshots.read(dir.resolve("store"), setup.view())))
                .containsExactlyInAnyOrderElementsOf(produced);
        assertThat(StoredEvents.read(dir.resolve("store"), "payments"))
                .extracting(r -> new StoredSnapshots.Position(r.partition(), r.offset()))
                .containsExactlyInAnyOrderElementsOf(events);
        assertThat(dir.resolve("store").resolve(setup.view()).resolve(Layout.TMP_DIR))
                .doesNotExist();
        assertThat(dir.resolve("store").resolve(Layout.eventsDir("payments")).resolve(Layout.TMP_DIR))
                .doesNotExist();
        assertThat(local).isEmptyDirectory();
    }

    /** The snapshots and the source's events (the event history) alike. */
    @Test
    void aWriterKilledInTheMiddleOfAFileLosesAndDuplicatesNothingAfterARestart() throws Exception {
        Setup setup = setup("crash");
        String group = "crash" + setup.suffix();
        List<StoredSnapshots.Position> produced = java.util.Collections.synchronizedList(new ArrayList<>());
        List<StoredSnapshots.Position> producedEvents = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean producing = new AtomicBoolean(true);
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        Thread load = new Thread(() -> {
            try {
                for (int batch = 0; producing.get(); batch++) {
                    produced.addAll(produce(setup, batch * 100, 100, 5));
                    producedEvents.addAll(producePayments(setup, batch * 100, 100));
                }
            } catch (Throwable t) {
                producerFailure.set(t);
            }
        });
        load.start();
        Process child = startWriterProcess(setup, group);
        try {
            // Killed while a file is being written, after some were committed. The writer is frozen
            // (SIGSTOP) before the check, so the file seen in progress is still in progress at the kill.
            Process writer = child;
            await().atMost(Duration.ofSeconds(90))
                    .ignoreExceptionsInstanceOf(java.io.UncheckedIOException.class)
                    .until(() -> {
                        if (StoredSnapshots.files(dir, setup.view()).size() < 3
                                || StoredEvents.files(dir, "payments").isEmpty()) {
                            return false;
                        }
                        signal(writer, "STOP");
                        if (StoredSnapshots.temporaries(dir, setup.view()).isEmpty()) {
                            signal(writer, "CONT");
                            return false;
                        }
                        return true;
                    });
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertThat(child.exitValue()).isEqualTo(137); // 128 + SIGKILL
            List<Path> leftovers = new ArrayList<>(StoredSnapshots.temporaries(dir, setup.view()));
            assertThat(leftovers).isNotEmpty();
            leftovers.addAll(StoredEvents.temporaries(dir, "payments"));
            long before = StoredSnapshots.count(dir, setup.view());

            child = startWriterProcess(setup, group);
            // The writer process renames files while these polls walk the store: a file listed may be gone
            // when it is read, which only means "not yet".
            await().atMost(Duration.ofSeconds(90))
                    .ignoreExceptionsInstanceOf(java.io.UncheckedIOException.class)
                    .until(() -> StoredSnapshots.count(dir, setup.view()) > before + 500);
            producing.set(false);
            load.join(60_000);
            assertThat(producerFailure.get()).isNull();
            int total = produced.size();
            int totalEvents = producedEvents.size();
            await().atMost(Duration.ofSeconds(90))
                    .ignoreExceptionsInstanceOf(java.io.UncheckedIOException.class)
                    .until(() -> StoredSnapshots.count(dir, setup.view()) >= total
                            && StoredEvents.count(dir, "payments") >= totalEvents);
            assertThat(leftovers).allMatch(path -> !Files.exists(path));
        } finally {
            producing.set(false);
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        List<StoredSnapshots.Position> stored = positions(StoredSnapshots.read(dir, setup.view()));
        assertThat(new HashSet<>(stored)).hasSameSizeAs(stored); // no duplicates
        assertThat(stored).containsExactlyInAnyOrderElementsOf(produced);
        List<StoredSnapshots.Position> storedEvents = StoredEvents.read(dir, "payments").stream()
                .map(r -> new StoredSnapshots.Position(r.partition(), r.offset()))
                .toList();
        assertThat(new HashSet<>(storedEvents)).hasSameSizeAs(storedEvents);
        assertThat(storedEvents).containsExactlyInAnyOrderElementsOf(producedEvents);
    }

    private static void signal(Process process, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                .inheritIO()
                .start();
        assertThat(kill.waitFor()).as("kill -%s", signal).isZero();
    }

    private Process startWriterProcess(Setup setup, String group) throws IOException {
        Path log = dir.resolve("writer-" + System.nanoTime() + ".log");
        return new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        WriterProcess.class.getName(),
                        broker.bootstrapServers(),
                        dir.toString(),
                        group,
                        setup.suffix(),
                        setup.sourceTopic())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private OfflineWriterConfig writerConfig(Setup setup, OfflineStoreConfig store, String group) {
        return TestWriters.config(broker.kafka(), store, group + setup.suffix(), 150, Duration.ofMillis(300))
                .views(List.of(setup.view()))
                .build();
    }

    /**
     * Produces {@code count} snapshots of 50 users in transactions of {@code transactions} parts (so the
     * log has transaction markers between them), with event times a minute apart around midnight.
     */
    private List<StoredSnapshots.Position> produce(Setup setup, int from, int count, int transactions) {
        List<StoredSnapshots.Position> positions = new ArrayList<>();
        try (TestProducer<String, byte[]> producer = TestProducer.transactional(
                broker.kafka().producerProperties(),
                "tx" + setup.suffix() + "-" + from,
                new StringSerializer(),
                new ByteArraySerializer())) {
            List<ProducerRecord<String, byte[]>> batch = new ArrayList<>();
            for (int i = from; i < from + count; i++) {
                long eventTs = MIDNIGHT + (i - 500) * 60_000L;
                FeatureSnapshot snapshot =
                        StoredSnapshots.snapshot(setup.view(), "u" + (i % 50), eventTs, eventTs + 10, i);
                batch.add(StoredSnapshots.record(setup.topic(), PARTITIONS, snapshot));
                if (batch.size() == Math.max(1, count / transactions) || i == from + count - 1) {
                    positions.addAll(StoredSnapshots.positions(producer.send(batch)));
                    batch = new ArrayList<>();
                }
            }
        }
        return positions;
    }

    /** Produces {@code count} payment events (Avro single-object) in one transaction, around midnight too. */
    private List<StoredSnapshots.Position> producePayments(Setup setup, int from, int count) throws IOException {
        BinaryMessageEncoder<GenericRecord> encoder = new BinaryMessageEncoder<>(GenericData.get(), TestViews.PAYMENT);
        List<ProducerRecord<String, byte[]>> batch = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            GenericData.Record payment = new GenericData.Record(TestViews.PAYMENT);
            payment.put("user_id", (long) (i % 50));
            payment.put("merchant", "m" + (i % 7));
            payment.put("amount", i * 0.5);
            payment.put("country", "FR");
            payment.put("event_time", MIDNIGHT + (i - 500) * 60_000L);
            batch.add(new ProducerRecord<>(
                    setup.sourceTopic(),
                    Long.toString(i % 50),
                    encoder.encode(payment).array()));
        }
        try (TestProducer<String, byte[]> producer = TestProducer.transactional(
                broker.kafka().producerProperties(),
                "events" + setup.suffix() + "-" + from,
                new StringSerializer(),
                new ByteArraySerializer())) {
            return StoredSnapshots.positions(producer.send(batch));
        }
    }

    private static List<StoredSnapshots.Position> positions(List<StoredSnapshots.Row> rows) {
        return rows.stream()
                .map(r -> new StoredSnapshots.Position(r.partition(), r.offset()))
                .toList();
    }
}
