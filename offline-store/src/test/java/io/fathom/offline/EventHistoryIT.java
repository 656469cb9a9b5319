package io.fathom.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fathom.core.InvalidEventException;
import io.fathom.core.TileAggregator;
import io.fathom.core.ViewPlan;
import io.fathom.offline.internal.EventSchema;
import io.fathom.schemas.EventFormat;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.avro.EntityState;
import io.fathom.testkit.Definitions;
import io.fathom.testkit.KafkaBroker;
import io.fathom.testkit.KafkaExtension;
import io.fathom.testkit.TestProducer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event history on a real broker: a JSON and an Avro source archived by the offline writer, exactly once
 * across a restart of the writer in the middle of the stream (a new consumer group: only the files say where
 * to resume), each event's fields as produced, a late event kept, and the events ingest dead-letters before
 * any view sees them (undecodable, no valid event time) left out. The crash of a writer process is in
 * {@link OfflineWriterIT}.
 */
@ExtendWith(KafkaExtension.class)
class EventHistoryIT {
    private static final long MIDNIGHT = Instant.parse("2026-10-02T00:00:00Z").toEpochMilli();
    private static final int PARTITIONS = 2;
    /** Orders with a field of each kind: long, nullable double, int, boolean, enum, nullable string. */
    private static final Schema ORDER = orderSchema();

    @TempDir
    Path dir;

    private final KafkaBroker broker;

    EventHistoryIT(KafkaBroker broker) {
        this.broker = broker;
    }

    /** A produced event that must be archived: where it landed, its event time, and its JSON text or record. */
    private record Produced(int partition, long offset, long eventTs, Object value) {}

