package io.fathom.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fathom.app.http.ApiAuth;
import io.fathom.app.http.TlsConfig;
import io.fathom.app.node.NodeConfig;
import io.fathom.core.WatermarkTracker;
import io.fathom.ingest.IngestConfig;
import io.fathom.kafka.KafkaSecurity;
import io.fathom.kafka.KafkaSettings;
import io.fathom.monitor.delivery.DeliveryException;
import io.fathom.monitor.delivery.EndpointGuard;
import io.fathom.monitor.delivery.WebhookEndpoint;
import io.fathom.monitor.delivery.WebhookEndpointBuilder;
import io.fathom.online.RedisConnection;
import io.fathom.schemas.DefinitionsParser;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.InvalidDefinitionsException;
import io.fathom.schemas.yaml.Mapping;
import io.fathom.schemas.yaml.Mapping.Item;
import io.fathom.schemas.yaml.Problems;
import io.fathom.schemas.yaml.Quoting;
import io.fathom.schemas.yaml.YamlDocument;
import io.fathom.schemas.yaml.YamlPath;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the {@link NodeConfig} of {@code fathom run} from YAML, lets environment variables override it (for containers), and
 * validates everything (the definitions file too) before anything starts, listing every problem the way the definitions parser
 * does: each with its path, in file order, with the nearest known key for a misspelt one.
 *
 * <pre>
 * definitions: examples/definitions/fathom.yaml   # FATHOM_DEFINITIONS  (relative to this file)
 * kafka:
 *   bootstrap_servers: localhost:9092             # FATHOM_KAFKA_BOOTSTRAP_SERVERS (required)
 *   partitions: 4                                 # FATHOM_KAFKA_PARTITIONS
 *   standby_replicas: 0                           # FATHOM_KAFKA_STANDBY_REPLICAS (Kafka Streams' num.standby.replicas)
 *   create_source_topics: false                   # FATHOM_KAFKA_CREATE_SOURCE_TOPICS (default: wait for them)
 *   security_protocol: SASL_SSL                   # FATHOM_KAFKA_SECURITY_PROTOCOL (default PLAINTEXT)
 *   sasl: {mechanism: SCRAM-SHA-512, username: fathom, password: "..."}
 *                                                 # FATHOM_KAFKA_SASL_MECHANISM, _USERNAME, _PASSWORD
 *   ssl: {truststore: ca.p12, truststore_password: "..."}
 *                                                 # FATHOM_KAFKA_SSL_TRUSTSTORE, _TRUSTSTORE_PASSWORD, ... (ClientSecurity)
 * online:
 *   redis: redis://localhost:6379                 # FATHOM_ONLINE_REDIS (absent or empty: embedded RocksDB;
 *                                                 #   rediss://user:password@host:port for TLS and an ACL user)
 *   redis_truststore: redis-ca.pem                # FATHOM_ONLINE_REDIS_TRUSTSTORE (and _PASSWORD), redis_verify_peer
 * offline:
 *   root: hdfs://namenode:8020/fathom             # FATHOM_OFFLINE_ROOT (default: data_dir/offline)
 *   roll_seconds: 300                             # FATHOM_OFFLINE_ROLL_SECONDS: event time one file spans at most
 * ingest:
 *   commit_interval: 50ms                         # FATHOM_INGEST_COMMIT_INTERVAL (IngestConfig's default)
 * watermark:
 *   idle_timeout: 1m                              # FATHOM_WATERMARK_IDLE_TIMEOUT: a partition silent this long stops
 *                                                 #   holding back ingest's and the monitor's watermarks
 * alerts:
 *   webhooks:                                     # the alert dispatcher's endpoints
 *     - {name: oncall, url: "https://alerts.example.com/hook", format: alertmanager, secret: "whsec_..."}
 * data_dir: fathom-data                           # FATHOM_DATA_DIR
 * http:
 *   host: 0.0.0.0                                 # FATHOM_HTTP_HOST
 *   port: 8080                                    # FATHOM_HTTP_PORT
 *   auth:                                         # bearer tokens (absent: the API is open); see SecurityConfig
 *     tokens:
 *       - {name: dashboards, token_env: FATHOM_TOKEN_DASHBOARDS, scopes: [features]}
 *     metrics: open                               # or the scope GET /metrics needs
 *   tls: {cert: tls/fathom.crt, key: tls/fathom.key}   # or {keystore: fathom.p12, keystore_password_env: ...}
 * </pre>
 */
public final class RunConfigLoader {
    /**
     * A setting an environment variable overrides: the variable, whether its value is always text (a secret:
     * {@code 007} stays {@code 007}), and the setting's keys.
     */
    private record Variable(String name, boolean text, String... keys) {
        Variable(String name, String... keys) {
            this(name, false, keys);
        }

