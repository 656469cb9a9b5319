package io.fathom.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fathom.monitor.delivery.DeliveryException;
import io.fathom.monitor.delivery.EndpointGuard;
import io.fathom.monitor.delivery.WebhookEndpoint;
import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@link RunConfig} from YAML, lets environment variables override it (for containers), and
 * validates everything before anything starts, listing every problem.
 *
 * <pre>
 * definitions: examples/definitions/fathom.yaml   # FATHOM_DEFINITIONS  (relative to this file)
 * kafka:
 *   bootstrap_servers: localhost:9092             # FATHOM_KAFKA_BOOTSTRAP_SERVERS (required)
 *   partitions: 4                                 # FATHOM_KAFKA_PARTITIONS
 * online:
 *   redis: redis://localhost:6379                 # FATHOM_ONLINE_REDIS (absent: embedded RocksDB)
 * offline:
 *   root: hdfs://namenode:8020/fathom             # FATHOM_OFFLINE_ROOT (default: data_dir/offline)
 * alerts:
 *   webhooks:                                     # the alert dispatcher's endpoints
 *     - {name: oncall, url: "https://alerts.example.com/hook", format: alertmanager, secret: "whsec_..."}
 * data_dir: fathom-data                           # FATHOM_DATA_DIR
 * http:
 *   host: 0.0.0.0                                 # FATHOM_HTTP_HOST
 *   port: 8080                                    # FATHOM_HTTP_PORT
 * </pre>
 */
public final class RunConfigLoader {
    private static final Set<String> TOP_KEYS =
            Set.of("definitions", "kafka", "online", "offline", "alerts", "data_dir", "http");
    private static final Map<String, Set<String>> SECTION_KEYS = Map.of(
            "kafka", Set.of("bootstrap_servers", "partitions"),
            "online", Set.of("redis"),
            "offline", Set.of("root"),
            "alerts", Set.of("webhooks"),
            "http", Set.of("host", "port"));

    private RunConfigLoader() {}