    @Test
    void archivesJsonAndAvroEventsOnceWithTheirFieldsAcrossARestartAndKeepsLateEvents() throws Exception {
        String suffix = "_" + System.nanoTime();
        String clicksTopic = "clicks" + suffix;
        String ordersTopic = "orders" + suffix;
        broker.createTopics(PARTITIONS, clicksTopic, ordersTopic);
        FeatureDefinitions definitions = Definitions.builder()
                .entity("user", "user_id")
                .jsonSource("clicks", clicksTopic, "ts")
                .source("orders", ordersTopic, EventFormat.AVRO, ORDER, "event_time")
                .view(Definitions.view("user_clicks" + suffix)
                        .source("clicks")
                        .count("clicks_10m", Duration.ofMinutes(10)))
                .view(Definitions.view("user_orders" + suffix)
                        .source("orders")
                        .allowedLateness(Duration.ZERO)
                        .feature("amount_sum_10m", io.fathom.schemas.Aggregation.SUM, "amount", Duration.ofMinutes(10)))
                .build();
        OfflineWriterConfig config = OfflineWriterConfig.builder()
                .kafka(broker.kafka())
                .store(OfflineStoreConfig.builder(dir).build())
                .groupId("first" + suffix)
                .rollRows(40)
                .rollInterval(Duration.ofMillis(300))
                .pollTimeout(Duration.ofMillis(100))
                .build();

        Map<String, Produced> clicks = new HashMap<>();
        Map<String, Produced> orders = new HashMap<>();
        List<String> skipped = new ArrayList<>();
        produceClicks(clicksTopic, 0, 150, clicks, skipped);
        produceOrders(ordersTopic, 0, 150, orders, skipped);
        int firstEvents;
        try (OfflineWriter writer = new OfflineWriter(definitions, config, Clock.systemUTC())) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> StoredEvents.count(dir, "clicks") == clicks.size()
                            && StoredEvents.count(dir, "orders") == orders.size());
            firstEvents = clicks.size() + orders.size();
            assertThat(writer.rowsWritten()).isEqualTo(firstEvents);
            assertThat(writer.recordsSkipped()).isEqualTo(skipped.size());
        }

        // The stream goes on while no writer runs; a new writer in a new group resumes from the files.
        produceClicks(clicksTopic, 150, 150, clicks, skipped);
        produceOrders(ordersTopic, 150, 150, orders, skipped);
        Produced late = produceLateOrder(ordersTopic, orders, definitions, suffix);
        try (OfflineWriter writer = new OfflineWriter(
                definitions, config.toBuilder().groupId("second" + suffix).build(), Clock.systemUTC())) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> StoredEvents.count(dir, "clicks") == clicks.size()
                            && StoredEvents.count(dir, "orders") == orders.size());
            assertThat(writer.rowsWritten()).isEqualTo(clicks.size() + orders.size() - firstEvents);
        }

        List<StoredEvents.Row> storedClicks = StoredEvents.read(dir, "clicks");
        assertExactlyOnceInTheirFiles(storedClicks, clicks, clicksTopic);
        for (StoredEvents.Row row : storedClicks) {
            Produced expected = clicks.get(row.partition() + "@" + row.offset());
            assertThat(row.row().get(EventSchema.VALUE).toString()).isEqualTo(expected.value());
        }

        List<StoredEvents.Row> storedOrders = StoredEvents.read(dir, "orders");
        assertExactlyOnceInTheirFiles(storedOrders, orders, ordersTopic);
        for (StoredEvents.Row row : storedOrders) {
            GenericRecord expected = (GenericRecord)
                    orders.get(row.partition() + "@" + row.offset()).value();
            for (Schema.Field field : ORDER.getFields()) {
                assertThat(String.valueOf(row.row().get(field.name())))
                        .as("field %s of offset %d", field.name(), row.offset())
                        .isEqualTo(String.valueOf(expected.get(field.name())));
            }
        }
        assertThat(storedOrders).anyMatch(r -> r.partition() == late.partition() && r.offset() == late.offset());
        assertThat(storedOrders
                        .get(0)
                        .row()
                        .getSchema()
                        .getField("channel")
                        .schema()
                        .getType())
                .isEqualTo(Schema.Type.ENUM);
        assertThat(storedClicks).extracting(StoredEvents.Row::date).contains("2026-10-01", "2026-10-02");
        assertThat(StoredEvents.temporaries(dir, "clicks")).isEmpty();
        assertThat(StoredEvents.temporaries(dir, "orders")).isEmpty();
    }

    private static void assertExactlyOnceInTheirFiles(
            List<StoredEvents.Row> stored, Map<String, Produced> produced, String topic) {
        List<String> positions =
                stored.stream().map(r -> r.partition() + "@" + r.offset()).toList();
        assertThat(new HashSet<>(positions)).hasSameSizeAs(positions);
        assertThat(positions).containsExactlyInAnyOrderElementsOf(produced.keySet());
        for (StoredEvents.Row row : stored) {
            Produced expected = produced.get(row.partition() + "@" + row.offset());
            assertThat(row.eventTs()).isEqualTo(expected.eventTs());
            assertThat(row.date())
                    .isEqualTo(Instant.ofEpochMilli(expected.eventTs())
                            .atOffset(ZoneOffset.UTC)
                            .toLocalDate()
                            .toString());
            assertThat(row.name().topic()).isEqualTo(topic);
            assertThat(row.name().partition()).isEqualTo(row.partition());
            assertThat(row.offset())
                    .isBetween(row.name().startOffset(), row.name().endOffset());
        }
    }

    /**
     * Clicks of 20 users 20 s apart around midnight, event times alternately epoch millis and ISO-8601 with an
     * offset; every tenth without a user (a key a view needs: ingest dead-letters it for that view only, the
     * history keeps it); every 37th not an event ingest accepts (recorded in {@code skipped}).
     */
    private void produceClicks(
            String topic, int from, int count, Map<String, Produced> produced, List<String> skipped) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        String[] bad = {"{not json", "{\"user_id\": 1}", "{\"user_id\": 1, \"ts\": \"yesterday\"}"};
        for (int i = from; i < from + count; i++) {
            long ts = MIDNIGHT + (i - 150) * 20_000L;
            String text;
            if (i % 37 == 5) {
                text = bad[(i / 37) % bad.length];
                ts = Long.MIN_VALUE;
            } else {
                String time = i % 2 == 0
                        ? Long.toString(ts)
                        : "\""
                                + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                                        Instant.ofEpochMilli(ts).atOffset(ZoneOffset.ofHours(2)))
                                + "\"";
                String user = i % 10 == 3 ? "" : "\"user_id\": " + (i % 20) + ", ";
                text = "{" + user + "\"ts\": " + time + ", \"page\": \"caf\u00e9/" + i
                        + "\", \"tags\": [\"a\", \"b\"], \"nested\": {\"x\": 1.5}}";
            }
            times.add(ts);
            texts.add(text);
            records.add(new ProducerRecord<>(
                    topic, i % PARTITIONS, Integer.toString(i % 20), text.getBytes(StandardCharsets.UTF_8)));
        }
        List<RecordMetadata> sent;
        try (TestProducer<String, byte[]> producer = TestProducer.create(
                broker.kafka().producerProperties(), new StringSerializer(), new ByteArraySerializer())) {
            sent = producer.send(records);
        }
        for (int i = 0; i < sent.size(); i++) {
            String position = sent.get(i).partition() + "@" + sent.get(i).offset();
            if (times.get(i) == Long.MIN_VALUE) {
                skipped.add(position);
            } else {
                produced.put(
                        position,
                        new Produced(sent.get(i).partition(), sent.get(i).offset(), times.get(i), texts.get(i)));
            }
        }
    }

    /** Orders of 20 users 20 s apart around midnight, in one transaction; every 37th not Avro at all. */
    private void produceOrders(String topic, int from, int count, Map<String, Produced> produced, List<String> skipped)
            throws IOException {
        BinaryMessageEncoder<GenericRecord> encoder = new BinaryMessageEncoder<>(GenericData.get(), ORDER);
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        List<GenericRecord> orders = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            GenericData.Record order = order(i % 20, MIDNIGHT + (i - 150) * 20_000L, i);
            orders.add(i % 37 == 5 ? null : order);
            byte[] value = i % 37 == 5
                    ? "not an Avro event".getBytes(StandardCharsets.UTF_8)
                    : encoder.encode(order).array();
            records.add(new ProducerRecord<>(topic, i % PARTITIONS, Integer.toString(i % 20), value));
        }
        sendOrders(records, orders, produced, skipped, topic + from);
    }

    /**
     * An order of user 1 three hours before that user's latest event, produced last: ingest (lateness 0)
     * rejects it as late — core's rule says so below — and the history keeps it.
     */
    private Produced produceLateOrder(
            String topic, Map<String, Produced> produced, FeatureDefinitions definitions, String suffix)
            throws IOException {
        long latest = produced.values().stream()
                .map(p -> (GenericRecord) p.value())
                .filter(r -> (Long) r.get("user_id") == 1L)
                .mapToLong(r -> (Long) r.get("event_time"))
                .max()
                .orElseThrow();
        long lateTs = latest - Duration.ofHours(3).toMillis();
        TileAggregator aggregator = new TileAggregator(
                ViewPlan.of(definitions.view("user_orders" + suffix).orElseThrow()));
        EntityState state = aggregator.newState();
        aggregator.add(state, latest, Map.of("amount", 1.0));
        assertThatThrownBy(() -> aggregator.add(state, lateTs, Map.of("amount", 1.0)))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.reason())
                        .isEqualTo(InvalidEventException.Reason.LATE));

        GenericData.Record order = order(1, lateTs, -1);
        byte[] value = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), ORDER)
                .encode(order)
                .array();
        List<String> none = new ArrayList<>();
        Map<String, Produced> one = new HashMap<>();
        sendOrders(List.of(new ProducerRecord<>(topic, 1, "1", value)), List.of(order), one, none, topic + "late");
        produced.putAll(one);
        return one.values().iterator().next();
    }

    private void sendOrders(
            List<ProducerRecord<String, byte[]>> records,
            List<GenericRecord> orders,
            Map<String, Produced> produced,
            List<String> skipped,
            String transactionalId) {
        List<RecordMetadata> sent;
        try (TestProducer<String, byte[]> producer = TestProducer.transactional(
                broker.kafka().producerProperties(),
                transactionalId,
                new StringSerializer(),
                new ByteArraySerializer())) {
            sent = producer.send(records);
        }
        for (int i = 0; i < sent.size(); i++) {
            String position = sent.get(i).partition() + "@" + sent.get(i).offset();
            GenericRecord order = orders.get(i);
            if (order == null) {
                skipped.add(position);
            } else {
                produced.put(
                        position,
                        new Produced(
                                sent.get(i).partition(), sent.get(i).offset(), (Long) order.get("event_time"), order));
            }
        }
    }

    private static GenericData.Record order(long user, long eventTs, int i) {
        GenericData.Record order = new GenericData.Record(ORDER);
        order.put("user_id", user);
        order.put("amount", i % 5 == 0 ? null : i * 1.25);
        order.put("items", i % 4);
        order.put("paid", i % 3 == 0);
        order.put(
                "channel", new GenericData.EnumSymbol(ORDER.getField("channel").schema(), i % 2 == 0 ? "WEB" : "APP"));
        order.put("note", i % 6 == 0 ? null : "n\u00f8te " + i);
        order.put("event_time", eventTs);
        return order;
    }

    private static Schema orderSchema() {
        try (var in = EventHistoryIT.class.getResourceAsStream("/order.avsc")) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
