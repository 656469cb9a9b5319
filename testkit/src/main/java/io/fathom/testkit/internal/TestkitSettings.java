package io.fathom.testkit.internal;

import io.fathom.testkit.TestkitException;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * How the testkit should start its broker, read once from the environment.
 *
 * @param dockerRequested {@value #DOCKER_KEY} is {@code true}, as a system property or, if the property
 *     is absent, as an environment variable: use a Testcontainers broker when a Docker engine answers
 */
public record TestkitSettings(boolean dockerRequested) {

    /** System property, or environment variable, that asks for a broker in Docker. */
    public static final String DOCKER_KEY = "FATHOM_TESTKIT_DOCKER";

    /** Reads the settings from this JVM's system properties and environment. */
    public static TestkitSettings fromEnvironment() {
        return from(System::getProperty, System::getenv);
    }

    /** Reads the settings from the given lookups; a system property wins over the environment. */
    public static TestkitSettings from(UnaryOperator<String> systemProperties, UnaryOperator<String> environment) {
        Objects.requireNonNull(systemProperties, "systemProperties");
        Objects.requireNonNull(environment, "environment");
        String docker = systemProperties.apply(DOCKER_KEY);
        if (docker == null) {
            docker = environment.apply(DOCKER_KEY);
        }
        return new TestkitSettings(parseBoolean(DOCKER_KEY, docker));
    }

    private static boolean parseBoolean(String key, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new TestkitException(key + " must be true or false, was '" + value + "'");
        };
    }
}
