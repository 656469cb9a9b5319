package io.fathom.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.testkit.TestkitException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisBinaryTest {
    @TempDir
    Path dir;

    @Test
    void namesTheShippedBinaryForThisPlatform() {
        assertThat(RedisBinary.platform("Linux", "amd64")).isEqualTo("linux-amd64");
        assertThat(RedisBinary.platform("Mac OS X", "aarch64")).isEqualTo("darwin-arm64");
        assertThatThrownBy(() -> RedisBinary.platform("Windows 11", "amd64"))
                .isInstanceOf(TestkitException.class)
                .hasMessageContaining("Windows 11");
    }

    @Test
    void prefersAnExecutableRedisServerOnThePath() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path server = bin.resolve("redis-server");
        Files.writeString(server, "#!/bin/sh\n");
        assertThat(server.toFile().setExecutable(true)).isTrue();

        assertThat(RedisBinary.onPath(name -> "/nonexistent:" + bin)).contains(server);
        assertThat(RedisBinary.onPath(name -> "/nonexistent")).isEmpty();
        assertThat(RedisBinary.onPath(name -> null)).isEmpty();
    }

    @Test
    void extractsTheShippedBinary() {
        Path binary = RedisBinary.extract(dir);
        assertThat(binary).isExecutable().hasFileName("redis-server");
    }

    @Test
    void encodesCommandsAsRespArrays() {
        assertThat(new String(Resp.encode("SET", "k", "é"), StandardCharsets.UTF_8))
                .isEqualTo("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\né\r\n");
    }
}
