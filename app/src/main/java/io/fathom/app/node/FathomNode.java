package io.fathom.app.node;

import io.fathom.app.http.BaselineEndpoint;
import io.fathom.app.http.HttpServer;
import io.fathom.app.http.Page;
import io.fathom.app.http.Readiness;
import io.fathom.app.http.Scope;
import io.fathom.ingest.IngestConfig;
import io.fathom.ingest.IngestService;
import io.fathom.kafka.Brokers;
import io.fathom.kafka.KafkaSettings;
import io.fathom.kafka.StreamsApp;
import io.fathom.kafka.TopicSpec;
import io.fathom.kafka.Topics;
import io.fathom.kafka.Worker;
import io.fathom.monitor.MonitorConfig;
import io.fathom.monitor.MonitorService;
import io.fathom.monitor.delivery.AlertDispatcher;
import io.fathom.monitor.delivery.AlertDispatcherConfig;
import io.fathom.offline.JoinOptions;
import io.fathom.offline.OfflineStoreConfig;
import io.fathom.offline.OfflineWriter;
import io.fathom.offline.OfflineWriterConfig;
import io.fathom.offline.PointInTimeJoin;
import io.fathom.online.OnlineFeatureReader;
import io.fathom.online.OnlineStore;
import io.fathom.online.OnlineWriter;
import io.fathom.online.OnlineWriterConfig;
import io.fathom.online.RedisConnection;
import io.fathom.online.RedisOnlineStore;
import io.fathom.online.RocksDbOnlineStore;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import io.fathom.schemas.avro.AlertEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * One Fathom process: the components its options name, wired together and started in the
 * constructor, closed in reverse order.
 *
 * <pre>
 * Kafka ──> IngestService ──> fathom.snapshots.* ──┬─> OnlineWriter ──> OnlineStore (RocksDB | Redis)
 *                                                  │                         │
 *                                                  │      HTTP API <── OnlineFeatureReader
 *                                                  │         │
 *                                                  └─> OfflineWriter ──> Parquet <── PointInTimeJoin
 * </pre>
 *
 * The HTTP API also serves the built-in page ({@link Page}) and {@code GET /v1/status} ({@link NodeStatus}).
 */
public final class FathomNode implements AutoCloseable {
    private static final Duration ACCESS_CHECK_TIMEOUT = Duration.ofSeconds(30);
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final FeatureDefinitions definitions;
    private final Clock clock;
    private final OnlineStore store;
    private final OnlineFeatureReader reader;
    private final Optional<StreamsApp> ingest;
    private final Optional<OnlineWriter> writer;
    private final Optional<OfflineWriter> offlineWriter;
    private final PointInTimeJoin join;
    private final MonitorView monitorView;
    private final NodeStatus status;
    private final Optional<StreamsApp> monitor;
    private final Optional<HttpServer> http;
    private final boolean tokensRequired;
    private static final String RUNNING = "running";
    /** In {@code /readyz} while the online store is awaited. */
    private static final String ONLINE_STORE = "online-store";

