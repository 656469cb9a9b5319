package io.fathom.ingest;

import io.fathom.kafka.GroupOffsets;
import io.fathom.kafka.TopicSpec;
import io.fathom.kafka.Topics;
import io.fathom.schemas.EntityStateCodec;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.VersionedState;
import io.fathom.schemas.ViewDefinition;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Puts entity states computed outside the stream (a backfill) into ingest's state of one view, and says where
 * the stream will continue, so that the two meet exactly: ingest, when it starts, restores the view's state
 * store from its changelog (with the states written here) and reads the view's source from the application's
 * committed offsets (the {@link #boundary}). A backfill of every archived event before the boundary, seeded
 * here, and the stream from the boundary on count each event once.
 *
 * <p>Only while ingest is stopped: {@link #open} fails when the application's consumer group has members (a
 * running ingest neither reads what is written to its changelog nor stops at a boundary read before). Each
 * state goes to the changelog partition of the entity's task ({@code murmur2(key) % partitions}, as ingest
 * routes it), encoded as ingest stores it ({@link EntityStateCodec}); a state written twice is the same
 * record twice (the changelog is compacted).
 */
public final class IngestStateSeed implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 30;

    private final String changelog;
    private final int partitions;
    private final Map<Integer, Long> boundary;
    private final KafkaProducer<byte[], byte[]> producer;
    private final EntityStateCodec codec = new EntityStateCodec();
    private final AtomicLong written = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    private IngestStateSeed(
            String changelog, int partitions, Map<Integer, Long> boundary, KafkaProducer<byte[], byte[]> producer) {
        this.changelog = changelog;
        this.partitions = partitions;
        this.boundary = Map.copyOf(boundary);
        this.producer = producer;
    }

    /**
     * Checks that ingest is stopped, reads the boundary and makes sure the view's changelog exists.
     *
     * @throws IngestException naming the group, the topic or the cluster when ingest is running, the view or its
     *     source topic does not exist, or the cluster cannot be reached
     */
    public static IngestStateSeed open(IngestConfig config, FeatureDefinitions definitions, String viewName) {
        ViewDefinition view = definitions
                .view(viewName)
                .orElseThrow(() -> new IngestException("no view " + viewName + " in the definitions", null));
        String source = definitions.sourceOf(view).topic();
        IngestTopics topics =
                IngestTopics.defaults(config.applicationId(), config.kafka().partitions());
        try (Admin admin = Admin.create(config.kafka().adminProperties())) {
            requireStopped(admin, config.applicationId());
            int sourcePartitions = partitionsOf(admin, source);
            if (sourcePartitions < 0) {
                throw new IngestException("the view's source topic " + source + " does not exist", null);
            }
            Map<Integer, Long> boundary = boundary(admin, config.applicationId(), source, sourcePartitions);
            String changelog = topics.stateChangelog(view);
            if (partitionsOf(admin, changelog) < 0) {
                // As Kafka Streams would create it: one partition per task of the source's sub-topology.
                Topics.create(
                        admin,
                        List.of(TopicSpec.of(changelog, Math.max(sourcePartitions, topics.partitions()), (short)
                                        config.kafka().replicationFactor())
                                .compacted()));
            }
            KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                    config.kafka().producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
            return new IngestStateSeed(changelog, topics.partitions(), boundary, producer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestException("interrupted while reading ingest's position", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IngestException(
                    "cannot read ingest's position from " + config.kafka().bootstrapServers() + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Per partition of the view's source topic, the first offset the stream will read: the application's
     * committed offset, or the partition's earliest offset where it has none (as a new consumer starts).
     */
    public Map<Integer, Long> boundary() {
        return boundary;
    }

    /** Writes one entity's state; thread-safe. A failure is thrown by {@link #close}. */
    public void put(String entityKey, VersionedState state) {
        byte[] key = entityKey.getBytes(StandardCharsets.UTF_8);
        int partition = Utils.toPositive(Utils.murmur2(key)) % partitions;
        producer.send(
                new ProducerRecord<>(
                        changelog, partition, key, codec.encode(state).bytes()),
                (m, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        written.incrementAndGet();
                    }
                });
    }

    /** States acknowledged so far. */
    public long written() {
        return written.get();
    }

    /** The changelog topic the states go to. */
    public String changelog() {
        return changelog;
    }

    /**
     * Waits for every state to be acknowledged, then closes.
     *
     * @throws IngestException if a state could not be written
     */
    @Override
    public void close() {
        producer.flush();
        producer.close();
        Exception e = failure.get();
        if (e != null) {
            throw new IngestException("writing states to " + changelog + " failed: " + e.getMessage(), e);
        }
    }

    private static void requireStopped(Admin admin, String group)
            throws InterruptedException, ExecutionException, TimeoutException {
        ConsumerGroupDescription description;
        try {
            description = admin.describeConsumerGroups(List.of(group))
                    .describedGroups()
                    .get(group)
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return;
            }
            throw e;
        }
        if (!description.members().isEmpty()) {
            throw new IngestException(
                    "ingest is running: its group " + group + " has "
                            + description.members().size()
                            + " member(s). Stop every ingest instance (fathom run with the ingest component)"
                            + " first: a running ingest would not read the seeded states, and its position would move."
                            + " An instance that was killed rather than stopped stays a member until its session"
                            + " times out (session.timeout.ms, 45 s by default)",
                    null);
        }
    }

    /** The partition count of a topic, or -1 when it does not exist. */
    private static int partitionsOf(Admin admin, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (!admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).contains(topic)) {
            return -1;
        }
        TopicDescription description = admin.describeTopics(List.of(topic))
                .topicNameValues()
                .get(topic)
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return description.partitions().size();
    }

    private static Map<Integer, Long> boundary(Admin admin, String group, String topic, int partitions)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<Integer, Long> boundary = new HashMap<>(GroupOffsets.committed(admin, group, topic));
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            if (!boundary.containsKey(p)) {
                earliest.put(new TopicPartition(topic, p), OffsetSpec.earliest());
            }
        }
        if (!earliest.isEmpty()) {
            admin.listOffsets(earliest)
                    .all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .forEach((partition, info) -> boundary.put(partition.partition(), info.offset()));
        }
        return boundary;
    }
}
