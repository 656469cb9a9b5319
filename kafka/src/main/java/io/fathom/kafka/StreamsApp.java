package io.fathom.kafka;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Kafka Streams application of a component (ingest, the monitor), started by {@link #builder}'s {@code
 * start}, whatever order the deployment starts in.
 *
 * <pre>
 *  start ──(source topics all exist)──────────────────────────────> topology built ──> Kafka Streams started
 *    └──(some missing: "waiting for source topics [t]", once)──> polled every second ──┘
 *
 *  a stream thread fails ──> replaced (at most 5 within 10 minutes; a missing source topic always)
 *                       └──> beyond that, or an Error: the client stops, one line naming the component
 * </pre>
 *
 * <ul>
 *   <li><b>Source topics</b> are the topics other applications write and the component only reads (events,
 *       predictions). A Kafka Streams client started before they exist fails with {@link
 *       MissingSourceTopicException}; so the application waits: it checks them once at start (a deployment whose
 *       topics exist starts at once, in the calling thread), and otherwise says once, as a warning, which are
 *       missing and polls in a thread of its own until all exist. The topology is built then, from the source
 *       topics' partition counts. {@link #notRunning()} says what it waits for.
 *   <li><b>A failed stream thread</b> is replaced (Kafka Streams' {@code REPLACE_THREAD}: its tasks move to the new
 *       thread, an open transaction is aborted) and logged as one warning; a source topic deleted while running is
 *       replaced for as long as it takes. More than 5 other failures within 10 minutes, or an {@link Error}, are not
 *       recoverable: the client stops and one error line names the component (Kafka's own lines go to the log
 *       file, this one reaches the console of {@code fathom demo} and {@code run}).
 * </ul>
 *
 * Closing stops it (or its wait), waiting up to 30 s, and leaves the consumer group at once (Kafka Streams' default
 * stays a member until the session times out): the partitions move to the other instances without waiting, and a
 * stopped application's group is empty, as a backfill into ingest's state requires.
 *
 * <p>Kafka Streams is an optional dependency of this module: a module that starts one depends on it.
 */