    /**
     * @param onAlert told of every alert transition the monitor in this process emits (the demo prints them)
     */
    public FathomNode(NodeConfig options, Clock clock, PrometheusMeterRegistry registry, Consumer<AlertEvent> onAlert) {
        this.definitions = options.definitions();
        this.clock = clock;
        this.tokensRequired = options.auth().enabled();
        KafkaSettings kafka = options.kafka();
        try {
            if (kafka.security().protocol() != SecurityProtocol.PLAINTEXT) {
                // a wrong password or an untrusted certificate: one clear message now, not one per component
                Brokers.checkAccess(kafka, ACCESS_CHECK_TIMEOUT);
            }
            this.store = open(openAwaitingRedis(options, clock));
            this.reader = new OnlineFeatureReader(definitions, store, clock);
            if (options.createSourceTopics()) {
                KafkaWait.start("source topics", kafka.description(), () -> {
                    createSourceTopics(options);
                    return true;
                });
            }
            this.ingest = options.components().contains(Component.INGEST)
                    ? Optional.of(open(KafkaWait.start(
                            Component.INGEST.cliName(),
                            kafka.description(),
                            () -> IngestService.start(definitions, ingestConfig(options), clock, registry))))
                    : Optional.empty();
            ingest.ifPresent(i -> i.whenStarted(streams -> new KafkaStreamsMetrics(streams).bindTo(registry)));
            this.writer = options.components().contains(Component.ONLINE_WRITER)
                    ? Optional.of(open(new OnlineWriter(store, writerConfig(options, kafka), clock)))
                    : Optional.empty();
            writer.ifPresent(w -> bindFreshness(w, registry));
            OfflineStoreConfig offline =
                    OfflineStoreConfig.builder(options.offlineRoot()).build();
            this.offlineWriter = options.components().contains(Component.OFFLINE_WRITER)
                    ? Optional.of(open(new OfflineWriter(definitions, offlineConfig(options, kafka, offline), clock)))
                    : Optional.empty();
            this.join = open(new PointInTimeJoin(
                    definitions, offline, JoinOptions.builder().build()));
            this.monitorView = new MonitorView(onAlert);
            this.status = new NodeStatus(
                    definitions,
                    registry,
                    () -> writer.map(OnlineWriter::freshness).orElse(Map.of()),
                    clock);
            if (options.components().contains(Component.MONITOR)) {
                MonitorConfig monitor = monitorConfig(options);
                this.monitor = Optional.of(open(KafkaWait.start(
                        Component.MONITOR.cliName(),
                        kafka.description(),
                        () -> MonitorService.start(definitions, monitor, clock, registry, monitorView))));
            } else {
                this.monitor = Optional.empty();
            }
            if (options.components().contains(Component.ALERT_DISPATCHER)
                    && !options.webhooks().isEmpty()) {
                open(new AlertDispatcher(
                        AlertDispatcherConfig.builder()
                                .kafka(kafka)
                                .endpoints(options.webhooks())
                                .build(),
                        registry));
            }
            this.http = options.components().contains(Component.API)
                    ? Optional.of(open(new HttpServer(
                            options.http(),
                            reader,
                            join,
                            definitions,
                            Map.of(
                                    "/v1/views", this::views,
                                    "/v1/drift", monitorView::reports,
                                    "/v1/alerts", monitorView::alerts,
                                    "/v1/status", status::status),
                            this::readiness,
                            registry)))
                    : Optional.empty();
            http.ifPresent(server -> new Page(definitions, monitorView::histogram).addTo(server));
            if (options.components().contains(Component.MONITOR)) {
                BaselineEndpoint baselines = new BaselineEndpoint(definitions, kafka);
                http.ifPresent(server -> server.post("/v1/baselines", baselines::handle, Scope.BASELINES));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The Java read API: the same reads the HTTP API serves. */
    public OnlineFeatureReader reader() {
        return reader;
    }

    public Optional<Integer> httpPort() {
        return http.map(HttpServer::port);
    }

    /** Whether the API asks for bearer tokens. */
    public boolean tokensRequired() {
        return tokensRequired;
    }

    /** The API's base address on this machine, e.g. {@code https://localhost:8443}, if the node serves it. */
    public Optional<String> httpUrl() {
        return http.map(server -> server.scheme() + "://localhost:" + server.port());
    }

    public Optional<OnlineWriter> writer() {
        return writer;
    }

    /** The point-in-time join over this node's offline store. */
    public PointInTimeJoin join() {
        return join;
    }

    /** Every running component is healthy: ingest RUNNING, the writers applying snapshots. */
    public boolean ready() {
        return readiness().ready();
    }

    /**
     * {@code GET /readyz}: how each component of this node stands ({@code running}, or why not). Readiness depends on
     * ingest, the writers and, while it is awaited, the online store ({@code online-store: waiting for Redis at ...});
     * the monitor's state is reported but does not count (it may wait a long time for a
     * model's predictions, while features are served).
     */
    public Readiness readiness() {
        Map<String, String> components = new LinkedHashMap<>();
        boolean ready = true;
        if (ingest.isPresent()) {
            Optional<String> why = ingest.get().notRunning();
            components.put(Component.INGEST.cliName(), why.orElse(RUNNING));
            ready &= why.isEmpty();
        }
        if (writer.isPresent()) {
            OnlineWriter w = writer.get();
            String state = w.state() != Worker.State.RUNNING
                    ? worker(w.state(), w.failure())
                    : w.waitingForStore() ? "waiting for the online store to answer" : RUNNING;
            components.put(Component.ONLINE_WRITER.cliName(), state);
            ready &= state.equals(RUNNING);
        }
        if (offlineWriter.isPresent()) {
            OfflineWriter w = offlineWriter.get();
            String state = w.state() == Worker.State.RUNNING ? RUNNING : worker(w.state(), w.failure());
            components.put(Component.OFFLINE_WRITER.cliName(), state);
            ready &= state.equals(RUNNING);
        }
        if (store instanceof AwaitedStore awaited) {
            Optional<String> why = awaited.waiting();
            why.ifPresent(w -> components.put(ONLINE_STORE, w));
            ready &= why.isEmpty();
        }
        monitor.ifPresent(
                m -> components.put(Component.MONITOR.cliName(), m.notRunning().orElse(RUNNING)));
        return new Readiness(ready, components);
    }

    private static String worker(Worker.State state, Optional<Throwable> failure) {
        return state.name().toLowerCase(Locale.ROOT)
                + failure.map(f -> ": " + f).orElse("");
    }

    /**
     * Creates the source topics that do not exist yet, with the node's partitions and the broker's default retention:
     * the topics other applications write (events, predictions, labels), for a deployment configured to create them.
     */
    private void createSourceTopics(NodeConfig options) {
        List<String> names = new ArrayList<>(IngestService.sourceTopics(definitions));
        if (options.components().contains(Component.MONITOR)) {
            names.addAll(MonitorService.biasInputs(definitions));
        }
        if (names.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(options.kafka().adminProperties())) {
            Topics.ensure(
                    admin,
                    names.stream()
                            .distinct()
                            .map(name -> TopicSpec.of(name, options.kafka()))
                            .toList());
        }
    }

    /** {@code GET /v1/views}: each view's definition and how fresh the online store is for it. */
    public List<ViewSummary> views() {
        Map<String, OnlineWriter.Freshness> freshness =
                writer.map(OnlineWriter::freshness).orElse(Map.of());
        return definitions.views().stream()
                .map(view -> ViewSummary.of(definitions, view, freshness.get(view.name()), clock.millis()))
                .toList();
    }

    private void bindFreshness(OnlineWriter w, PrometheusMeterRegistry registry) {
        for (ViewDefinition view : definitions.views()) {
            Gauge.builder("fathom.freshness.seconds", w, x -> {
                        OnlineWriter.Freshness f = x.freshness().get(view.name());
                        return f == null ? Double.NaN : (clock.millis() - f.lastEventTs()) / 1000.0;
                    })
                    .description("Age of the newest event applied to the online store, per view")
                    .tag("view", view.name())
                    .register(registry);
        }
        Gauge.builder("fathom.online.writer.lag.records", w, OnlineWriter::recordsBehind)
                .description("Snapshots not yet applied to the online store")
                .register(registry);
    }

    /**
     * The node's store: as {@link #openStore}, but a Redis that cannot be reached yet is awaited ({@link
     * AwaitedStore}) instead of stopping the node.
     */
    private static OnlineStore openAwaitingRedis(NodeConfig options, Clock clock) {
        if (options.redis().isEmpty()) {
            return openStore(options, clock);
        }
        return new AwaitedStore(
                "Redis at " + RedisConnection.redact(options.redis().get().uri()), () -> openStore(options, clock));
    }

    /** The online store a node of this configuration reads and writes: Redis if it names one, else RocksDB. */
    public static OnlineStore openStore(NodeConfig options, Clock clock) {
        Map<String, Duration> ttls = OnlineStore.ttlByView(options.definitions());
        return options.redis().isPresent()
                ? RedisOnlineStore.create(options.redis().get(), ttls)
                : RocksDbOnlineStore.open(options.dataDir().resolve("online"), ttls, clock);
    }

    /** The configuration of a node's ingest. */
    public static IngestConfig ingestConfig(NodeConfig options) {
        return IngestConfig.builder()
                .kafka(options.kafka())
                .stateDir(options.dataDir().resolve("ingest"))
                .commitInterval(options.ingestCommitInterval())
                .idleTimeout(options.watermarkIdleTimeout())
                .build();
    }

    /** The configuration of a node's monitor. */
    public static MonitorConfig monitorConfig(NodeConfig options) {
        return MonitorConfig.builder()
                // the monitor's own topics keep the one partition they always had
                .kafka(options.kafka().toBuilder().partitions(1).build())
                .stateDir(options.dataDir().resolve("monitor"))
                .idleTimeout(options.watermarkIdleTimeout())
                .build();
    }

    private static OnlineWriterConfig writerConfig(NodeConfig options, KafkaSettings kafka) {
        List<String> views =
                options.definitions().views().stream().map(ViewDefinition::name).toList();
        return OnlineWriterConfig.builder()
                .kafka(kafka)
                .groupId("fathom-online-writer")
                .views(views)
                .build();
    }

    private static OfflineWriterConfig offlineConfig(
            NodeConfig options, KafkaSettings kafka, OfflineStoreConfig store) {
        return OfflineWriterConfig.builder()
                .kafka(kafka)
                .store(store)
                .rollInterval(options.offlineRoll())
                .build();
    }

    private <T extends AutoCloseable> T open(T component) {
        opened.add(component);
        return component;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing " + opened.get(i) + " failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        opened.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
