package io.fathom.online;

import io.fathom.online.internal.RedisEndpoint;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where Redis is and how to reach it safely: the URI (with the ACL user and password, TLS with {@code
 * rediss://}), whom to trust, and whether to check the server's certificate. Start from {@link #of(String)}
 * or {@link #builder()}. {@link #toString()} never shows a password.
 *
 * @param uri {@code redis://[[user]:password@]host:port[/db]}, or {@code rediss://...} for TLS, for one server;
 *     {@code redis-cluster://[[user]:password@]host1:port1,host2:port2} (or {@code rediss-cluster://}) for Redis
 *     Cluster, any reachable nodes as seeds; required
 * @param trustStore whom to trust with TLS (a private CA): a PEM file of CA certificates, or, with a {@code
 *     trustStorePassword}, a PKCS12 (or JKS) trust store. Empty (the default): the JVM's trusted CAs. Only with
 *     a {@code rediss} URI
 * @param trustStorePassword the trust store's password; empty for a PEM file
 * @param verifyPeer whether the server's certificate must be signed by a trusted CA and name the host it was
 *     reached at; default {@code true}. Turn it off only for a test server
 */
@RecordBuilder
public record RedisConnection(
        String uri, Optional<Path> trustStore, Optional<String> trustStorePassword, boolean verifyPeer) {

    /** @throws IllegalArgumentException for a malformed URI (the message hides its password) or a trust store without TLS */
    public RedisConnection {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(trustStore, "trustStore");
        Objects.requireNonNull(trustStorePassword, "trustStorePassword");
        RedisEndpoint.parse(uri); // a malformed URI fails here, its password hidden in the message
        if (trustStorePassword.isPresent() && trustStore.isEmpty()) {
            throw new IllegalArgumentException("a Redis trust store password is given but no trust store");
        }
        if (trustStore.isPresent() && !tls(uri)) {
            throw new IllegalArgumentException("a Redis trust store is given but the URI " + RedisEndpoint.redact(uri)
                    + " does not use TLS: use rediss:// (or rediss-cluster://)");
        }
    }

    /** The URI, the JVM's trusted CAs, and the server's certificate verified. */
    public static RedisConnection of(String uri) {
        return builder().uri(uri).build();
    }

    /** A builder preset with the defaults; {@code uri} is required. */
    public static RedisConnectionBuilder builder() {
        return RedisConnectionBuilder.builder()
                .trustStore(Optional.empty())
                .trustStorePassword(Optional.empty())
                .verifyPeer(true);
    }

    public RedisConnectionBuilder toBuilder() {
        return RedisConnectionBuilder.builder(this);
    }

    /** Whether the URI asks for TLS ({@code rediss://}, {@code rediss-cluster://}). */
    public boolean tls() {
        return tls(uri);
    }

    private static boolean tls(String uri) {
        return uri.startsWith("rediss://") || uri.startsWith("rediss-cluster://");
    }

    /** {@code uri} with its user and password replaced by {@code ***}, for messages about a URI as written. */
    public static String redact(String uri) {
        return RedisEndpoint.redact(uri);
    }

    @Override
    public String toString() {
        return "RedisConnection[uri=" + RedisEndpoint.redact(uri) + ", trustStore="
                + trustStore.map(Path::toString).orElse("none") + ", trustStorePassword="
                + trustStorePassword.map(p -> "[hidden]").orElse("none") + ", verifyPeer=" + verifyPeer + "]";
    }
}
