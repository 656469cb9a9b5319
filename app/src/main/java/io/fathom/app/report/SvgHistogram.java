package io.fathom.app.report;

import static io.fathom.app.report.Html.escape;
import static io.fathom.app.report.Numbers.number;
import static io.fathom.app.report.Numbers.percent;

import java.util.List;
import java.util.Locale;

/**
 * Draws a {@link Histogram} as one standalone SVG: grouped bars per bin, the reference's share of its
 * non-null values on the left and the current window's on the right, a percentage axis with ticks of
 * 1, 2 or 5 × 10^k, the frozen edges (numeric) or the categories (categorical) under the bins, and a
 * tooltip per bar with both counts. Styled by presentation attributes only, so it looks the same in
 * {@code fathom drift report}'s HTML, inline in the built-in page, and opened on its own. Every text
 * taken from the input is escaped.
 */
public final class SvgHistogram {
    public static final String REFERENCE_COLOUR = "#5b7fa6";
    public static final String CURRENT_COLOUR = "#e07b39";

    private static final String SVG_NAMESPACE = "http://www.w3.org/2000/svg";
    private static final int WIDTH = 720;
    private static final int HEIGHT = 330;
    private static final int LEFT = 64;
    private static final int RIGHT = 12;
    private static final int TOP = 14;
    private static final int BOTTOM = 80;
    private static final String GRID = "stroke=\"#e4e7eb\" stroke-width=\"1\"";
    private static final String AXIS = "stroke=\"#616e7c\" stroke-width=\"1\"";
    private static final String TICK = "font-size=\"11\" fill=\"#3e4c59\"";
    private static final String LABEL = "font-size=\"12\" fill=\"#1f2933\"";

    private SvgHistogram() {}

    /** The chart to place inside an HTML page, from {@code <svg} to {@code </svg>}. */
    public static String render(Histogram histogram) {
        return render(histogram, "");
    }

    /** The chart as a file of its own ({@code image/svg+xml}): the same, with the SVG namespace declared. */
    public static String document(Histogram histogram) {
        return render(histogram, " xmlns=\"" + SVG_NAMESPACE + "\"");
    }

    private static String render(Histogram histogram, String namespace) {
        List<Long> reference = histogram.reference();
        List<Long> current = histogram.current();
        List<String> labels = histogram.binLabels();
        double referenceTotal = histogram.referenceTotal();
        double currentTotal = histogram.currentTotal();
        double largest = 0;
        for (int i = 0; i < histogram.bins(); i++) {
            largest = Math.max(largest, share(reference.get(i), referenceTotal));
            largest = Math.max(largest, share(current.get(i), currentTotal));
        }
        double step = tickStep(largest);
        int ticks = Math.max(1, (int) Math.ceil(largest / step - 1e-9));
        double top = step * ticks;
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        int baseline = TOP + plotHeight;
        double group = (double) plotWidth / histogram.bins();
        double bar = Math.min(group * 0.4, 48);
        StringBuilder svg = new StringBuilder(8_192);
        svg.append(String.format(
                Locale.ROOT,
                "<svg%s class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\""
                        + " height=\"%d\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica,"
                        + " Arial, sans-serif\" role=\"img\" aria-label=\"%s\">\n",
                namespace,
                WIDTH,
                HEIGHT,
                WIDTH,
                HEIGHT,
                escape("histograms of " + histogram.feature() + ": reference and current")));
        for (int t = 0; t <= ticks; t++) {
            double value = step * t;
            double y = baseline - plotHeight * value / top;
            svg.append(String.format(
                    Locale.ROOT,
                    "<line class=\"grid\" %s x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>"
                            + "<text class=\"tick\" %s x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                    GRID,
                    LEFT,
                    WIDTH - RIGHT,
                    y,
                    y,
                    TICK,
                    LEFT - 6,
                    y + 4,
                    escape(number(value * 100) + "%")));
        }
        for (int i = 0; i < histogram.bins(); i++) {
            double x = LEFT + group * i + group / 2;
            double referenceShare = share(reference.get(i), referenceTotal);
            double currentShare = share(current.get(i), currentTotal);
            String tooltip = labels.get(i) + ": reference " + reference.get(i) + " (" + percent(referenceShare)
                    + "), current " + current.get(i) + " (" + percent(currentShare) + ")";
            bar(svg, x - bar - 1, bar, referenceShare / top, plotHeight, REFERENCE_COLOUR, tooltip);
            bar(svg, x + 1, bar, currentShare / top, plotHeight, CURRENT_COLOUR, tooltip);
        }
        svg.append(String.format(
                Locale.ROOT,
                "<line class=\"axis\" %s x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>\n",
                AXIS,
                LEFT,
                WIDTH - RIGHT,
                baseline,
                baseline));
        if (histogram.numeric()) {
            // Ticks at the frozen edges, between the bins they separate; the outer bins are open-ended.
            List<Double> edges = histogram.innerEdges();
            for (int e = 0; e < edges.size(); e++) {
                tickLabel(svg, LEFT + group * (e + 1), baseline, number(edges.get(e)));
            }
        } else {
            for (int i = 0; i < labels.size(); i++) {
                tickLabel(svg, LEFT + group * i + group / 2, baseline, abbreviate(labels.get(i), 16));
            }
        }
        String axisLabel = histogram.numeric()
                ? histogram.feature() + ": bins at the reference's quantiles (outer bins open-ended)"
                : histogram.feature() + ": the reference's top categories, then " + labels.get(labels.size() - 1);
        svg.append(String.format(
                Locale.ROOT,
                "<text class=\"label\" %s x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                LABEL,
                LEFT + plotWidth / 2.0,
                HEIGHT - 6,
                escape(axisLabel)));
        svg.append(String.format(
                Locale.ROOT,
                "<text class=\"label\" %s transform=\"translate(14 %.1f) rotate(-90)\" text-anchor=\"middle\">"
                        + "share of non-null values</text>\n",
                LABEL,
                TOP + plotHeight / 2.0));
        return svg.append("</svg>\n").toString();
    }

    /** A bar of {@code height} (a fraction of the plot's height) from the baseline up. */
    private static void bar(
            StringBuilder svg, double x, double width, double height, int plotHeight, String colour, String tooltip) {
        double pixels = plotHeight * height;
        svg.append(String.format(
                Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s</title></rect>\n",
                x,
                TOP + plotHeight - pixels,
                width,
                pixels,
                colour,
                escape(tooltip)));
    }

    private static void tickLabel(StringBuilder svg, double x, int baseline, String text) {
        svg.append(String.format(
                Locale.ROOT,
                "<line class=\"axis\" %s x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/>"
                        + "<text class=\"tick\" %s text-anchor=\"end\" transform=\"translate(%.1f %d) rotate(-40)\">"
                        + "%s</text>\n",
                AXIS,
                x,
                x,
                baseline,
                baseline + 4,
                TICK,
                x + 3,
                baseline + 14,
                escape(text)));
    }

    /** A tick step of 1, 2 or 5 × 10^k giving at most five steps up to {@code value} (1% when it is 0). */
    static double tickStep(double value) {
        if (!(value > 0)) {
            return 0.01;
        }
        double raw = value / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double step : new double[] {1, 2, 5}) {
            if (step * magnitude >= raw * (1 - 1e-12)) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static double share(long count, double total) {
        return total == 0 ? 0 : count / total;
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
