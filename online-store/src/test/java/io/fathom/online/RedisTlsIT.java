package io.fathom.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.online.internal.RedisEndpoint;
import io.fathom.testkit.TestCertificates;
import io.fathom.testkit.TlsRedisServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract over TLS with an ACL user, against a real {@code redis-server --tls-port}: {@code
 * rediss://fathom:<password>@127.0.0.1:<port>} and the private CA's certificate as the trust store, the
 * server's certificate verified. And the ways it can go wrong, each failing at start with a message that
 * names the problem and never the password.
 */
class RedisTlsIT extends RedisStoreContract {
    @TempDir
    static Path dir;

    private static TlsRedisServer redis;
    private static RedisClient rawClient;
    private static StatefulRedisConnection<byte[], byte[]> raw;

    @BeforeAll
    static void startRedis() {
        redis = new TlsRedisServer(dir.resolve("redis"));
        RedisURI uri = RedisURI.create(redis.uri());
        rawClient = RedisClient.create(uri);
        rawClient.setOptions(ClientOptions.builder()
                .sslOptions(SslOptions.builder()
                        .trustManager(redis.certificates().caPem().toFile())
                        .build())
                .build());
        raw = rawClient.connect(ByteArrayCodec.INSTANCE);
    }

    @AfterAll
    static void stopRedis() {
        try {
            raw.close();
            rawClient.shutdown();
        } finally {
            redis.close();
        }
    }

    @Override
    protected RedisOnlineStore open() {
        raw.sync().flushall();
        return RedisOnlineStore.create(connection(redis), TestViews.TTLS);
    }

    @Override
    protected void putFormat1Value(String view, String key, byte[] value) {
        raw.sync().set(redisKey(view, key).getBytes(StandardCharsets.UTF_8), value);
    }

    @Test
    void aPkcs12TrustStoreWithItsPasswordWorksToo() {
        RedisConnection pkcs12 = pkcs12Connection();
        try (RedisOnlineStore other = RedisOnlineStore.create(pkcs12, TestViews.TTLS)) {
            other.write(List.of(TestViews.snapshot(TestViews.USER, "pkcs12", now(), now(), 1)));
            assertThat(store.read(TestViews.USER, List.of("pkcs12")).get(0).entityKey())
                    .isEqualTo("pkcs12");
        }
    }

    @Test
    void aWrongPasswordFailsAtStartSayingSoWithoutThePassword() {
        String wrong = "not-the-password-31337";
        RedisConnection connection = connection(redis).toBuilder()
                .uri(redis.uri(TlsRedisServer.USER, wrong))
                .build();

        assertThatThrownBy(() -> RedisOnlineStore.create(patient(connection)))
                .isInstanceOf(StoreRefusedException.class)
                .hasMessageContaining("redis rediss://127.0.0.1:" + redis.port())
                .hasMessageContaining("Redis refused the credentials")
                .hasMessageContaining("WRONGPASS")
                .message()
                .doesNotContain(wrong)
                .doesNotContain(redis.password());
    }

    @Test
    void anUnknownCaFailsTheHandshakeSayingSo(@TempDir Path otherDir) {
        TestCertificates other = TestCertificates.create(otherDir);
        RedisConnection untrusted =
                connection(redis).toBuilder().trustStore(other.caPem()).build();

        assertThatThrownBy(() -> RedisOnlineStore.create(patient(untrusted)))
                .isInstanceOf(StoreRefusedException.class)
                .hasMessageContaining("the TLS handshake failed")
                .message()
                .doesNotContain(redis.password());
    }

    @Test
    void verifyingThePeerIsTheDefaultAndCanBeTurnedOffForATestServer() {
        RedisConnection jvmTrust = RedisConnection.of(redis.uri());
        assertThat(jvmTrust.verifyPeer()).isTrue();
        // The JVM's CAs do not know the test CA: verified, the handshake fails ...
        assertThatThrownBy(() -> RedisOnlineStore.create(patient(jvmTrust)))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("the TLS handshake failed");
        // ... unverified, it does not.
        try (RedisOnlineStore unverified =
                RedisOnlineStore.create(jvmTrust.toBuilder().verifyPeer(false).build(), TestViews.TTLS)) {
            assertThat(unverified.read(TestViews.USER, List.of("nobody"))).containsExactly((StoredSnapshot) null);
        }
    }

    @Test
    void noConfigurationPrintsThePassword() {
        RedisConnection connection = pkcs12Connection();
        RedisStoreConfig config = patient(connection);
        List<String> printed = List.of(
                connection.toString(),
                config.toString(),
                RedisEndpoint.parse(connection.uri()).toString(),
                RedisEndpoint.parse(connection.uri()).description(),
                store.toString(),
                store.name());

        assertThat(printed).allSatisfy(text -> assertThat(text)
                .doesNotContain(redis.password())
                .doesNotContain(redis.certificates().password()));
        assertThat(connection.toString()).contains("rediss://***@127.0.0.1:" + redis.port(), "[hidden]");
    }

    @Test
    void aTrustStoreNeedsATlsUri() {
        assertThatThrownBy(() -> RedisConnection.builder()
                        .uri("redis://fathom:secret-pw@127.0.0.1:6379")
                        .trustStore(redis.certificates().caPem())
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis://***@127.0.0.1:6379 does not use TLS: use rediss://")
                .message()
                .doesNotContain("secret-pw");
    }

    /** Generous timeouts: a failure must be the one under test, not a loaded machine's slow handshake. */
    private static RedisStoreConfig patient(RedisConnection connection) {
        return RedisStoreConfig.builder()
                .connection(connection)
                .ttlByView(TestViews.TTLS)
                .connectTimeout(Duration.ofSeconds(10))
                .commandTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** The server's URI with the CA's PEM certificate as the trust store, the server's certificate verified. */
    static RedisConnection connection(TlsRedisServer redis) {
        return RedisConnection.builder()
                .uri(redis.uri())
                .trustStore(redis.certificates().caPem())
                .build();
    }

    /** The test server, trusted through the PKCS12 trust store of its CA and that store's password. */
    private RedisConnection pkcs12Connection() {
        return connection(redis).toBuilder()
                .trustStore(redis.certificates().trustStore())
                .trustStorePassword(redis.certificates().password())
                .build();
    }
}
