package io.fathom.app.http;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What {@code GET /readyz} answers: 200 when ready, else 503, and in both cases how each component stands ({@code
 * running}, or why not, e.g. {@code waiting for source topics [transactions] to be created}).
 *
 * @param ready whether the components readiness depends on all run
 * @param components each component's state, by its command-line name
 */
public record Readiness(boolean ready, Map<String, String> components) {
    public Readiness {
        components = Map.copyOf(Objects.requireNonNull(components, "components"));
    }

    /** A readiness that says nothing about the components. */
    public static Readiness of(boolean ready) {
        return new Readiness(ready, Map.of());
    }

    /** The JSON body: {@code {"status": "ready" | "not ready", "components": {name: state}}}. */
    Map<String, Object> body() {
        return Map.of("status", ready ? "ready" : "not ready", "components", new TreeMap<>(components));
    }
}