        YamlPath path() {
            YamlPath path = YamlPath.root();
            for (String key : keys) {
                path = path.key(key);
            }
            return path;
        }
    }

    private static final List<Variable> VARIABLES = List.of(
            new Variable("FATHOM_DEFINITIONS", "definitions"),
            new Variable("FATHOM_KAFKA_BOOTSTRAP_SERVERS", "kafka", "bootstrap_servers"),
            new Variable("FATHOM_KAFKA_PARTITIONS", "kafka", "partitions"),
            new Variable("FATHOM_KAFKA_STANDBY_REPLICAS", "kafka", "standby_replicas"),
            new Variable("FATHOM_OFFLINE_ROLL_SECONDS", "offline", "roll_seconds"),
            new Variable("FATHOM_KAFKA_CREATE_SOURCE_TOPICS", "kafka", "create_source_topics"),
            new Variable("FATHOM_KAFKA_SECURITY_PROTOCOL", "kafka", "security_protocol"),
            new Variable("FATHOM_KAFKA_SASL_MECHANISM", "kafka", "sasl", "mechanism"),
            new Variable("FATHOM_KAFKA_SASL_USERNAME", true, "kafka", "sasl", "username"),
            new Variable("FATHOM_KAFKA_SASL_PASSWORD", true, "kafka", "sasl", "password"),
            new Variable("FATHOM_KAFKA_SSL_TRUSTSTORE", "kafka", "ssl", "truststore"),
            new Variable("FATHOM_KAFKA_SSL_TRUSTSTORE_PASSWORD", true, "kafka", "ssl", "truststore_password"),
            new Variable("FATHOM_KAFKA_SSL_KEYSTORE", "kafka", "ssl", "keystore"),
            new Variable("FATHOM_KAFKA_SSL_KEYSTORE_PASSWORD", true, "kafka", "ssl", "keystore_password"),
            new Variable("FATHOM_ONLINE_REDIS", true, "online", "redis"),
            new Variable("FATHOM_ONLINE_REDIS_TRUSTSTORE", "online", "redis_truststore"),
            new Variable("FATHOM_ONLINE_REDIS_TRUSTSTORE_PASSWORD", true, "online", "redis_truststore_password"),
            new Variable("FATHOM_OFFLINE_ROOT", "offline", "root"),
            new Variable("FATHOM_INGEST_COMMIT_INTERVAL", "ingest", "commit_interval"),
            new Variable("FATHOM_WATERMARK_IDLE_TIMEOUT", "watermark", "idle_timeout"),
            new Variable("FATHOM_DATA_DIR", "data_dir"),
            new Variable("FATHOM_HTTP_HOST", "http", "host"),
            new Variable("FATHOM_HTTP_PORT", "http", "port"));

    private static final List<String> FORMATS = Arrays.stream(WebhookEndpoint.Format.values())
            .map(f -> f.name().toLowerCase(Locale.ROOT))
            .toList();

    private RunConfigLoader() {}

    /** @throws InvalidConfigException listing every problem of the file and the environment */
    public static NodeConfig load(Path file, Map<String, String> env) {
        YamlDocument document;
        try {
            document = YamlDocument.read(file);
        } catch (UncheckedIOException e) {
            throw new InvalidConfigException(file.toString(), List.of("cannot read it: " + e.getCause()));
        }
        Problems problems = document.problems();
        JsonNode root = document.root();
        if (!document.wellFormed()) {
            throw new InvalidConfigException(file.toString(), problems.inFileOrder());
        }
        if (!root.isMissingNode() && !root.isNull() && !root.isObject()) {
            throw new InvalidConfigException(
                    file.toString(), List.of("expected a mapping at the top, got " + Quoting.value(root)));
        }
        ObjectNode tree = root.isObject() ? (ObjectNode) root : JsonNodeFactory.instance.objectNode();
        for (Variable variable : VARIABLES) {
            Optional.ofNullable(env.get(variable.name())).ifPresent(value -> {
                override(tree, variable, value);
                problems.origin(variable.path(), "from " + variable.name());
            });
        }
        Optional<NodeConfig> config = read(tree, file.toAbsolutePath().getParent(), env, problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(file.toString(), problems.inFileOrder());
        }
        return config.orElseThrow();
    }

