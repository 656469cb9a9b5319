package io.fathom.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.fathom.app.http.ApiAuth;
import io.fathom.app.http.ApiToken;
import io.fathom.app.http.Scope;
import io.fathom.app.http.TlsConfig;
import io.fathom.schemas.yaml.Mapping;
import io.fathom.schemas.yaml.Mapping.Item;
import io.fathom.schemas.yaml.Problems;
import io.fathom.schemas.yaml.Quoting;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The API's security settings of {@code fathom run}'s configuration, under {@code http}:
 *
 * <pre>
 * auth:
 *   tokens:                                   # any number; with none (no auth section) the API is open
 *     - name: dashboards                      # shown in 403 answers; the token itself never is
 *       token_env: FATHOM_TOKEN_DASHBOARDS    # the environment variable holding the token (or token: "..." inline)
 *       scopes: [features]                    # features, historical, baselines, admin
 *   metrics: open                             # open (default) or the scope GET /metrics needs
 * tls:                                        # HTTPS only on http.port
 *   cert: tls/fathom.crt                      # PEM chain, relative to the configuration file
 *   key: tls/fathom.key                       # PEM PKCS#8 private key, unencrypted
 *   # or keystore: tls/fathom.p12 with keystore_password_env: VAR (or keystore_password: "...")
 * </pre>
 *
 * Every problem is reported with its path, and no message ever holds a token or password: a secret of the wrong
 * type is reported without its value.
 */
final class SecurityConfig {
    static final List<String> TLS_KEYS =
            List.of("cert", "key", "keystore", "keystore_password", "keystore_password_env");

    private SecurityConfig() {}

    static ApiAuth auth(Mapping auth, Map<String, String> env, Problems problems) {
        Problems.Mark mark = problems.mark();
        List<ApiToken> tokens = new ArrayList<>();
        auth.sequence("tokens", true).ifPresent(items -> {
            for (Item item : items) {
                token(item, env, problems).ifPresent(tokens::add);
            }
        });
        List<String> allowed = new ArrayList<>(List.of("open"));
        allowed.addAll(Scope.codes());
        Optional<Scope> metrics =
                auth.oneOf("metrics", "open or a scope", allowed, Map.of()).flatMap(Scope::of);
        if (!mark.clean()) {
            return ApiAuth.none();
        }
        try {
            return new ApiAuth(tokens, metrics);
        } catch (IllegalArgumentException e) {
            problems.add(auth.at("tokens"), e.getMessage());
            return ApiAuth.none();
        }
    }

    private static Optional<ApiToken> token(Item item, Map<String, String> env, Problems problems) {
        Problems.Mark mark = problems.mark();
        Optional<Mapping> opened = Mapping.open(
                item.node(), item.path(), problems, List.of("name", "scopes"), List.of("token", "token_env"));
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        Mapping token = opened.get();
        Optional<String> name = token.string("name");
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        token.distinctStrings("scopes", "scope")
                .ifPresent(codes -> codes.forEach(code -> Scope.of(code)
                        .ifPresentOrElse(
                                scopes::add,
                                () -> problems.add(
                                        token.at("scopes"),
                                        Quoting.quote(code) + " is not a scope (allowed: "
                                                + String.join(", ", Scope.codes()) + ")"))));
        Optional<String> secret = secret(token, item.node(), "token", "token_env", env, problems);
        if (!mark.clean()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ApiToken.of(name.orElseThrow(), secret.orElseThrow(), scopes));
        } catch (IllegalArgumentException e) {
            problems.add(item.path(), e.getMessage());
            return Optional.empty();
        }
    }

    /** @param raw the {@code tls} mapping's node, for the inline password (read without quoting it anywhere) */
    static Optional<TlsConfig> tls(Mapping tls, JsonNode raw, Path base, Map<String, String> env, Problems problems) {
        Problems.Mark mark = problems.mark();
        boolean pem = tls.has("cert") || tls.has("key");
        boolean keystore = tls.has("keystore");
        Optional<TlsConfig> config = Optional.empty();
        if (pem && keystore) {
            problems.add(tls.path(), "give cert and key (PEM) or keystore (PKCS#12), not both");
        } else if (pem) {
            tls.check(tls.has("cert"), "cert", "required with key (the PEM certificate chain)");
            tls.check(tls.has("key"), "key", "required with cert (the PEM private key)");
            Optional<String> cert = tls.string("cert");
            Optional<String> key = tls.string("key");
            if (tls.has("keystore_password") || tls.has("keystore_password_env")) {
                problems.add(tls.path(), "keystore_password goes with keystore, not with cert and key");
            }
            if (cert.isPresent() && key.isPresent()) {
                config = Optional.of(new TlsConfig.Pem(base.resolve(cert.get()), base.resolve(key.get())));
            }
        } else if (keystore) {
            Optional<String> file = tls.string("keystore");
            Optional<String> password = secret(tls, raw, "keystore_password", "keystore_password_env", env, problems);
            if (file.isPresent() && password.isPresent()) {
                config = Optional.of(new TlsConfig.Pkcs12(base.resolve(file.get()), password.get()));
            }
        } else {
            problems.add(tls.path(), "give cert and key (PEM) or keystore (PKCS#12)");
        }
        if (!mark.clean() || config.isEmpty()) {
            return Optional.empty();
        }
        try {
            config.get().load();
            return config;
        } catch (TlsConfig.InvalidTlsException e) {
            e.problems().forEach(problem -> problems.add(tls.path(), problem));
            return Optional.empty();
        }
    }

    /**
     * A secret given inline ({@code inlineKey}) or by the name of the environment variable holding it ({@code
     * envKey}): exactly one of them. Never quoted in a problem.
     */
    private static Optional<String> secret(
            Mapping mapping,
            JsonNode raw,
            String inlineKey,
            String envKey,
            Map<String, String> env,
            Problems problems) {
        boolean inline = mapping.has(inlineKey);
        boolean fromEnv = mapping.has(envKey);
        if (inline == fromEnv) {
            problems.add(
                    mapping.path(),
                    inline
                            ? "give " + inlineKey + " or " + envKey + ", not both"
                            : "missing " + envKey + " (the environment variable holding it) or " + inlineKey);
            return Optional.empty();
        }
        if (inline) {
            JsonNode value = raw.get(inlineKey);
            if (!value.isTextual() || value.textValue().isBlank()) {
                problems.add(mapping.at(inlineKey), "expected a non-empty string (quote it)");
                return Optional.empty();
            }
            return Optional.of(value.textValue());
        }
        return mapping.string(envKey).flatMap(variable -> {
            String value = env.get(variable);
            if (value == null || value.isBlank()) {
                problems.add(mapping.at(envKey), "the environment variable " + variable + " is not set");
                return Optional.empty();
            }
            return Optional.of(value.strip());
        });
    }
}
