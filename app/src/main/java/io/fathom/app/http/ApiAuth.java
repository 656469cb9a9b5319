package io.fathom.app.http;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who may use the API. With no token the API is open (the default, and {@code fathom demo}'s on localhost); with
 * tokens every {@code /v1} route (and the page's data) needs a bearer token holding its {@link Scope}: none or an
 * unknown one answers 401 with {@code WWW-Authenticate: Bearer}, a token without the scope 403. {@code /healthz}
 * and {@code /readyz} stay open, and {@code GET /metrics} needs {@link #metricsScope()} if one is set.
 *
 * @param tokens the tokens; names and secrets unique
 * @param metricsScope the scope {@code GET /metrics} needs; empty: open to anyone (Prometheus scrapes without a
 *     token)
 */
public record ApiAuth(List<ApiToken> tokens, Optional<Scope> metricsScope) {
    private static final String BEARER = "bearer ";

    public ApiAuth {
        tokens = List.copyOf(tokens);
        Objects.requireNonNull(metricsScope, "metricsScope");
        List<String> problems = problems(tokens);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** No tokens: the API is open. */
    public static ApiAuth none() {
        return new ApiAuth(List.of(), Optional.empty());
    }

    /** One token holding every scope, as {@code fathom demo --token} sets; {@code /metrics} open. */
    public static ApiAuth admin(String secret) {
        return new ApiAuth(List.of(ApiToken.of("admin", secret, Set.of(Scope.ADMIN))), Optional.empty());
    }

    /** Whether tokens are required at all. */
    public boolean enabled() {
        return !tokens.isEmpty();
    }

    /** Duplicate names and secrets (the messages name the tokens, never their secrets). */
    static List<String> problems(List<ApiToken> tokens) {
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tokens.size(); i++) {
            ApiToken token = tokens.get(i);
            if (!names.add(token.name())) {
                problems.add("two tokens are named " + token.name());
            }
            for (int j = 0; j < i; j++) {
                if (tokens.get(j).sameSecret(token)) {
                    problems.add("tokens " + tokens.get(j).name() + " and " + token.name() + " have the same secret");
                }
            }
        }
        return problems;
    }

    /**
     * The token an {@code Authorization} header presents, if it is one of these. Every configured token is compared
     * (no early exit), each in constant time.
     */
    public Optional<ApiToken> authenticate(String authorization) {
        if (authorization == null
                || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        byte[] presented =
                ApiToken.sha256(authorization.substring(BEARER.length()).strip());
        ApiToken found = null;
        for (ApiToken token : tokens) {
            if (token.matches(presented) && found == null) {
                found = token;
            }
        }
        return Optional.ofNullable(found);
    }
}
