package io.fathom.monitor.drift;

import java.util.Arrays;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.SignificanceResult;

/**
 * Pearson's chi-square test of homogeneity of a reference and a current histogram over the same bins:
 * the 2 x k contingency table {@code [reference; current]}, expected counts {@code E_ij = row_i col_j /
 * total}, statistic {@code sum (O_ij - E_ij)^2 / E_ij}, {@code k' - 1} degrees of freedom, p-value from
 * the chi-square distribution (Pearson, 1900). As docs/semantics.md defines it: no continuity correction, and
 * bins empty on both sides are dropped first (they carry no information and would give a zero
 * expected count), so {@code k'} counts the bins left. Equals scipy's {@code chi2_contingency([ref,
 * cur], correction=False)} on those bins. The statistic and p-value are Commons Statistics'
 * {@link ChiSquareTest}.
 *
 * <p>With fewer than two bins left there is nothing to compare: statistic 0, 0 degrees of freedom,
 * p-value 1 (what scipy returns for a 2 x 1 table). With an empty side the test is undefined: NaN.
 */
public final class ChiSquareHomogeneity {
    private static final ChiSquareTest TEST = ChiSquareTest.withDefaults();

    private ChiSquareHomogeneity() {}

    /** The test's outcome. */
    public record Result(double statistic, double pValue, int degreesOfFreedom) {
        /** The outcome when either side is empty. */
        public static final Result UNDEFINED = new Result(Double.NaN, Double.NaN, 0);
    }

    /** Tests whether {@code reference} and {@code current} come from one distribution over the bins. */
    public static Result test(long[] reference, long[] current) {
        HistogramDrift.requireSameBins(reference, current);
        int kept = 0;
        long[][] table = new long[2][reference.length];
        long referenceTotal = 0;
        long currentTotal = 0;
        for (int i = 0; i < reference.length; i++) {
            referenceTotal += reference[i];
            currentTotal += current[i];
            if (reference[i] != 0 || current[i] != 0) {
                table[0][kept] = reference[i];
                table[1][kept] = current[i];
                kept++;
            }
        }
        if (referenceTotal == 0 || currentTotal == 0) {
            return Result.UNDEFINED;
        }
        if (kept < 2) {
            return new Result(0, 1, 0);
        }
        long[][] nonEmpty = {Arrays.copyOf(table[0], kept), Arrays.copyOf(table[1], kept)};
        SignificanceResult result = TEST.test(nonEmpty);
        return new Result(result.getStatistic(), result.getPValue(), kept - 1);
    }
}
