package io.fathom.online.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;

class RedisEndpointTest {

    @Test
    void aPlainUriIsOneServer() {
        RedisEndpoint endpoint = RedisEndpoint.parse("redis://secret@cache.local:6380/2");
        assertThat(endpoint.cluster()).isFalse();
        assertThat(endpoint.uris()).singleElement().satisfies(uri -> {
            assertThat(uri.getHost()).isEqualTo("cache.local");
            assertThat(uri.getPort()).isEqualTo(6380);
            assertThat(uri.getDatabase()).isEqualTo(2);
        });
        assertThat(endpoint.description()).isEqualTo("redis redis://cache.local:6380/2");
    }

    @Test
    void aClusterUriListsItsSeeds() {
        RedisEndpoint endpoint = RedisEndpoint.parse("rediss-cluster://user:pw@a:7000,b:7001, c:7002");
        assertThat(endpoint.cluster()).isTrue();
        assertThat(endpoint.uris()).extracting(RedisURI::getHost).containsExactly("a", "b", "c");
        assertThat(endpoint.uris()).extracting(RedisURI::getPort).containsExactly(7000, 7001, 7002);
        assertThat(endpoint.uris()).allSatisfy(uri -> {
            assertThat(uri.isSsl()).isTrue();
            assertThat(uri.getCredentialsProvider()).isNotNull();
        });
        assertThat(endpoint.description()).isEqualTo("redis cluster rediss-cluster://a:7000,b:7001, c:7002");
    }

    @Test
    void malformedUrisAreRejectedWithoutTheirCredentials() {
        assertThatThrownBy(() -> RedisEndpoint.parse("cache.local:6379"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a Redis URI: cache.local:6379");
        assertThatThrownBy(() -> RedisEndpoint.parse("redis-cluster://secret@"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("***@")
                .hasMessageNotContaining("secret");
    }

    @Test
    void redactionHidesEverythingBetweenTheSchemeAndTheLastAt() {
        assertThat(RedisEndpoint.redact("rediss://fathom:p@ss@cache:6380")).isEqualTo("rediss://***@cache:6380");
        assertThat(RedisEndpoint.redact("redis:/fathom:pw@cache:6380")).isEqualTo("redis:/***@cache:6380");
        assertThat(RedisEndpoint.redact("fathom:pw@cache:6380")).isEqualTo("fathom:***@cache:6380");
        assertThat(RedisEndpoint.redact("user@pw@cache")).isEqualTo("***@cache");
        assertThat(RedisEndpoint.redact("redis://cache:6379")).isEqualTo("redis://cache:6379");
        assertThat(RedisEndpoint.parse("rediss://fathom:pw-77@cache:6380").toString())
                .isEqualTo("RedisEndpoint[redis rediss://cache:6380]");
    }
}