public final class StreamsApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DESCRIBE_TIMEOUT = Duration.ofSeconds(10);

    /** Builds the application's topology once its source topics exist. */
    @FunctionalInterface
    public interface TopologyFactory {
        /** @param sourcePartitions the partition count of every source topic the application waited for */
        Topology build(Map<String, Integer> sourcePartitions);
    }

    private final String component;
    private final Properties properties;
    private final TopologyFactory topology;
    private final ThreadReplacements replacements;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Object lock = new Object();
    /** Null until started; guarded by {@code lock}. */
    private KafkaStreams streams;
    /** Told once the client is started; guarded by {@code lock}. */
    private final List<Consumer<KafkaStreams>> onStart = new ArrayList<>();

    private volatile SortedSet<String> missing = new TreeSet<>();
    private volatile String failure;
    private volatile boolean missingTopicLogged;
    private final Optional<Thread> waiter;

    private StreamsApp(Builder builder, TopologyFactory topology) {
        this.component = builder.component;
        this.properties = builder.properties;
        this.topology = topology;
        this.replacements = new ThreadReplacements(builder.maxReplacements, builder.replacementWindow, builder.clock);
        if (builder.sourceTopics.isEmpty()) {
            start(Map.of());
            this.waiter = Optional.empty();
            return;
        }
        SortedSet<String> sources = new TreeSet<>(builder.sourceTopics);
        Duration pollInterval = builder.pollInterval;
        Admin admin = Admin.create(builder.kafka.adminProperties());
        Optional<Thread> wait = Optional.empty();
        try {
            SourceCheck check = SourceCheck.of(admin, sources);
            if (check.complete()) {
                start(check.partitions());
            } else {
                missing = check.missing();
                LOG.warn(
                        "{}: waiting for source topics {} to be created; it starts once they exist",
                        component,
                        check.missing());
                Thread thread = new Thread(
                        () -> awaitTopics(admin, sources, pollInterval), "fathom-" + component + "-awaits-topics");
                thread.setDaemon(true);
                thread.start();
                wait = Optional.of(thread);
            }
        } finally {
            if (wait.isEmpty()) {
                admin.close(Duration.ZERO);
            }
        }
        this.waiter = wait;
    }

    /**
     * A builder of the application of {@code component}.
     *
     * @param component the name in its log lines and {@link #notRunning()}, e.g. {@code ingest}
     * @param properties from {@link KafkaSettings#streamsProperties(String)}, plus the application's own
     */
    public static Builder builder(String component, Properties properties) {
        return new Builder(component, properties);
    }

    /** The options of a {@link StreamsApp}; {@code start} starts it. */
    public static final class Builder {
        private final String component;
        private final Properties properties;
        private KafkaSettings kafka;
        private SortedSet<String> sourceTopics = new TreeSet<>();
        private Duration pollInterval = Duration.ofSeconds(1);
        private Clock clock = Clock.systemUTC();
        private int maxReplacements = 5;
        private Duration replacementWindow = Duration.ofMinutes(10);

        private Builder(String component, Properties properties) {
            this.component = Objects.requireNonNull(component, "component");
            this.properties = Objects.requireNonNull(properties, "properties");
        }

        /** Waits for these topics (through an admin client of {@code kafka}) before building and starting; none by default. */
        public Builder sourceTopics(KafkaSettings kafka, Collection<String> topics) {
            this.kafka = Objects.requireNonNull(kafka, "kafka");
            this.sourceTopics = new TreeSet<>(topics);
            return this;
        }

        /** How often missing source topics are looked for; default 1 s. */
        public Builder pollInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("pollInterval must be positive, was " + interval);
            }
            this.pollInterval = interval;
            return this;
        }

        /**
         * At most {@code max} failed stream threads are replaced within any {@code window} (default 5 within 10
         * minutes); the next failure stops the client.
         */
        public Builder replacements(int max, Duration window, Clock clock) {
            new ThreadReplacements(max, window, clock); // validates
            this.maxReplacements = max;
            this.replacementWindow = window;
            this.clock = clock;
            return this;
        }

        /** Starts the application with the topology {@code topology} builds from the source topics' partitions. */
        public StreamsApp start(TopologyFactory topology) {
            return new StreamsApp(this, Objects.requireNonNull(topology, "topology"));
        }

        /** Starts the application with a topology that needs nothing of its source topics. */
        public StreamsApp start(Topology topology) {
            Objects.requireNonNull(topology, "topology");
            return start(partitions -> topology);
        }
    }

    /** What one look at the source topics found: their partition counts, and which are missing. */
    private record SourceCheck(Map<String, Integer> partitions, SortedSet<String> missing, Optional<String> problem) {
        boolean complete() {
            return missing.isEmpty();
        }

        static SourceCheck of(Admin admin, Set<String> topics) {
            Map<String, Integer> partitions = new TreeMap<>();
            SortedSet<String> missing = new TreeSet<>();
            Optional<String> problem = Optional.empty();
            for (var entry : admin.describeTopics(topics).topicNameValues().entrySet()) {
                try {
                    partitions.put(
                            entry.getKey(),
                            entry.getValue()
                                    .get(DESCRIBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                                    .partitions()
                                    .size());
                } catch (ExecutionException e) {
                    missing.add(entry.getKey());
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        problem = Optional.of(String.valueOf(e.getCause()));
                    }
                } catch (TimeoutException e) {
                    missing.add(entry.getKey());
                    problem = Optional.of("the broker did not describe it within " + DESCRIBE_TIMEOUT);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new FathomKafkaException("interrupted while describing topics " + topics, e);
                }
            }
            return new SourceCheck(partitions, missing, problem);
        }
    }

    private void awaitTopics(Admin admin, Set<String> topics, Duration interval) {
        try (admin) {
            while (!closing.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
                SourceCheck check = SourceCheck.of(admin, topics);
                check.problem().ifPresent(p -> LOG.debug("{}: cannot describe source topics: {}", component, p));
                missing = check.missing();
                if (check.complete()) {
                    LOG.info("{}: source topics {} exist; starting", component, topics);
                    start(check.partitions());
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e.toString();
            LOG.error("{} did not start: {}", component, e.toString(), e);
        }
    }

    private void start(Map<String, Integer> sourcePartitions) {
        synchronized (lock) {
            if (closing.getCount() == 0) {
                return;
            }
            KafkaStreams created = new KafkaStreams(topology.build(sourcePartitions), properties);
            created.setUncaughtExceptionHandler(this::onThreadFailure);
            created.start();
            streams = created;
            missing = new TreeSet<>();
            onStart.forEach(action -> action.accept(created));
            onStart.clear();
        }
    }

    private StreamThreadExceptionResponse onThreadFailure(Throwable e) {
        if (causedBy(e, MissingSourceTopicException.class)) {
            if (!missingTopicLogged) {
                missingTopicLogged = true;
                LOG.warn(
                        "{}: a source topic is missing ({}); replacing the stream thread until it exists again",
                        component,
                        e.getMessage());
            }
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        String cause = rootCause(e).toString();
        if (!(e instanceof Error) && replacements.allow()) {
            LOG.warn(
                    "{}: a stream thread failed ({}); replacing it ({} of at most {} within {})",
                    component,
                    cause,
                    replacements.recent(),
                    replacements.max(),
                    replacements.window(),
                    e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        failure = cause;
        LOG.error(
                "{} stopped: {}{}",
                component,
                cause,
                e instanceof Error
                        ? ""
                        : " (more than " + replacements.max() + " stream thread failures within "
                                + replacements.window() + ")",
                e);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** The innermost cause: Kafka Streams wraps a processor's exception with the stack trace in the message. */
    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Kafka Streams' state; {@code CREATED} while waiting for source topics. */
    public KafkaStreams.State state() {
        synchronized (lock) {
            return streams == null ? KafkaStreams.State.CREATED : streams.state();
        }
    }

    /**
     * Empty when RUNNING; else why not, e.g. {@code waiting for source topics [transactions] to be created}, {@code
     * Kafka Streams is REBALANCING}, {@code stopped: ...}.
     */
    public Optional<String> notRunning() {
        String stopped = failure;
        if (stopped != null) {
            return Optional.of("stopped: " + stopped);
        }
        SortedSet<String> waitingFor = missing;
        if (!waitingFor.isEmpty()) {
            return Optional.of("waiting for source topics " + waitingFor + " to be created");
        }
        KafkaStreams.State state = state();
        return state == KafkaStreams.State.RUNNING ? Optional.empty() : Optional.of("Kafka Streams is " + state);
    }

    /**
     * The Kafka Streams instance, for its metrics and state listeners.
     *
     * @throws IllegalStateException while it waits for its source topics (see {@link #whenStarted})
     */
    public KafkaStreams streams() {
        synchronized (lock) {
            if (streams == null) {
                throw new IllegalStateException(
                        component + " has not started: " + notRunning().orElse(""));
            }
            return streams;
        }
    }

    /** Runs {@code action} with the Kafka Streams instance now if started, else once it is (in the waiting thread). */
    public void whenStarted(Consumer<KafkaStreams> action) {
        Objects.requireNonNull(action, "action");
        KafkaStreams started;
        synchronized (lock) {
            if (streams == null) {
                onStart.add(action);
                return;
            }
            started = streams;
        }
        action.accept(started);
    }

    @Override
    public void close() {
        KafkaStreams running;
        synchronized (lock) {
            closing.countDown();
            running = streams;
        }
        waiter.ifPresent(thread -> {
            try {
                thread.join(CLOSE_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        if (running != null) {
            running.close(CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(CLOSE_TIMEOUT));
        }
    }
}
