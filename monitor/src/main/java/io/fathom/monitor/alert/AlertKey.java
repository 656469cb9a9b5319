package io.fathom.monitor.alert;

import io.fathom.monitor.drift.DriftMethod;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What an alert is about: its kind ({@code drift} or {@code bias}), scope (the view or the model),
 * subject (the feature, or the protected attribute) and method (the drift method or the bias metric).
 * Its {@link #fingerprint()} is stable across restarts and instances, so receivers (Alertmanager,
 * Grafana) can tie a {@code resolved} to its {@code firing}.
 *
 * <p>Its {@link #labels()} are a function of the key alone, so an alert's label set never changes between
 * its firing and its resolved: receivers in the Alertmanager tradition identify an alert by its labels, and
 * one whose labels changed would never resolve there. What varies from window to window (the score, a bias
 * alert's least favoured group) goes to annotations.
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

    /**
     * The alert's identifying labels, sorted by name: {@code alertname}, {@code kind} and the key's parts by
     * their names — {@code view}, {@code feature}, {@code method} for drift ({@code alertname} {@code
     * FeatureDrift}); {@code model}, {@code attribute}, {@code metric} for bias ({@code ModelBias}).
     */
    public SortedMap<String, String> labels() {
        SortedMap<String, String> labels = new TreeMap<>();
        labels.put("kind", kind);
        switch (kind) {
            case "drift" -> {
                labels.put("alertname", "FeatureDrift");
                labels.put("view", scope);
                labels.put("feature", subject);
                labels.put("method", method);
            }
            case "bias" -> {
                labels.put("alertname", "ModelBias");
                labels.put("model", scope);
                labels.put("attribute", subject);
                labels.put("metric", method);
            }
            default -> {
                labels.put("alertname", "fathom_" + kind);
                labels.put("scope", scope);
                labels.put("subject", subject);
                labels.put("method", method);
            }
        }
        return Collections.unmodifiableSortedMap(labels);
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
