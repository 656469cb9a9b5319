package io.fathom.monitor.delivery;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * One webhook receiver of alerts; start from {@link #builder(String, URI, Format)}, preset with the defaults
 * below.
 *
 * @param name names the endpoint in logs, metrics and dead letters (never the URL, which may hold a token)
 * @param url an {@code http} or {@code https} URL
 * @param format the payload shape the receiver expects
 * @param secret the Standard Webhooks signing secret, {@code whsec_<base64>}; empty: requests are unsigned.
 *     {@link #toString()} never shows it (the generated {@code WebhookEndpointBuilder}'s does: do not log a
 *     builder)
 * @param timeout per request, connect included (default 5 s)
 * @param maxAttempts attempts per alert, the first included (default 6)
 * @param initialBackoff the cap of the first retry's jittered wait (default 1 s), doubled per retry
 * @param maxBackoff the largest wait between attempts, {@code Retry-After} included (default 60 s)
 * @param allowPrivate whether the URL may resolve to a loopback, private, link-local or unspecified address
 *     (default false, see {@link EndpointGuard})
 */
@RecordBuilder
public record WebhookEndpoint(
        String name,
        URI url,
        Format format,
        Optional<String> secret,
        Duration timeout,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        boolean allowPrivate) {

    public static final String SECRET_PREFIX = "whsec_";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_ATTEMPTS = 6;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(60);

    /** The payload shapes, see {@link AlertPayloads}. */
    public enum Format {
        /** Alertmanager's webhook receiver payload, version 4. */
        ALERTMANAGER,
        /** Grafana's webhook contact point payload. */
        GRAFANA,
        /** The alert's own fields as one JSON object. */
        JSON
    }

    /** @throws DeliveryException listing every problem of the configuration */
    public WebhookEndpoint {
        List<String> problems = new ArrayList<>();
        if (name == null || name.isBlank()) {
            problems.add("name must be non-blank");
        }
        if (url == null) {
            problems.add("url is missing");
        } else {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                problems.add("url must be http or https, was scheme '" + url.getScheme() + "'");
            }
            if (url.getHost() == null || url.getHost().isEmpty()) {
                problems.add("url must name a host");
            }
            if (url.getRawUserInfo() != null) {
                problems.add("url must not carry user info (credentials)");
            }
        }
        if (format == null) {
            problems.add("format is missing (ALERTMANAGER, GRAFANA or JSON)");
        }
        if (secret == null) {
            problems.add("secret must be an Optional, empty for unsigned requests");
        } else {
            secret.ifPresent(s -> secretProblem(s).ifPresent(problems::add));
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            problems.add("timeout must be positive, was " + timeout);
        }
        if (maxAttempts < 1) {
            problems.add("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (initialBackoff == null || initialBackoff.isNegative()) {
            problems.add("initialBackoff must be zero or positive, was " + initialBackoff);
        }
        if (maxBackoff == null || maxBackoff.isNegative()) {
            problems.add("maxBackoff must be zero or positive, was " + maxBackoff);
        } else if (initialBackoff != null && maxBackoff.compareTo(initialBackoff) < 0) {
            problems.add("maxBackoff (" + maxBackoff + ") must not be below initialBackoff (" + initialBackoff + ")");
        }
        if (!problems.isEmpty()) {
            String which = name == null || name.isBlank() ? "" : " '" + name + "'";
            throw new DeliveryException("invalid webhook endpoint" + which + ": " + String.join("; ", problems));
        }
    }

    /** An endpoint with every default: unsigned, 5 s timeout, 6 attempts, 1 s to 60 s backoff, public only. */
    public static WebhookEndpoint of(String name, URI url, Format format) {
        return builder(name, url, format).build();
    }

    /**
     * A builder preset with the endpoint's name, url and format and the defaults of the other settings; {@code
     * secret} takes the secret or an {@code Optional} of it.
     */
    public static WebhookEndpointBuilder builder(String name, URI url, Format format) {
        return WebhookEndpointBuilder.builder()
                .name(name)
                .url(url)
                .format(format)
                .secret(Optional.empty())
                .timeout(DEFAULT_TIMEOUT)
                .maxAttempts(DEFAULT_MAX_ATTEMPTS)
                .initialBackoff(DEFAULT_INITIAL_BACKOFF)
                .maxBackoff(DEFAULT_MAX_BACKOFF)
                .allowPrivate(false);
    }

    /** This endpoint with another secret (for rotation). */
    public WebhookEndpoint withSecret(String newSecret) {
        return WebhookEndpointBuilder.builder(this)
                .secret(Optional.of(newSecret))
                .build();
    }

    /** Masks the secret and the URL's path and query, which may hold tokens: only scheme, host and port show. */
    @Override
    public String toString() {
        return "WebhookEndpoint[name=" + name + ", url=" + url.getScheme() + "://" + url.getHost()
                + (url.getPort() >= 0 ? ":" + url.getPort() : "") + "/…, format=" + format + ", secret="
                + (secret.isPresent() ? "*****" : "none") + ", timeout=" + timeout + ", maxAttempts=" + maxAttempts
                + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff + ", allowPrivate="
                + allowPrivate + "]";
    }

    private static Optional<String> secretProblem(String secret) {
        if (!secret.startsWith(SECRET_PREFIX)) {
            return Optional.of("secret must start with '" + SECRET_PREFIX + "'");
        }
        try {
            byte[] key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
            if (key.length < 16) {
                return Optional.of("secret must hold at least 16 bytes of key, held " + key.length);
            }
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            // the message of the decoder names the offending character: not shown, it is part of the secret
            return Optional.of("secret after '" + SECRET_PREFIX + "' must be base64");
        }
    }
}
