package io.fathom.monitor.bias;

/**
 * One group's counts in one window: its predictions and, for those whose label has arrived, the
 * confusion matrix. {@code labelled = TP + FP + FN + TN} is at most n, and the labelled predicted
 * positives {@code TP + FP} at most the predicted positives.
 *
 * @param n predictions
 * @param predictedPositive predictions of the positive class
 * @param truePositives labelled positive, predicted positive
 * @param falsePositives labelled negative, predicted positive
 * @param falseNegatives labelled positive, predicted negative
 * @param trueNegatives labelled negative, predicted negative
 */
public record GroupCounts(
        long n,
        long predictedPositive,
        long truePositives,
        long falsePositives,
        long falseNegatives,
        long trueNegatives) {

    public GroupCounts {
        requireNonNegative(n, "n");
        requireNonNegative(predictedPositive, "predictedPositive");
        requireNonNegative(truePositives, "truePositives");
        requireNonNegative(falsePositives, "falsePositives");
        requireNonNegative(falseNegatives, "falseNegatives");
        requireNonNegative(trueNegatives, "trueNegatives");
        if (predictedPositive > n) {
            throw new IllegalArgumentException("predictedPositive " + predictedPositive + " exceeds n " + n);
        }
        long labelled = truePositives + falsePositives + falseNegatives + trueNegatives;
        if (labelled > n) {
            throw new IllegalArgumentException(
                    "the confusion matrix holds " + labelled + " predictions, more than n " + n);
        }
        if (truePositives + falsePositives > predictedPositive) {
            throw new IllegalArgumentException("TP + FP = " + (truePositives + falsePositives)
                    + " exceeds predictedPositive " + predictedPositive);
        }
        if (falseNegatives + trueNegatives > n - predictedPositive) {
            throw new IllegalArgumentException("FN + TN = " + (falseNegatives + trueNegatives)
                    + " exceeds the predicted negatives " + (n - predictedPositive));
        }
    }

    /** Counts of predictions without labels. */
    public static GroupCounts predictions(long n, long predictedPositive) {
        return new GroupCounts(n, predictedPositive, 0, 0, 0, 0);
    }

    /** Counts where every prediction is labelled: n and predicted positives follow from the matrix. */
    public static GroupCounts labelled(
            long truePositives, long falsePositives, long falseNegatives, long trueNegatives) {
        return new GroupCounts(
                truePositives + falsePositives + falseNegatives + trueNegatives,
                truePositives + falsePositives,
                truePositives,
                falsePositives,
                falseNegatives,
                trueNegatives);
    }

    /** The predictions whose label is known. */
    public long labelled() {
        return truePositives + falsePositives + falseNegatives + trueNegatives;
    }

    /** The sum of two groups' counts (e.g. two partial windows). */
    public GroupCounts plus(GroupCounts other) {
        return new GroupCounts(
                n + other.n,
                predictedPositive + other.predictedPositive,
                truePositives + other.truePositives,
                falsePositives + other.falsePositives,
                falseNegatives + other.falseNegatives,
                trueNegatives + other.trueNegatives);
    }

    private static void requireNonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be non-negative, was " + value);
        }
    }
}
