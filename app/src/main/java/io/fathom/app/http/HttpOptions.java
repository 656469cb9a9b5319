package io.fathom.app.http;

import java.util.Objects;
import java.util.Optional;

/**
 * Where and how the API listens.
 *
 * @param host the address ({@code 127.0.0.1} for this machine only, {@code 0.0.0.0} for all)
 * @param port the port (0 picks a free one)
 * @param auth who may use it; {@link ApiAuth#none()} for anyone
 * @param tls HTTPS with this key and certificate (the port then answers HTTPS only); empty for plain HTTP
 */
public record HttpOptions(String host, int port, ApiAuth auth, Optional<TlsConfig> tls) {
    public HttpOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(tls, "tls");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in [0, 65535], was " + port);
        }
    }

    /** Plain HTTP, open to anyone. */
    public static HttpOptions plain(String host, int port) {
        return new HttpOptions(host, port, ApiAuth.none(), Optional.empty());
    }
}
