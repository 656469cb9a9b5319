package io.fathom.app.http;

import io.javalin.security.RouteRole;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What an API token may do. Each {@code /v1} route needs one scope; {@link #ADMIN} holds every other.
 *
 * <pre>
 * features     POST /v1/features/online; GET /v1/views, /v1/status, /v1/drift, /v1/alerts, /page/histogram/...
 * historical   POST /v1/features/historical
 * baselines    POST /v1/baselines (changes what the monitor compares live data with)
 * admin        all of the above, and what no other scope names (GET /metrics when so configured)
 * </pre>
 */
public enum Scope implements RouteRole {
    FEATURES,
    HISTORICAL,
    BASELINES,
    ADMIN;

    /** The scope's name in configuration: {@code features}, {@code historical}, {@code baselines}, {@code admin}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope of a configuration name, if it is one. */
    public static Optional<Scope> of(String code) {
        return Arrays.stream(values()).filter(s -> s.code().equals(code)).findFirst();
    }

    /** Every scope's configuration name, in order. */
    public static List<String> codes() {
        return Arrays.stream(values()).map(Scope::code).toList();
    }
}
