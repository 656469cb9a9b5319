package io.fathom.schemas;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A monitor: drift of a view's features against a baseline, or bias of a model's predictions. Both
 * judge tumbling windows of {@link #window()} (closed {@link #grace()} after their end) and alert
 * after {@link #forWindows()} consecutive breaches, resolving after {@link #resolveAfter()} clean
 * windows.
 */
public sealed interface MonitorDefinition {
    /** Consecutive breaching windows before an alert fires (YAML {@code for}). */
    int DEFAULT_FOR_WINDOWS = 2;
    /** Consecutive clean windows before a firing alert resolves (YAML {@code resolve_after}). */
    int DEFAULT_RESOLVE_AFTER = 2;
    /** How long a window waits for late data after its end (YAML {@code grace}). */
    Duration DEFAULT_GRACE = Duration.ofMinutes(1);

    /** The tumbling window judged at a time. */
    Duration window();

    /** How long a window stays open after its end for late data. */
    Duration grace();

    /** Consecutive breaching windows before an alert fires. */
    int forWindows();

    /** Consecutive clean windows before a firing alert resolves. */
    int resolveAfter();

    /** How a drift statistic is judged: the method ({@code psi}, {@code ks}, ...) and its threshold. */
    record DriftRule(String method, double threshold) {
        /** The drift methods, as written in YAML. */
        public static final List<String> METHODS = List.of("psi", "kl", "js", "wasserstein", "ks", "chi2");

        public DriftRule {
            Objects.requireNonNull(method, "method");
            if (!METHODS.contains(method)) {
                throw new IllegalArgumentException("drift method must be one of " + METHODS + ", was " + method);
            }
            if (!(threshold > 0) || Double.isInfinite(threshold)) {
                throw new IllegalArgumentException("drift threshold must be positive and finite, was " + threshold);
            }
        }
    }

    /** Drift of every feature of a view, in tumbling windows; per-feature rules override the default. */
    record DriftMonitor(
            String view,
            Duration window,
            long minSamples,
            DriftRule drift,
            Map<String, DriftRule> featureOverrides,
            Duration grace,
            int forWindows,
            int resolveAfter)
            implements MonitorDefinition {
        /** Windows with fewer values are reported as insufficient, never as drift (YAML {@code min_samples}). */
        public static final long DEFAULT_MIN_SAMPLES = 500;

        public DriftMonitor {
            Objects.requireNonNull(view, "view");
            Objects.requireNonNull(drift, "drift");
            featureOverrides = Map.copyOf(featureOverrides);
            requirePositive(window, "window");
            requireAtLeastOne(minSamples, "minSamples");
            requireWindowRules(grace, forWindows, resolveAfter);
        }

        /** A drift monitor with the default grace, {@code for} and {@code resolve_after}. */
        public DriftMonitor(
                String view,
                Duration window,
                long minSamples,
                DriftRule drift,
                Map<String, DriftRule> featureOverrides) {
            this(
                    view,
                    window,
                    minSamples,
                    drift,
                    featureOverrides,
                    DEFAULT_GRACE,
                    DEFAULT_FOR_WINDOWS,
                    DEFAULT_RESOLVE_AFTER);
        }

        /** The rule for one feature: its override, or the monitor's rule. */
        public DriftRule ruleFor(String feature) {
            return featureOverrides.getOrDefault(feature, drift);
        }
    }

    /** Bias thresholds of a model's predictions across protected groups; each in (0, 1]. */
    record BiasRule(double disparateImpactMin, double parityDifferenceMax) {
        /** Disparate impact below 0.8 (the four-fifths rule) or parity difference above 0.1 alerts. */
        public static final BiasRule DEFAULT = new BiasRule(0.8, 0.1);

        public BiasRule {
            requireFraction(disparateImpactMin, "disparateImpactMin");
            requireFraction(parityDifferenceMax, "parityDifferenceMax");
        }

        private static void requireFraction(double value, String name) {
            if (!(value > 0 && value <= 1)) {
                throw new IllegalArgumentException(name + " must be in (0, 1], was " + value);
            }
        }
    }

    /**
     * Bias of a model: predictions topic, optional labels topic (joined by id within {@code labelDelay}),
     * protected attributes; groups with fewer than {@code minGroupSize} predictions in a window are
     * reported as insufficient.
     */
    record BiasMonitor(
            String model,
            String predictions,
            Optional<String> labels,
            List<String> protectedAttributes,
            BiasRule bias,
            Duration window,
            Duration grace,
            Duration labelDelay,
            long minGroupSize,
            int forWindows,
            int resolveAfter)
            implements MonitorDefinition {
        public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
        public static final Duration DEFAULT_LABEL_DELAY = Duration.ofHours(1);
        public static final long DEFAULT_MIN_GROUP_SIZE = 100;

        public BiasMonitor {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(predictions, "predictions");
            Objects.requireNonNull(labels, "labels");
            protectedAttributes = List.copyOf(protectedAttributes);
            if (protectedAttributes.isEmpty()) {
                throw new IllegalArgumentException("bias monitor " + model + " has no protected attributes");
            }
            Objects.requireNonNull(bias, "bias");
            requirePositive(window, "window");
            requireNotNegative(labelDelay, "labelDelay");
            requireAtLeastOne(minGroupSize, "minGroupSize");
            requireWindowRules(grace, forWindows, resolveAfter);
        }

        /** A bias monitor with the default window, grace, label delay, minimum group size, {@code for} and {@code resolve_after}. */
        public BiasMonitor(
                String model,
                String predictions,
                Optional<String> labels,
                List<String> protectedAttributes,
                BiasRule bias) {
            this(
                    model,
                    predictions,
                    labels,
                    protectedAttributes,
                    bias,
                    DEFAULT_WINDOW,
                    DEFAULT_GRACE,
                    DEFAULT_LABEL_DELAY,
                    DEFAULT_MIN_GROUP_SIZE,
                    DEFAULT_FOR_WINDOWS,
                    DEFAULT_RESOLVE_AFTER);
        }
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }

    private static void requireWindowRules(Duration grace, int forWindows, int resolveAfter) {
        requireNotNegative(grace, "grace");
        requireAtLeastOne(forWindows, "forWindows");
        requireAtLeastOne(resolveAfter, "resolveAfter");
    }

    private static void requireNotNegative(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + duration);
        }
    }

    private static void requireAtLeastOne(long value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }
}
