package io.fathom.app.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One feature's reference and current values counted on the reference's frozen bins: numeric bins
 * between {@code innerEdges} (the outer two open-ended), or the reference's top categories and then
 * the bin of every other value. What {@link SvgHistogram} draws.
 *
 * @param feature the feature's name
 * @param numeric numeric bins (else categories)
 * @param innerEdges numeric: the inner edges, one fewer than the bins; empty when categorical
 * @param categories categorical: one name per bin, the last the bin of the others; empty when numeric
 * @param reference the reference's non-null values per bin
 * @param current the current window's non-null values per bin
 */
public record Histogram(
        String feature,
        boolean numeric,
        List<Double> innerEdges,
        List<String> categories,
        List<Long> reference,
        List<Long> current) {

    public Histogram {
        Objects.requireNonNull(feature, "feature");
        innerEdges = List.copyOf(innerEdges);
        categories = List.copyOf(categories);
        reference = List.copyOf(reference);
        current = List.copyOf(current);
        int bins = numeric ? innerEdges.size() + 1 : categories.size();
        if (numeric && !categories.isEmpty() || !numeric && !innerEdges.isEmpty()) {
            throw new IllegalArgumentException("a histogram of " + feature + " has either edges or categories");
        }
        if (bins == 0 || reference.size() != bins || current.size() != bins) {
            throw new IllegalArgumentException("the histogram of " + feature + " has " + bins + " bins but "
                    + reference.size() + " reference and " + current.size() + " current counts");
        }
    }

    public static Histogram numeric(String feature, double[] innerEdges, long[] reference, long[] current) {
        List<Double> edges = new ArrayList<>();
        for (double e : innerEdges) {
            edges.add(e);
        }
        return new Histogram(feature, true, edges, List.of(), boxed(reference), boxed(current));
    }

    public static Histogram categorical(String feature, List<String> categories, long[] reference, long[] current) {
        return new Histogram(feature, false, List.of(), categories, boxed(reference), boxed(current));
    }

    public int bins() {
        return reference.size();
    }

    /** The reference's non-null values (the sum of its bins). */
    public long referenceTotal() {
        return reference.stream().mapToLong(Long::longValue).sum();
    }

    /** The current window's non-null values (the sum of its bins). */
    public long currentTotal() {
        return current.stream().mapToLong(Long::longValue).sum();
    }

    /** Each bin's range ({@code [lower, upper)}, open-ended outside) or category. */
    public List<String> binLabels() {
        if (!numeric) {
            return categories;
        }
        List<String> labels = new ArrayList<>();
        int n = innerEdges.size();
        if (n == 0) {
            return List.of("all values");
        }
        labels.add("< " + Numbers.number(innerEdges.get(0)));
        for (int i = 1; i < n; i++) {
            labels.add("[" + Numbers.number(innerEdges.get(i - 1)) + ", " + Numbers.number(innerEdges.get(i)) + ")");
        }
        labels.add("≥ " + Numbers.number(innerEdges.get(n - 1)));
        return labels;
    }

    private static List<Long> boxed(long[] counts) {
        List<Long> list = new ArrayList<>(counts.length);
        for (long c : counts) {
            list.add(c);
        }
        return list;
    }
}
