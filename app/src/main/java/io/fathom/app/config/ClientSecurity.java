package io.fathom.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.fathom.kafka.KafkaSecurity;
import io.fathom.kafka.KafkaSecurity.Sasl;
import io.fathom.kafka.KafkaSecurity.SaslMechanism;
import io.fathom.kafka.KafkaSecurity.Store;
import io.fathom.kafka.KafkaSecurity.StoreType;
import io.fathom.online.RedisConnection;
import io.fathom.online.RedisConnectionBuilder;
import io.fathom.schemas.yaml.Mapping;
import io.fathom.schemas.yaml.Problems;
import io.fathom.schemas.yaml.Quoting;
import io.fathom.schemas.yaml.YamlPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The security part of {@code fathom run}'s configuration: how the Kafka clients authenticate and encrypt
 * ({@code kafka.security_protocol}, {@code kafka.sasl}, {@code kafka.ssl}) and whom the Redis client trusts
 * ({@code online.redis_truststore}, {@code online.redis_verify_peer}; the ACL user and password are in the
 * {@code rediss://user:password@host:port} URI). Passwords come inline or from the environment (see {@link
 * RunConfigLoader}); a problem with one is reported without its value. Store files are resolved against the
 * configuration file's directory and must exist.
 *
 * <pre>
 * kafka:
 *   security_protocol: SASL_SSL              # PLAINTEXT (default), SSL, SASL_PLAINTEXT, SASL_SSL
 *   sasl: {mechanism: SCRAM-SHA-512, username: fathom, password: "..."}
 *   ssl:
 *     truststore: /etc/fathom/kafka-ca.p12   # type from the extension (.pem/.crt PEM, .jks JKS, else PKCS12)
 *     truststore_password: "..."             #   or truststore_type
 *     keystore: /etc/fathom/client.p12       # mTLS only; keystore_type, keystore_password
 * online:
 *   redis: rediss://fathom:...@cache:6380
 *   redis_truststore: /etc/fathom/redis-ca.pem   # PEM, or PKCS12 with redis_truststore_password
 *   redis_verify_peer: true                      # default
 * </pre>
 */
final class ClientSecurity {
    static final List<String> KAFKA_KEYS = List.of("security_protocol", "sasl", "ssl");
    static final List<String> ONLINE_KEYS =
            List.of("redis_truststore", "redis_truststore_password", "redis_verify_peer");

    private static final List<String> PROTOCOLS =
            Arrays.stream(SecurityProtocol.values()).map(p -> p.name).toList();
    private static final List<String> MECHANISMS =
            Arrays.stream(SaslMechanism.values()).map(SaslMechanism::kafkaName).toList();
    private static final List<String> STORE_TYPES =
            Arrays.stream(StoreType.values()).map(Enum::name).toList();

    private ClientSecurity() {}

    /** {@code kafka}'s security settings ({@code node} is that section); PLAINTEXT if it names none. */
    static Optional<KafkaSecurity> kafka(Mapping kafka, JsonNode node, Path base, Problems problems) {
        Problems.Mark mark = problems.mark();
        SecurityProtocol protocol = kafka.oneOf("security_protocol", "a security protocol", PROTOCOLS, Map.of())
                .map(SecurityProtocol::forName)
                .orElse(SecurityProtocol.PLAINTEXT);
        Optional<Sasl> sasl = kafka.mapping("sasl", List.of("mechanism", "username", "password"), List.of())
                .flatMap(s -> {
                    Optional<String> mechanism = s.oneOf("mechanism", "a SASL mechanism", MECHANISMS, Map.of());
                    Optional<String> username = s.string("username");
                    Optional<String> password = secret(node.path("sasl"), "password", s.at("password"), problems);
                    return mechanism.flatMap(
                            m -> username.flatMap(u -> password.map(p -> Sasl.of(SaslMechanism.parse(m), u, p))));
                });
        Optional<Mapping> ssl = kafka.mapping(
                "ssl",
                List.of(),
                List.of(
                        "truststore",
                        "truststore_type",
                        "truststore_password",
                        "keystore",
                        "keystore_type",
                        "keystore_password"));
        Optional<Store> trustStore = ssl.flatMap(s -> store(s, node.path("ssl"), "truststore", base, problems));
        Optional<Store> keyStore = ssl.flatMap(s -> store(s, node.path("ssl"), "keystore", base, problems));
        if (!mark.clean()) {
            return Optional.empty();
        }
        try {
            return Optional.of(KafkaSecurity.builder()
                    .protocol(protocol)
                    .sasl(sasl)
                    .trustStore(trustStore)
                    .keyStore(keyStore)
                    .build());
        } catch (IllegalArgumentException e) {
            problems.add(kafka.path(), e.getMessage());
            return Optional.empty();
        }
    }

