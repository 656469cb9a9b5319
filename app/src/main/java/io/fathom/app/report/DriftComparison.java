package io.fathom.app.report;

import io.fathom.monitor.drift.Baseline;
import io.fathom.monitor.drift.DriftMethod;
import io.fathom.monitor.drift.DriftReport;
import io.fathom.monitor.drift.LiveWindow;
import io.fathom.monitor.drift.Verdict;
import io.fathom.schemas.MonitorDefinition.DriftRule;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One file's columns judged against another's, feature by feature, with the streaming monitor's own
 * code: the reference column becomes a {@link Baseline} feature (frozen quantile bins, top-N
 * categories, KLL sketch), the current column is fed into a {@link LiveWindow} of that feature, and
 * {@link DriftReport#compute} judges the window with {@code minSamples = 1}. So the numbers are those
 * the monitor would report for a window holding the whole current file (KS and Wasserstein from the two
 * KLL sketches, as on the live path).
 *
 * @param reference a label for the reference file
 * @param current a label for the current file
 * @param rule the method and threshold every feature is judged by
 * @param features one entry per feature, in the order asked for
 */
public record DriftComparison(String reference, String current, DriftRule rule, List<FeatureDrift> features) {
    /** The fewest current values judged: every non-empty column is judged. */
    public static final long MIN_SAMPLES = 1;

    public DriftComparison {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(rule, "rule");
        features = List.copyOf(features);
    }

    /**
     * One feature: its reference summary, the window of its current values and the report.
     *
     * @param numeric whether it was read as numbers ({@link FeatureValues#numeric}) on both sides
     */
    public record FeatureDrift(boolean numeric, Baseline.Feature reference, LiveWindow current, DriftReport report) {
        public FeatureDrift {
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(current, "current");
            Objects.requireNonNull(report, "report");
        }

        String name() {
            return reference.name();
        }

        boolean drifted() {
            return report.verdict() == Verdict.DRIFT;
        }
    }

    /**
     * Judges each named feature; every name must be a column of both maps.
     *
     * @throws IllegalArgumentException if a feature is missing from either side, or the rule's method
     *     needs numbers and a feature is categorical (the message names the features)
     */
    public static DriftComparison of(
            String referenceLabel,
            Map<String, List<Object>> referenceColumns,
            String currentLabel,
            Map<String, List<Object>> currentColumns,
            List<String> featureNames,
            DriftRule rule) {
        Baseline.Builder builder = Baseline.builder(referenceLabel, "drift report reference", Clock.systemUTC());
        List<Boolean> numeric = new ArrayList<>();
        for (String name : featureNames) {
            List<Object> reference = requireColumn(referenceColumns, name, referenceLabel);
            List<Object> current = requireColumn(currentColumns, name, currentLabel);
            boolean isNumeric = FeatureValues.numeric(reference, current);
            numeric.add(isNumeric);
            if (isNumeric) {
                builder.numeric(name, FeatureValues.numbers(reference));
            } else {
                builder.categorical(name, FeatureValues.categories(reference));
            }
        }
        Baseline baseline = builder.build();
        DriftMethod method = DriftMethod.of(rule.method());
        List<String> inapplicable = baseline.features().values().stream()
                .filter(f -> !method.appliesTo(f))
                .map(Baseline.Feature::name)
                .toList();
        if (!inapplicable.isEmpty()) {
            throw new IllegalArgumentException("--method " + method.code() + " needs numeric features, but "
                    + String.join(", ", inapplicable) + (inapplicable.size() == 1 ? " is" : " are")
                    + " categorical: choose --features or another --method");
        }
        List<FeatureDrift> features = new ArrayList<>();
        for (int i = 0; i < featureNames.size(); i++) {
            String name = featureNames.get(i);
            Baseline.Feature reference = baseline.feature(name).orElseThrow();
            LiveWindow window = LiveWindow.of(reference);
            List<Object> current = currentColumns.get(name);
            if (numeric.get(i)) {
                FeatureValues.numbers(current).forEach(window::add);
            } else {
                FeatureValues.categories(current).forEach(window::add);
            }
            features.add(new FeatureDrift(
                    numeric.get(i), reference, window, DriftReport.compute(reference, window, rule, MIN_SAMPLES)));
        }
        return new DriftComparison(referenceLabel, currentLabel, rule, features);
    }

    /** The features judged DRIFT. */
    public List<String> drifted() {
        return features.stream()
                .filter(FeatureDrift::drifted)
                .map(FeatureDrift::name)
                .toList();
    }

    private static List<Object> requireColumn(Map<String, List<Object>> columns, String name, String file) {
        List<Object> column = columns.get(name);
        if (column == null) {
            throw new IllegalArgumentException("feature " + name + " is not a column of " + file);
        }
        return column;
    }
}