    public static RunConfig load(Path file, Map<String, String> env) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (IOException e) {
            throw new InvalidConfigException(file.toString(), List.of("cannot read it as YAML: " + e.getMessage()));
        }
        List<String> problems = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new InvalidConfigException(file.toString(), List.of("expected a YAML mapping at the top"));
        }
        unknownKeys(root, TOP_KEYS, "", problems);
        SECTION_KEYS.forEach((section, keys) -> {
            JsonNode node = root.get(section);
            if (node != null && !node.isObject()) {
                problems.add(section + ": expected a mapping");
            } else if (node != null) {
                unknownKeys(node, keys, section + ".", problems);
            }
        });
        Path base = file.toAbsolutePath().getParent();

        String definitions = setting(env, "FATHOM_DEFINITIONS", root.path("definitions"));
        Path definitionsPath = null;
        if (definitions == null) {
            problems.add("definitions: required (the feature-definitions file), or set FATHOM_DEFINITIONS");
        } else {
            definitionsPath = base.resolve(definitions);
            if (!Files.isRegularFile(definitionsPath)) {
                problems.add("definitions: \"" + definitions + "\" not found (resolved to " + definitionsPath + ")");
            }
        }
        String bootstrap = setting(
                env, "FATHOM_KAFKA_BOOTSTRAP_SERVERS", root.path("kafka").path("bootstrap_servers"));
        if (bootstrap == null || bootstrap.isBlank()) {
            problems.add("kafka.bootstrap_servers: required (host:port,...), or set FATHOM_KAFKA_BOOTSTRAP_SERVERS");
        } else {
            for (String server : bootstrap.split(",")) {
                if (!server.trim().matches("[^:\\s]+:\\d{1,5}")) {
                    problems.add("kafka.bootstrap_servers: \"" + server.trim() + "\" is not host:port");
                }
            }
        }
        int partitions = integer(
                env,
                "FATHOM_KAFKA_PARTITIONS",
                root.path("kafka").path("partitions"),
                4,
                "kafka.partitions",
                1,
                10_000,
                problems);
        String redis = setting(env, "FATHOM_ONLINE_REDIS", root.path("online").path("redis"));
        if (redis != null && !redis.isBlank()) {
            try {
                String scheme = URI.create(redis).getScheme();
                if (scheme == null || !scheme.startsWith("redis")) {
                    problems.add("online.redis: \"" + redis + "\" is not a redis:// (rediss://, redis-cluster://) URI");
                }
            } catch (IllegalArgumentException e) {
                problems.add("online.redis: \"" + redis + "\" is not a URI: " + e.getMessage());
            }
        }
        String dataDir = Optional.ofNullable(setting(env, "FATHOM_DATA_DIR", root.path("data_dir")))
                .orElse("fathom-data");
        String offlineRoot =
                setting(env, "FATHOM_OFFLINE_ROOT", root.path("offline").path("root"));
        if (offlineRoot != null && !offlineRoot.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            problems.add("offline.root: \"" + offlineRoot + "\" is not a URI (file:///..., hdfs://..., s3a://...)");
        }
        List<WebhookEndpoint> webhooks = webhooks(root.path("alerts").path("webhooks"), problems);
        String host = Optional.ofNullable(
                        setting(env, "FATHOM_HTTP_HOST", root.path("http").path("host")))
                .orElse("0.0.0.0");
        int port = integer(
                env, "FATHOM_HTTP_PORT", root.path("http").path("port"), 8080, "http.port", 0, 65_535, problems);

        if (!problems.isEmpty()) {
            throw new InvalidConfigException(file.toString(), problems);
        }
        return new RunConfig(
                definitionsPath,
                bootstrap,
                partitions,
                Optional.ofNullable(redis).filter(r -> !r.isBlank()),
                offlineRoot != null
                        ? offlineRoot
                        : base.resolve(dataDir).resolve("offline").toUri().toString(),
                base.resolve(dataDir),
                webhooks,
                host,
                port);
    }

    private static final Set<String> WEBHOOK_KEYS = Set.of("name", "url", "format", "secret", "allow_private");

    private static List<WebhookEndpoint> webhooks(JsonNode list, List<String> problems) {
        List<WebhookEndpoint> endpoints = new ArrayList<>();
        if (list.isMissingNode() || list.isNull()) {
            return endpoints;
        }
        if (!list.isArray()) {
            problems.add("alerts.webhooks: expected a list");
            return endpoints;
        }
        for (int i = 0; i < list.size(); i++) {
            String path = "alerts.webhooks[" + i + "]";
            JsonNode hook = list.get(i);
            unknownKeys(hook, WEBHOOK_KEYS, path + ".", problems);
            String format = hook.path("format").asText("json").toUpperCase(java.util.Locale.ROOT);
            try {
                WebhookEndpoint.Builder builder = WebhookEndpoint.builder(
                                hook.path("name").asText("webhook-" + (i + 1)),
                                URI.create(hook.path("url").asText("")),
                                WebhookEndpoint.Format.valueOf(format))
                        .allowPrivate(hook.path("allow_private").asBoolean(false));
                if (hook.hasNonNull("secret")) {
                    builder.secret(hook.get("secret").asText());
                }
                WebhookEndpoint endpoint = builder.build();
                EndpointGuard.system().check(endpoint); // loopback, private, link-local refused unless allowed
                endpoints.add(endpoint);
            } catch (IllegalArgumentException | DeliveryException e) {
                problems.add(path + ": " + e.getMessage());
            } catch (UnknownHostException e) {
                problems.add(path + ".url: cannot resolve the host (" + e.getMessage() + ")");
            }
        }
        return endpoints;
    }

    private static String setting(Map<String, String> env, String variable, JsonNode node) {
        String fromEnv = env.get(variable);
        if (fromEnv != null) {
            return fromEnv;
        }
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    private static int integer(
            Map<String, String> env,
            String variable,
            JsonNode node,
            int fallback,
            String key,
            int min,
            int max,
            List<String> problems) {
        String text = setting(env, variable, node);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value < min || value > max) {
                problems.add(key + ": " + value + " is out of range [" + min + ", " + max + "]");
            }
            return value;
        } catch (NumberFormatException e) {
            problems.add(key + ": \"" + text + "\" is not a whole number");
            return fallback;
        }
    }

    private static void unknownKeys(JsonNode node, Set<String> allowed, String prefix, List<String> problems) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                problems.add(prefix + name + ": unknown key (allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }
}
