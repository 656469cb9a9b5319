package io.fathom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.testkit.internal.Resp;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisExtension.class)
class RedisServerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void answersOnItsUri(RedisServer redis) throws IOException {
        assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
        assertThat(redis.isRunning()).isTrue();
        assertThat(command(redis, "PING")).isEqualTo("+PONG");
    }

    @Test
    void stopAndStartKeepThePortAndTheData(RedisServer redis) throws IOException {
        assertThat(command(redis, "SET", "survivor", "yes")).isEqualTo("+OK");

        redis.stop();
        assertThat(redis.isRunning()).isFalse();
        assertThatThrownBy(() -> command(redis, "PING")).isInstanceOf(IOException.class);

        redis.start();
        assertThat(redis.isRunning()).isTrue();
        assertThat(command(redis, "EXISTS", "survivor")).isEqualTo(":1");
    }

    @Test
    void flushAllDeletesEveryKey(RedisServer redis) throws IOException {
        command(redis, "SET", "doomed", "1");
        redis.flushAll();
        assertThat(command(redis, "EXISTS", "doomed")).isEqualTo(":0");
    }

    @Test
    void theSameServerServesEveryTestOfAClass(RedisServer first, RedisServer second) {
        assertThat(first).isSameAs(second);
    }

    @Test
    void closeStopsTheProcess() {
        RedisServer own = RedisServer.startOnFreePort();
        own.close();
        assertThat(own.isRunning()).isFalse();
        assertThatThrownBy(() -> command(own, "PING")).isInstanceOf(IOException.class);
    }

    private static String command(RedisServer redis, String... args) throws IOException {
        return Resp.command(redis.host(), redis.port(), TIMEOUT, args);
    }
}