    /** The Redis connection of {@code uri} with the {@code online} section's trust settings. */
    static Optional<RedisConnection> redis(
            String uri, YamlPath uriPath, Optional<Mapping> online, JsonNode node, Path base, Problems problems) {
        try {
            RedisConnection.of(uri);
        } catch (IllegalArgumentException e) {
            problems.add(uriPath, e.getMessage()); // a malformed URI, its password hidden
            return Optional.empty();
        }
        Problems.Mark mark = problems.mark();
        RedisConnectionBuilder builder = RedisConnection.builder().uri(uri);
        online.ifPresent(o -> {
            o.string("redis_truststore")
                    .flatMap(f -> file(o, "redis_truststore", f, base, problems))
                    .ifPresent(builder::trustStore);
            secret(node, "redis_truststore_password", o.at("redis_truststore_password"), problems)
                    .ifPresent(builder::trustStorePassword);
            o.bool("redis_verify_peer").ifPresent(builder::verifyPeer);
        });
        if (!mark.clean()) {
            return Optional.empty();
        }
        try {
            return Optional.of(builder.build());
        } catch (IllegalArgumentException e) {
            problems.add(uriPath.parent().orElseThrow(), e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<Store> store(Mapping ssl, JsonNode node, String name, Path base, Problems problems) {
        Optional<Path> path = ssl.string(name).flatMap(f -> file(ssl, name, f, base, problems));
        Optional<StoreType> type = ssl.has(name + "_type")
                ? ssl.oneOf(name + "_type", "a store type", STORE_TYPES, Map.of())
                        .map(StoreType::parse)
                : path.map(ClientSecurity::typeOf);
        Optional<String> password = secret(node, name + "_password", ssl.at(name + "_password"), problems);
        if (path.isEmpty()) {
            if (ssl.has(name + "_type") || password.isPresent()) {
                problems.add(ssl.at(name), "required with " + name + "_type or " + name + "_password");
            }
            return Optional.empty();
        }
        return type.map(t -> new Store(path.get(), t, password));
    }

    private static StoreType typeOf(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".pem") || name.endsWith(".crt")) {
            return StoreType.PEM;
        }
        return name.endsWith(".jks") ? StoreType.JKS : StoreType.PKCS12;
    }

    private static Optional<Path> file(Mapping m, String key, String written, Path base, Problems problems) {
        Path path = base.resolve(written);
        if (!Files.isRegularFile(path)) {
            problems.add(m.at(key), Quoting.quote(written) + " not found (resolved to " + path + ")");
            return Optional.empty();
        }
        return Optional.of(path);
    }

    /**
     * A secret: a string, or a number or boolean taken as the text it was written as; anything else is reported
     * without showing the value. Absent: empty.
     */
    static Optional<String> secret(JsonNode parent, String key, YamlPath path, Problems problems) {
        JsonNode value = parent.get(key);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isValueNode() || value.asText().isEmpty()) {
            problems.add(path, "expected a non-empty string (the value is a secret: not shown)");
            return Optional.empty();
        }
        return Optional.of(value.asText());
    }
}
