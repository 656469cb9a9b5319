package io.fathom.monitor.alert;

import io.fathom.monitor.drift.DriftMethod;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What an alert is about: its kind ({@code drift} or {@code bias}), scope (the view or the model),
 * subject (the feature, or the protected attribute) and method (the drift method or the bias metric).
 * Its {@link #fingerprint()} is stable across restarts and instances, so receivers (Alertmanager,
 * Grafana) can tie a {@code resolved} to its {@code firing}.
 */
public record AlertKey(String kind, String scope, String subject, String method) {
    /** Hex digits of the fingerprint: 64 bits of SHA-256, like Alertmanager's 16-digit fingerprints. */
    public static final int FINGERPRINT_LENGTH = 16;

    public AlertKey {
        requirePart(kind, "kind");
        requirePart(scope, "scope");
        requirePart(subject, "subject");
        requirePart(method, "method");
    }

    /** The key of a feature's drift alert. */
    public static AlertKey drift(String view, String feature, DriftMethod method) {
        return new AlertKey("drift", view, feature, method.code());
    }

    /** The key of a model's bias alert on one protected attribute and metric. */
    public static AlertKey bias(String model, String attribute, String metric) {
        return new AlertKey("bias", model, attribute, metric);
    }

    /** The first 16 hex digits of SHA-256 of {@code kind|scope|subject|method} (UTF-8). */
    public String fingerprint() {
        String text = kind + "|" + scope + "|" + subject + "|" + method;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, FINGERPRINT_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void requirePart(String part, String name) {
        Objects.requireNonNull(part, name);
        if (part.isEmpty() || part.indexOf('|') >= 0) {
            throw new IllegalArgumentException(name + " must be non-empty and without '|', was '" + part + "'");
        }
    }
}
