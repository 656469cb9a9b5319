package io.fathom.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fathom.core.TileAggregator;
import io.fathom.core.ViewPlan;
import io.fathom.kafka.AvroSerdes;
import io.fathom.kafka.DeadLetterHeaders;
import io.fathom.schemas.EntityStateCodec;
import io.fathom.schemas.EventFormat;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.avro.EntityState;
import io.fathom.schemas.avro.FeatureSnapshot;
import io.fathom.testkit.Definitions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestTopologyTest {
    private static final long T0 = Instant.parse("2026-11-01T10:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final Instant NOW = Instant.parse("2026-11-27T00:00:00Z");

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> events;
    private TestOutputTopic<String, FeatureSnapshot> users;
    private TestOutputTopic<String, FeatureSnapshot> merchants;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void start(EventFormat format) {
        FeatureDefinitions definitions = TestDefinitions.transactions(format);
        var topology = IngestTopology.build(
                definitions,
                IngestTopics.defaults("test", 1),
                WatermarkSettings.of(Map.of(TestDefinitions.TOPIC, 1)),
                Clock.fixed(NOW, ZoneOffset.UTC),
                new IngestMetrics(registry));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(topology, props);
        events = driver.createInputTopic(TestDefinitions.TOPIC, new ByteArraySerializer(), new ByteArraySerializer());
        users = driver.createOutputTopic(
                "fathom.snapshots.user_txn",
                Serdes.String().deserializer(),
                AvroSerdes.<FeatureSnapshot>of(FeatureSnapshot.getClassSchema()).deserializer());
        merchants = driver.createOutputTopic(
                "fathom.snapshots.merchant_txn",
                Serdes.String().deserializer(),
                AvroSerdes.<FeatureSnapshot>of(FeatureSnapshot.getClassSchema()).deserializer());
        deadLetters = driver.createOutputTopic("fathom.dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private void sendJson(String json) {
        events.pipeInput(null, json.getBytes(StandardCharsets.UTF_8));
    }

    private static String txn(long user, long merchant, String amount, String country, Object time) {
        return "{\"user_id\": %d, \"merchant_id\": %d, \"merchant\": \"m%d\", \"amount\": %s, \"country\": \"%s\", \"event_time\": %s}"
                .formatted(user, merchant, merchant, amount, country, time);
    }

    @Test
    void jsonEventsBecomeSnapshotsWithFeatureValuesAtTheLatestEventTime() {
        start(EventFormat.JSON);
        sendJson(txn(1, 7, "10.0", "FR", T0));
        sendJson(txn(1, 8, "20.0", "DE", "\"" + Instant.ofEpochMilli(T0 + MINUTE) + "\""));

        List<TestRecord<String, FeatureSnapshot>> out = users.readRecordsToList();
        assertThat(out).hasSize(2);
        FeatureSnapshot last = out.get(1).value();
        assertThat(out.get(1).key()).isEqualTo("1");
        assertThat(last.getView()).isEqualTo("user_txn");
        assertThat(last.getEntityKey()).isEqualTo("1");
        assertThat(last.getEventTs()).isEqualTo(T0 + MINUTE);
        assertThat(last.getCreatedTs()).isEqualTo(NOW.toEpochMilli());
        Map<String, Object> values = last.getValues();
        assertThat(values.get("txn_count_1h")).isEqualTo(2L);
        assertThat(values.get("amount_sum_1h")).isEqualTo(30.0);
        assertThat(values.get("amount_avg_1d")).isEqualTo(15.0);
        assertThat(values.get("amount_max_1d")).isEqualTo(20.0);
        assertThat((Double) values.get("amount_std_1d")).isCloseTo(Math.sqrt(50.0), within(1e-12));
        assertThat(values.get("merchants_1d")).isEqualTo(2L);
        assertThat(values.get("last_country")).isEqualTo("DE");
        assertThat(out.get(1).timestamp()).isEqualTo(T0 + MINUTE);

        List<TestRecord<String, FeatureSnapshot>> byMerchant = merchants.readRecordsToList();
        assertThat(byMerchant).extracting(TestRecord::key).containsExactly("7", "8");
        assertThat(byMerchant.get(0).value().getValues().get("first_country_1d"))
                .isEqualTo("FR");
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void eventsKeyedByTheirEntityReachTheViewWithoutTheRekeyedTopic() {
        start(EventFormat.JSON);
        events.pipeInput(
                "1".getBytes(StandardCharsets.UTF_8),
                txn(1, 7, "10.0", "FR", T0).getBytes(StandardCharsets.UTF_8));
        events.pipeInput(null, txn(1, 7, "5.0", "FR", T0 + MINUTE).getBytes(StandardCharsets.UTF_8));

        var rekeyed = driver.createOutputTopic(
                "test.user_txn.events", Serdes.String().deserializer(), new ByteArrayDeserializer());
        assertThat(users.readValuesToList())
                .extracting(s -> s.getValues().get("amount_sum_1h"))
                .containsExactly(10.0, 15.0);
        assertThat(rekeyed.readKeyValuesToList())
                .as("only the unkeyed event went through the re-keyed topic")
                .extracting(kv -> kv.key)
                .containsExactly("1");
    }

    @Test
    void undecodableEventsGoToTheDeadLetterTopicOnceAndTheNextEventsAreStillProcessed() {
        start(EventFormat.JSON);
        sendJson(txn(1, 7, "10.0", "FR", T0));
        sendJson("this is not json");
        sendJson(txn(2, 7, "5.0", "FR", T0));

        TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo("undecodable");
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("this is not json");
        assertThat(header(dead, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(TestDefinitions.TOPIC);
        assertThat(header(dead, DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(dead, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("1");
        assertThat(dead.headers().lastHeader(DeadLetterHeaders.VIEW)).isNull();
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(users.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("1", "2");
        assertThat(dlqCount("undecodable")).isEqualTo(1.0);
    }

    /** A nested object or array in a needed field, the key or an aggregated one, once stopped the stream thread. */
    @Test
    void nestedValuesAreDeadLetteredAsWrongTypeAndTheNextEventsAreStillProcessed() {
        start(EventFormat.JSON);
        sendJson(txn(1, 7, "{\"value\": 3}", "FR", T0));
        sendJson("{\"user_id\": {\"id\": 1}, \"merchant_id\": 7, \"amount\": 1.0, \"event_time\": " + T0 + "}");
        sendJson(txn(1, 7, "[1, 2]", "FR", T0));
        sendJson(txn(2, 7, "5.0", "FR", T0));

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead)
                .extracting(r -> header(r, DeadLetterHeaders.REASON))
                .containsExactly("wrong_type", "wrong_type", "wrong_type");
        assertThat(header(dead.get(0), DeadLetterHeaders.MESSAGE)).contains("field amount is a JSON object");
        assertThat(header(dead.get(1), DeadLetterHeaders.MESSAGE)).contains("field user_id is a JSON object");
        assertThat(users.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("2");
    }

    @Test
    void missingAndUnparseableTimestampsAreDeadLettered() {
        start(EventFormat.JSON);
        sendJson("{\"user_id\": 1, \"merchant_id\": 7, \"amount\": 1.0}");
        sendJson(txn(1, 7, "1.0", "FR", "\"yesterday\""));
        sendJson(txn(1, 7, "1.0", "FR", "null"));

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead)
                .extracting(r -> header(r, DeadLetterHeaders.REASON))
                .containsExactly("missing_timestamp", "bad_timestamp", "missing_timestamp");
        assertThat(header(dead.get(1), DeadLetterHeaders.MESSAGE)).contains("yesterday");
        assertThat(users.isEmpty()).isTrue();
    }

    @Test
    void aMissingKeyRejectsTheEventForThatViewOnly() {
        start(EventFormat.JSON);
        sendJson("{\"merchant_id\": 7, \"merchant\": \"m7\", \"amount\": 3.0, \"country\": \"FR\", \"event_time\": "
                + T0 + "}");

        TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo("missing_key");
        assertThat(header(dead, DeadLetterHeaders.VIEW)).isEqualTo("user_txn");
        assertThat(users.isEmpty()).isTrue();
        assertThat(merchants.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("7");
    }

    @Test
    void aWrongTypeInAnAggregatedFieldIsDeadLetteredWithoutTouchingTheState() {
        start(EventFormat.JSON);
        sendJson(txn(1, 7, "10.0", "FR", T0));
        sendJson(txn(1, 7, "\"ten\"", "FR", T0 + MINUTE));
        sendJson(txn(1, 7, "1.0", "FR", T0 + 2 * MINUTE));

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead)
                .extracting(r -> header(r, DeadLetterHeaders.REASON))
                .containsExactly("wrong_type", "wrong_type");
        assertThat(dead).extracting(r -> header(r, DeadLetterHeaders.VIEW)).containsExactly("user_txn", "merchant_txn");
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).contains("\"amount\":\"ten\"");
        assertThat(header(dead.get(0), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("1");
        List<FeatureSnapshot> snapshots = users.readValuesToList();
        assertThat(snapshots).hasSize(2);
        assertThat(snapshots.get(1).getValues().get("txn_count_1h")).isEqualTo(2L);
        assertThat(snapshots.get(1).getValues().get("amount_sum_1h")).isEqualTo(11.0);
    }

    /** One source partition: each view's watermark is the greatest event time it has seen. */
    @Test
    void eventsWithinAllowedLatenessUpdateTheirTileAndLaterOnesAreDeadLettered() {
        start(EventFormat.JSON);
        sendJson(txn(1, 7, "10.0", "FR", T0 + 30 * MINUTE));
        sendJson(txn(1, 7, "5.0", "DE", T0 + 21 * MINUTE)); // 9 minutes late: accepted
        sendJson(txn(1, 7, "99.0", "US", T0 + 19 * MINUTE)); // 11 minutes late: dead-lettered

        List<FeatureSnapshot> snapshots = users.readValuesToList();
        assertThat(snapshots).hasSize(2);
        FeatureSnapshot last = snapshots.get(1);
        assertThat(last.getEventTs()).isEqualTo(T0 + 30 * MINUTE);
        assertThat(last.getValues().get("txn_count_1h")).isEqualTo(2L);
        assertThat(last.getValues().get("amount_sum_1h")).isEqualTo(15.0);
        assertThat(last.getValues().get("last_country")).isEqualTo("FR");
        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).extracting(r -> header(r, DeadLetterHeaders.REASON)).containsExactly("late", "late");
        assertThat(dlqCount("late")).isEqualTo(2.0);
    }

    /**
     * Every update adds 1 to the entity's version, in its view, so the online stores can tell ingest's states
     * apart even when their times are equal: here the clock stands still and the second event is earlier than
     * the first, so the first two snapshots have the same event_ts and created_ts. A rejected event changes
     * nothing.
     */
    @Test
    void eachUpdateAddsOneToTheEntitysVersionInItsView() {
        start(EventFormat.JSON);
        sendJson(txn(1, 7, "10.0", "FR", T0 + 5 * MINUTE));
        sendJson(txn(1, 7, "5.0", "DE", T0 + MINUTE)); // earlier, within the allowed lateness
        sendJson(txn(2, 7, "1.0", "DE", T0));
        sendJson(txn(1, 7, "\"ten\"", "FR", T0 + 6 * MINUTE)); // wrong type: rejected by both views
        sendJson(txn(1, 8, "2.0", "NL", T0 + 6 * MINUTE));

        List<TestRecord<String, FeatureSnapshot>> out = users.readRecordsToList();
        assertThat(out).extracting(TestRecord::key).containsExactly("1", "1", "2", "1");
        assertThat(out).extracting(r -> r.value().getVersion()).containsExactly(1L, 2L, 1L, 3L);
        FeatureSnapshot first = out.get(0).value();
        FeatureSnapshot second = out.get(1).value();
        assertThat(second.getEventTs()).isEqualTo(first.getEventTs());
        assertThat(second.getCreatedTs()).isEqualTo(first.getCreatedTs());
        assertThat(second.getValues().get("txn_count_1h")).isEqualTo(2L);
        assertThat(merchants.readRecordsToList())
                .extracting(r -> r.key() + "@" + r.value().getVersion())
                .containsExactly("7@1", "7@2", "7@3", "8@1");
    }

    /**
     * A state stored under another layout of the view (the definitions changed under a live state store) makes
     * the aggregator throw IllegalArgumentException, not a bad-event exception: the event is dead-lettered as
     * internal_error naming it, the stored state is left as it was, and the partition goes on.
     */
    @Test
    void anUnexpectedExceptionForOneRecordDeadLettersItAsInternalErrorAndTheNextEventsAreStillProcessed() {
        start(EventFormat.JSON);
        ViewPlan merchants = ViewPlan.of(TestDefinitions.transactions(EventFormat.JSON)
                .view("merchant_txn")
                .orElseThrow());
        byte[] otherLayout = new EntityStateCodec().encode(new TileAggregator(merchants).newState());
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore("state-user_txn");
        store.put("1", otherLayout);

        sendJson(txn(1, 7, "10.0", "FR", T0));
        sendJson(txn(2, 7, "5.0", "FR", T0 + MINUTE));

        TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo("internal_error");
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).startsWith("java.lang.IllegalArgumentException: ");
        assertThat(header(dead, DeadLetterHeaders.VIEW)).isEqualTo("user_txn");
        assertThat(header(dead, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(store.get("1")).isEqualTo(otherLayout);
        assertThat(users.readRecordsToList()).extracting(TestRecord::key).containsExactly("2");
        assertThat(this.merchants.readValuesToList())
                .extracting(s -> s.getValues().get("txn_count_1h"))
                .containsExactly(1L, 2L);
        assertThat(registry.get("fathom.dlq")
                        .tag("reason", "internal_error")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    /** A state stored before versions existed (the plain EntityState) reads as version 0 and goes on from there. */
    @Test
    void aStateStoredBeforeVersionsGoesOnFromVersionOne() {
        start(EventFormat.JSON);
        TileAggregator aggregator = new TileAggregator(ViewPlan.of(Definitions.userTxn()));
        EntityState old = aggregator.newState();
        aggregator.add(old, T0, Map.of("amount", 4.0, "merchant", "m1", "country", "FR"));
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore("state-user_txn");
        store.put("1", new EntityStateCodec().encode(old));

        sendJson(txn(1, 7, "10.0", "DE", T0 + MINUTE));

        FeatureSnapshot snapshot = users.readValue();
        assertThat(snapshot.getVersion()).isEqualTo(1L);
        assertThat(snapshot.getValues().get("txn_count_1h")).isEqualTo(2L);
        assertThat(snapshot.getValues().get("amount_sum_1h")).isEqualTo(14.0);
        assertThat(new EntityStateCodec().decodeVersioned(store.get("1")).version())
                .isEqualTo(1L);
    }

    @Test
    void avroSingleObjectEncodedEventsAreDecodedWithTheDeclaredSchema() throws IOException {
        start(EventFormat.AVRO);
        GenericRecord record = transaction(3, 9, 12.5, "NL", T0);
        byte[] encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), Definitions.TRANSACTION)
                .encode(record)
                .array();
        events.pipeInput(null, encoded);
        events.pipeInput(null, "{\"user_id\": 3}".getBytes(StandardCharsets.UTF_8));

        FeatureSnapshot snapshot = users.readValue();
        assertThat(snapshot.getEntityKey()).isEqualTo("3");
        assertThat(snapshot.getValues().get("amount_sum_1h")).isEqualTo(12.5);
        assertThat(header(deadLetters.readRecord(), DeadLetterHeaders.REASON)).isEqualTo("undecodable");
    }

    @Test
    void registryFramedAvroIsReadWithTheDeclaredSchema() throws IOException {
        start(EventFormat.AVRO_REGISTRY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0, 0, 0, 0, 42});
        var encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(Definitions.TRANSACTION).write(transaction(4, 9, 2.0, "NL", T0), encoder);
        encoder.flush();
        events.pipeInput(null, out.toByteArray());

        assertThat(users.readValue().getValues().get("amount_max_1d")).isEqualTo(2.0);
    }

    private static GenericRecord transaction(long user, long merchant, double amount, String country, long time) {
        GenericRecord record = new GenericData.Record(Definitions.TRANSACTION);
        record.put("user_id", user);
        record.put("merchant_id", merchant);
        record.put("merchant", "m" + merchant);
        record.put("amount", amount);
        record.put("country", country);
        record.put("event_time", time);
        return record;
    }

    private double dlqCount(String reason) {
        return registry.get("fathom.dlq").tag("reason", reason).counter().count();
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
