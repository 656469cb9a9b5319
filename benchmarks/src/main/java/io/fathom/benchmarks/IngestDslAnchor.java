package io.fathom.benchmarks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.WindowedSerdes;

/**
 * The anchor a user would otherwise write for ingest's benchmark view: the same 10 features as a Kafka Streams DSL
 * windowed aggregation. The events (already keyed by user id, so no repartition) are decoded with Avro's
 * single-object decoder, timed by their {@code event_time} field, and aggregated per user over sliding windows of
 * 1 h (count, sum, mean) and 1 d (count, sum, mean, min, max, stddev, distinct merchants), with the view's allowed
 * lateness (10 minutes) as grace; each window's aggregate goes to an output topic. Sliding windows are the DSL's
 * "over the last W as of each event", what ingest's tiles evaluate.
 */
final class IngestDslAnchor {
    static final String HOUR_TOPIC = "bench-dsl-1h";
    static final String DAY_TOPIC = "bench-dsl-1d";

    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration GRACE = Duration.ofMinutes(10);

    private IngestDslAnchor() {}

    static Topology topology(String inputTopic, Schema eventSchema) {
        Serde<Transaction> transactions = Serdes.serdeFrom(
                (topic, t) -> {
                    throw new UnsupportedOperationException("the anchor reads transactions only");
                },
                new TransactionDeserializer(eventSchema));
        StreamsBuilder builder = new StreamsBuilder();
        KGroupedStream<String, Transaction> byUser = builder.stream(
                        inputTopic,
                        Consumed.with(Serdes.String(), transactions)
                                .withTimestampExtractor((record, previous) -> ((Transaction) record.value()).eventTime))
                .groupByKey();
        aggregate(byUser, HOUR, false, HOUR_TOPIC);
        aggregate(byUser, DAY, true, DAY_TOPIC);
        return builder.build();
    }

    /** Each user's sliding windows of {@code size}, aggregated, to {@code topic}; with the merchants if {@code distinct}. */
    private static void aggregate(
            KGroupedStream<String, Transaction> byUser, Duration size, boolean distinct, String topic) {
        Serde<Stats> stats = Serdes.serdeFrom(new StatsSerializer(), new StatsDeserializer());
        byUser.windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(size, GRACE))
                .aggregate(
                        () -> new Stats(distinct), (user, t, s) -> s.add(t), Materialized.with(Serdes.String(), stats))
                .toStream()
                .to(topic, Produced.with(WindowedSerdes.timeWindowedSerdeFrom(String.class, size.toMillis()), stats));
    }

    /** The fields of a benchmark event the features read. */
    record Transaction(String merchant, double amount, long eventTime) {}

    private static final class TransactionDeserializer implements Deserializer<Transaction> {
        private final BinaryMessageDecoder<GenericRecord> decoder;

        TransactionDeserializer(Schema schema) {
            this.decoder = new BinaryMessageDecoder<>(GenericData.get(), schema);
        }

        @Override
        public Transaction deserialize(String topic, byte[] bytes) {
            try {
                GenericRecord record = decoder.decode(bytes);
                return new Transaction(record.get("merchant").toString(), (Double) record.get("amount"), (Long)
                        record.get("event_time"));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("undecodable benchmark event", e);
            }
        }
    }

    /** One window's aggregate: count, sum, Welford's mean and M2 (stddev), min, max and, for 1 d, the merchants. */
    static final class Stats {
        long count;
        double sum;
        double mean;
        double m2;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        final Set<String> merchants;

        Stats(boolean distinct) {
            this.merchants = distinct ? new HashSet<>() : null;
        }

        Stats add(Transaction t) {
            count++;
            sum += t.amount();
            double delta = t.amount() - mean;
            mean += delta / count;
            m2 += delta * (t.amount() - mean);
            min = Math.min(min, t.amount());
            max = Math.max(max, t.amount());
            if (merchants != null) {
                merchants.add(t.merchant());
            }
            return this;
        }
    }

    private static final class StatsSerializer implements Serializer<Stats> {
        @Override
        public byte[] serialize(String topic, Stats s) {
            int size = 1 + 8 * 6 + 4;
            byte[][] names = new byte[s.merchants == null ? 0 : s.merchants.size()][];
            if (s.merchants != null) {
                int i = 0;
                for (String merchant : s.merchants) {
                    names[i] = merchant.getBytes(StandardCharsets.UTF_8);
                    size += 4 + names[i].length;
                    i++;
                }
            }
            ByteBuffer out = ByteBuffer.allocate(size);
            out.put((byte) (s.merchants == null ? 0 : 1));
            out.putLong(s.count).putDouble(s.sum).putDouble(s.mean).putDouble(s.m2);
            out.putDouble(s.min).putDouble(s.max);
            out.putInt(names.length);
            for (byte[] name : names) {
                out.putInt(name.length).put(name);
            }
            return out.array();
        }
    }

    private static final class StatsDeserializer implements Deserializer<Stats> {
        @Override
        public Stats deserialize(String topic, byte[] bytes) {
            if (bytes == null) {
                return null;
            }
            ByteBuffer in = ByteBuffer.wrap(bytes);
            Stats s = new Stats(in.get() == 1);
            s.count = in.getLong();
            s.sum = in.getDouble();
            s.mean = in.getDouble();
            s.m2 = in.getDouble();
            s.min = in.getDouble();
            s.max = in.getDouble();
            int distinct = in.getInt();
            for (int i = 0; i < distinct; i++) {
                byte[] name = new byte[in.getInt()];
                in.get(name);
                s.merchants.add(new String(name, StandardCharsets.UTF_8));
            }
            return s;
        }
    }
}