    private static Optional<NodeConfig> read(ObjectNode tree, Path base, Map<String, String> env, Problems problems) {
        Problems.Mark mark = problems.mark();
        Mapping top = Mapping.open(
                        tree,
                        YamlPath.root(),
                        problems,
                        List.of(),
                        List.of(
                                "definitions",
                                "kafka",
                                "online",
                                "offline",
                                "ingest",
                                "watermark",
                                "alerts",
                                "data_dir",
                                "http"))
                .orElseThrow();
        Optional<FeatureDefinitions> definitions = definitions(top, base, problems);

        Optional<Mapping> kafka = top.mapping(
                "kafka",
                List.of(),
                concat(
                        List.of("bootstrap_servers", "partitions", "standby_replicas", "create_source_topics"),
                        ClientSecurity.KAFKA_KEYS));
        Optional<String> bootstrap = kafka.flatMap(k -> k.string("bootstrap_servers"));
        if (kafka.map(k -> !k.has("bootstrap_servers")).orElse(!tree.has("kafka"))) {
            problems.add(
                    top.at("kafka").key("bootstrap_servers"),
                    "required (host:port,...), or set FATHOM_KAFKA_BOOTSTRAP_SERVERS");
        }
        bootstrap.ifPresent(servers -> checkHostPorts(kafka.orElseThrow(), servers, problems));
        int partitions = kafka.flatMap(k -> bounded(k, "partitions", 1, 10_000)).orElse(4);
        int standbyReplicas =
                kafka.flatMap(k -> bounded(k, "standby_replicas", 0, 100)).orElse(0);
        boolean createSourceTopics =
                kafka.flatMap(k -> k.bool("create_source_topics")).orElse(false);
        Optional<KafkaSecurity> kafkaSecurity =
                kafka.flatMap(k -> ClientSecurity.kafka(k, tree.path("kafka"), base, problems));

        Optional<Mapping> online =
                top.mapping("online", List.of(), concat(List.of("redis"), ClientSecurity.ONLINE_KEYS));
        Optional<String> redisUri = online.flatMap(o -> o.string("redis"));
        redisUri.filter(r -> !isRedisUri(r))
                .ifPresent(r -> problems.add(
                        top.at("online").key("redis"),
                        Quoting.quote(RedisConnection.redact(r))
                                + " is not a redis:// (rediss://, redis-cluster://) URI"));
        Optional<RedisConnection> redis = redisUri.filter(RunConfigLoader::isRedisUri)
                .flatMap(uri -> ClientSecurity.redis(
                        uri, top.at("online").key("redis"), online, tree.path("online"), base, problems));
        Optional<Mapping> offline = section(top, "offline", "root", "roll_seconds");
        Optional<String> offlineRoot = offline.flatMap(o -> o.string("root"));
        Duration offlineRoll = offline.flatMap(o -> bounded(o, "roll_seconds", 1, 86_400))
                .map(Duration::ofSeconds)
                .orElse(NodeConfig.DEFAULT_OFFLINE_ROLL);
        offlineRoot
                .filter(r -> !r.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*"))
                .ifPresent(r -> problems.add(
                        top.at("offline").key("root"),
                        Quoting.quote(r) + " is not a URI (file:///..., hdfs://..., s3a://...)"));
        Duration commitInterval = section(top, "ingest", "commit_interval")
                .flatMap(i -> i.nonNegativeDuration("commit_interval"))
                .orElse(IngestConfig.DEFAULT_COMMIT_INTERVAL);
        Duration idleTimeout = section(top, "watermark", "idle_timeout")
                .flatMap(w -> w.positiveDuration("idle_timeout"))
                .orElse(WatermarkTracker.DEFAULT_IDLE_TIMEOUT);
        List<WebhookEndpoint> webhooks = section(top, "alerts", "webhooks")
                .flatMap(a -> a.sequence("webhooks", false))
                .map(items -> webhooks(items, problems))
                .orElse(List.of());
        Path dataDir = base.resolve(top.string("data_dir").orElse("fathom-data"));
        Optional<Mapping> http = section(top, "http", "host", "port", "auth", "tls");
        String host = http.flatMap(h -> h.string("host")).orElse("0.0.0.0");
        int port = http.flatMap(h -> bounded(h, "port", 0, 65_535)).orElse(8080);
        ApiAuth auth = http.flatMap(h -> h.mapping("auth", List.of("tokens"), List.of("metrics")))
                .map(a -> SecurityConfig.auth(a, env, problems))
                .orElse(ApiAuth.none());
        Optional<TlsConfig> tls = http.flatMap(h -> h.mapping("tls", List.of(), SecurityConfig.TLS_KEYS))
                .flatMap(t -> SecurityConfig.tls(t, tree.path("http").path("tls"), base, env, problems));

        return mark.build(() -> NodeConfig.builder()
                .definitions(definitions.orElseThrow())
                .kafka(KafkaSettings.builder()
                        .bootstrapServers(bootstrap.orElseThrow())
                        .partitions(partitions)
                        .standbyReplicas(standbyReplicas)
                        .security(kafkaSecurity.orElse(KafkaSecurity.plaintext()))
                        .build())
                .createSourceTopics(createSourceTopics)
                .redis(redis)
                .dataDir(dataDir)
                .offlineRoot(offlineRoot.orElseGet(() -> NodeConfig.offlineRootUnder(dataDir)))
                .offlineRoll(offlineRoll)
                .ingestCommitInterval(commitInterval)
                .watermarkIdleTimeout(idleTimeout)
                .webhooks(webhooks)
                .httpHost(host)
                .httpPort(port)
                .auth(auth)
                .tls(tls)
                .build());
    }

    /** The definitions file, parsed: its problems are the configuration's, under {@code definitions}. */
    private static Optional<FeatureDefinitions> definitions(Mapping top, Path base, Problems problems) {
        if (!top.has("definitions")) {
            problems.add(top.at("definitions"), "required (the feature-definitions file), or set FATHOM_DEFINITIONS");
            return Optional.empty();
        }
        return top.string("definitions").flatMap(written -> {
            Path path = base.resolve(written);
            if (!Files.isRegularFile(path)) {
                problems.add(top.at("definitions"), Quoting.quote(written) + " not found (resolved to " + path + ")");
                return Optional.empty();
            }
            try {
                return Optional.of(DefinitionsParser.parse(path));
            } catch (InvalidDefinitionsException e) {
                e.problems().forEach(problem -> problems.add(top.at("definitions"), problem));
                return Optional.empty();
            }
        });
    }

    private static Optional<Mapping> section(Mapping top, String key, String... keys) {
        return top.mapping(key, List.of(), List.of(keys));
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static Optional<Integer> bounded(Mapping m, String key, int min, int max) {
        return m.smallWholeNumber(key, min)
                .filter(n -> m.check(n <= max, key, "must be at most " + max + ", was " + n));
    }

    private static void checkHostPorts(Mapping kafka, String servers, Problems problems) {
        for (String server : servers.split(",")) {
            if (!server.strip().matches("[^:\\s]+:\\d{1,5}")) {
                problems.add(kafka.at("bootstrap_servers"), Quoting.quote(server.strip()) + " is not host:port");
            }
        }
    }

    private static boolean isRedisUri(String text) {
        try {
            String scheme = URI.create(text).getScheme();
            return scheme != null && scheme.startsWith("redis");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static List<WebhookEndpoint> webhooks(List<Item> items, Problems problems) {
        List<WebhookEndpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            int number = i + 1;
            Mapping.open(
                            item.node(),
                            item.path(),
                            problems,
                            List.of("url"),
                            List.of("name", "format", "secret", "allow_private"))
                    .flatMap(hook -> webhook(hook, number, problems))
                    .ifPresent(endpoints::add);
        }
        return endpoints;
    }

    private static Optional<WebhookEndpoint> webhook(Mapping hook, int number, Problems problems) {
        Problems.Mark mark = problems.mark();
        String name = hook.string("name").orElse("webhook-" + number);
        Optional<String> url = hook.string("url");
        Optional<String> format =
                hook.has("format") ? hook.oneOf("format", "a format", FORMATS, Map.of()) : Optional.of("json");
        Optional<Boolean> allowPrivate = hook.has("allow_private") ? hook.bool("allow_private") : Optional.of(false);
        Optional<String> secret = hook.string("secret");
        if (!mark.clean()) {
            return Optional.empty();
        }
        try {
            WebhookEndpointBuilder builder = WebhookEndpoint.builder(
                            name,
                            URI.create(url.orElseThrow()),
                            WebhookEndpoint.Format.valueOf(format.orElseThrow().toUpperCase(Locale.ROOT)))
                    .allowPrivate(allowPrivate.orElseThrow());
            secret.ifPresent(builder::secret);
            WebhookEndpoint endpoint = builder.build();
            EndpointGuard.system().check(endpoint); // loopback, private, link-local refused unless allowed
            return Optional.of(endpoint);
        } catch (IllegalArgumentException | DeliveryException e) {
            problems.add(hook.path(), e.getMessage());
        } catch (UnknownHostException e) {
            problems.add(hook.at("url"), "cannot resolve the host (" + e.getMessage() + ")");
        }
        return Optional.empty();
    }

    /**
     * Puts an environment variable's value into the tree: a whole number as a number, {@code true} and {@code false}
     * as booleans, empty as absent.
     */
    private static void override(ObjectNode tree, Variable variable, String value) {
        ObjectNode parent = tree;
        String[] keys = variable.keys();
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode child = parent.get(keys[i]);
            parent = child instanceof ObjectNode object ? object : parent.putObject(keys[i]);
        }
        String key = keys[keys.length - 1];
        if (value.isBlank()) {
            parent.putNull(key);
        } else if (!variable.text()
                && (value.strip().equals("true") || value.strip().equals("false"))) {
            parent.put(key, Boolean.parseBoolean(value.strip()));
        } else if (!variable.text() && value.strip().matches("-?\\d{1,18}")) {
            parent.put(key, Long.parseLong(value.strip()));
        } else {
            parent.put(key, value);
        }
    }
}
