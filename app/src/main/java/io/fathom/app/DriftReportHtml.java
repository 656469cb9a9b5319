package io.fathom.app;

import io.fathom.app.DriftComparison.FeatureDrift;
import io.fathom.monitor.Baseline;
import io.fathom.monitor.DriftMethod;
import io.fathom.monitor.DriftReport;
import io.fathom.monitor.DriftStatistics;
import io.fathom.monitor.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The HTML form of a {@link DriftComparison}: one self-contained page (inline CSS and SVG, nothing
 * fetched) with a summary table and, per feature, the reference and current histograms side by side on
 * the reference's frozen bins or categories, as shares of each side's non-null values, beside every
 * statistic and the verdict. Every text taken from the input is escaped.
 */
final class DriftReportHtml {
    private static final String REFERENCE_COLOUR = "#5b7fa6";
    private static final String CURRENT_COLOUR = "#e07b39";

    private static final int WIDTH = 720;
    private static final int HEIGHT = 330;
    private static final int LEFT = 64;
    private static final int RIGHT = 12;
    private static final int TOP = 14;
    private static final int BOTTOM = 80;

    private DriftReportHtml() {}

    static String render(DriftComparison comparison) {
        StringBuilder html = new StringBuilder(16_384);
        List<String> drifted = comparison.drifted();
        String method = comparison.rule().method();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Drift report: ")
                .append(esc(comparison.current()))
                .append(" vs ")
                .append(esc(comparison.reference()))
                .append("</title>\n<style>\n")
                .append(CSS)
                .append("</style>\n</head>\n<body>\n<main>\n<h1>Drift report</h1>\n");
        html.append("<p class=\"meta\"><span class=\"swatch\" style=\"background:")
                .append(REFERENCE_COLOUR)
                .append("\"></span>reference <code>")
                .append(esc(comparison.reference()))
                .append("</code> &nbsp; <span class=\"swatch\" style=\"background:")
                .append(CURRENT_COLOUR)
                .append("\"></span>current <code>")
                .append(esc(comparison.current()))
                .append("</code></p>\n<p class=\"meta\">Judged by <b>")
                .append(esc(method))
                .append("</b>: drift when ")
                .append(esc(breachRule(comparison)))
                .append(". ")
                .append(comparison.features().size())
                .append(comparison.features().size() == 1 ? " feature, " : " features, ")
                .append(
                        drifted.isEmpty()
                                ? "<span class=\"verdict OK\">none drifted</span>"
                                : "<span class=\"verdict DRIFT\">" + drifted.size() + " drifted</span>")
                .append(".</p>\n");
        summary(html, comparison);
        int i = 0;
        for (FeatureDrift feature : comparison.features()) {
            section(html, feature, i++);
        }
        html.append("<p class=\"foot\">Statistics as in the Fathom monitor: histograms smoothed by adding 0.5 per"
                        + " bin; KL is current relative to reference (nats); JS is the distance in base 2;"
                        + " KS and Wasserstein come from KLL sketches (k = 200) of both sides, Wasserstein divided"
                        + " by the reference's standard deviation, so they vary a little from run to run and the KS"
                        + " p-value is only indicative at large n (judge by D); chi-square drops bins empty on both"
                        + " sides.</p>\n")
                .append("</main>\n</body>\n</html>\n");
        return html.toString();
    }

    private static void summary(StringBuilder html, DriftComparison comparison) {
        html.append("<table class=\"summary\">\n<thead><tr><th>feature</th><th>type</th><th>method</th>"
                + "<th class=\"num\">score</th><th class=\"num\">threshold</th><th>verdict</th>"
                + "<th class=\"num\">n reference</th><th class=\"num\">n current</th></tr></thead>\n<tbody>\n");
        int i = 0;
        for (FeatureDrift feature : comparison.features()) {
            DriftReport report = feature.report();
            html.append("<tr><td><a href=\"#feature-")
                    .append(i++)
                    .append("\">")
                    .append(esc(feature.name()))
                    .append("</a></td><td>")
                    .append(feature.numeric() ? "numeric" : "categorical")
                    .append("</td><td>")
                    .append(esc(report.method().code()))
                    .append("</td><td class=\"num\">")
                    .append(esc(number(report.score())))
                    .append("</td><td class=\"num\">")
                    .append(esc(number(report.threshold())))
                    .append("</td><td>")
                    .append(verdict(report.verdict()))
                    .append("</td><td class=\"num\">")
                    .append(feature.reference().count())
                    .append("</td><td class=\"num\">")
                    .append(report.n())
                    .append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n");
    }

    private static void section(StringBuilder html, FeatureDrift feature, int index) {
        DriftReport report = feature.report();
        html.append("<section id=\"feature-")
                .append(index)
                .append("\" class=\"feature ")
                .append(report.verdict().name())
                .append("\">\n<h2>")
                .append(esc(feature.name()))
                .append(" <span class=\"type\">")
                .append(feature.numeric() ? "numeric" : "categorical")
                .append("</span> ")
                .append(verdict(report.verdict()))
                .append("</h2>\n<div class=\"row\">\n");
        chart(html, feature);
        statistics(html, feature);
        html.append("</div>\n</section>\n");
    }

    /** Grouped bars per bin: shares of each side's non-null values, reference left, current right. */
    private static void chart(StringBuilder html, FeatureDrift feature) {
        long[] reference = feature.reference().binCounts();
        long[] current = feature.current().binCounts();
        List<String> labels = binLabels(feature);
        double referenceTotal = sum(reference);
        double currentTotal = sum(current);
        double largest = 0;
        for (int i = 0; i < reference.length; i++) {
            largest = Math.max(largest, share(reference[i], referenceTotal));
            largest = Math.max(largest, share(current[i], currentTotal));
        }
        double step = tickStep(largest);
        int ticks = Math.max(1, (int) Math.ceil(largest / step - 1e-9));
        double top = step * ticks;
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        double group = (double) plotWidth / reference.length;
        double bar = Math.min(group * 0.4, 48);
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"chart\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(HEIGHT)
                .append("\" width=\"")
                .append(WIDTH)
                .append("\" height=\"")
                .append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"")
                .append(esc("histograms of " + feature.name() + ": reference and current"))
                .append("\">\n");
        for (int t = 0; t <= ticks; t++) {
            double value = step * t;
            double y = TOP + plotHeight - plotHeight * value / top;
            svg.append(String.format(
                    Locale.ROOT,
                    "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>"
                            + "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                    LEFT,
                    WIDTH - RIGHT,
                    y,
                    y,
                    LEFT - 6,
                    y + 4,
                    esc(number(value * 100) + "%")));
        }
        for (int i = 0; i < reference.length; i++) {
            double x = LEFT + group * i + group / 2;
            String tooltip = labels.get(i) + ": reference " + reference[i] + " ("
                    + percent(share(reference[i], referenceTotal)) + "), current " + current[i] + " ("
                    + percent(share(current[i], currentTotal)) + ")";
            bar(svg, x - bar - 1, bar, share(reference[i], referenceTotal), top, plotHeight, REFERENCE_COLOUR, tooltip);
            bar(svg, x + 1, bar, share(current[i], currentTotal), top, plotHeight, CURRENT_COLOUR, tooltip);
        }
        svg.append(String.format(
                Locale.ROOT,
                "<line class=\"axis\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>\n",
                LEFT,
                WIDTH - RIGHT,
                TOP + plotHeight,
                TOP + plotHeight));
        int baseline = TOP + plotHeight;
        if (feature.numeric()) {
            // Ticks at the frozen edges, between the bins they separate; the outer bins are open-ended.
            double[] edges = ((Baseline.Numeric) feature.reference()).edges().innerEdges();
            for (int e = 0; e < edges.length; e++) {
                double x = LEFT + group * (e + 1);
                tickLabel(svg, x, baseline, number(edges[e]));
            }
        } else {
            for (int i = 0; i < labels.size(); i++) {
                tickLabel(svg, LEFT + group * i + group / 2, baseline, abbreviate(labels.get(i), 16));
            }
        }
        svg.append(String.format(
                Locale.ROOT,
                "<text class=\"label\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                LEFT + plotWidth / 2.0,
                HEIGHT - 6,
                esc(
                        feature.numeric()
                                ? feature.name() + ": bins at the reference's quantiles (outer bins open-ended)"
                                : feature.name() + ": the reference's top categories, then " + Baseline.OTHER)));
        svg.append(String.format(
                Locale.ROOT,
                "<text class=\"label\" transform=\"translate(14 %.1f) rotate(-90)\" text-anchor=\"middle\">"
                        + "share of non-null values</text>\n",
                TOP + plotHeight / 2.0));
        svg.append("</svg>\n");
        html.append("<figure>\n")
                .append(svg)
                .append("<figcaption><span class=\"swatch\" style=\"background:")
                .append(REFERENCE_COLOUR)
                .append("\"></span>reference (n = ")
                .append(feature.reference().count())
                .append(") &nbsp; <span class=\"swatch\" style=\"background:")
                .append(CURRENT_COLOUR)
                .append("\"></span>current (n = ")
                .append(feature.report().n())
                .append(")</figcaption>\n</figure>\n");
    }

    private static void bar(
            StringBuilder svg,
            double x,
            double width,
            double share,
            double top,
            int plotHeight,
            String colour,
            String tooltip) {
        double height = plotHeight * share / top;
        svg.append(String.format(
                Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s</title></rect>\n",
                x,
                TOP + plotHeight - height,
                width,
                height,
                colour,
                esc(tooltip)));
    }

    private static void tickLabel(StringBuilder svg, double x, int baseline, String text) {
        svg.append(String.format(
                Locale.ROOT,
                "<line class=\"axis\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/>"
                        + "<text class=\"tick\" text-anchor=\"end\" transform=\"translate(%.1f %d) rotate(-40)\">%s</text>\n",
                x,
                x,
                baseline,
                baseline + 4,
                x + 3,
                baseline + 14,
                esc(text)));
    }

    private static void statistics(StringBuilder html, FeatureDrift feature) {
        DriftReport report = feature.report();
        DriftMethod method = report.method();
        html.append("<table class=\"stats\">\n<tbody>\n");
        DriftStatistics s = report.statistics().orElse(null);
        row(html, "PSI", s == null ? Double.NaN : s.psi(), method == DriftMethod.PSI);
        row(html, "KL (cur ‖ ref)", s == null ? Double.NaN : s.kl(), method == DriftMethod.KL);
        row(html, "JS distance", s == null ? Double.NaN : s.js(), method == DriftMethod.JS);
        if (feature.numeric()) {
            row(
                    html,
                    "Wasserstein / σ",
                    s == null ? Double.NaN : s.wassersteinNorm(),
                    method == DriftMethod.WASSERSTEIN);
            row(html, "KS D", s == null ? Double.NaN : s.ksStatistic(), method == DriftMethod.KS);
            row(html, "KS p-value", s == null ? Double.NaN : s.ksPValue(), false);
        }
        row(html, "χ²", s == null ? Double.NaN : s.chi2Statistic(), false);
        html.append("<tr><th>χ² df</th><td class=\"num\">")
                .append(s == null ? "–" : Integer.toString(s.chi2DegreesOfFreedom()))
                .append("</td></tr>\n");
        row(html, "χ² p-value", s == null ? Double.NaN : s.chi2PValue(), method == DriftMethod.CHI2);
        html.append("<tr class=\"sep\"><th>threshold</th><td class=\"num\">")
                .append(esc((method.higherIsWorse() ? "> " : "< ") + number(report.threshold())))
                .append("</td></tr>\n");
        html.append("<tr><th>nulls reference</th><td class=\"num\">")
                .append(feature.reference().nulls())
                .append(" (")
                .append(esc(percent(feature.reference().nullRate())))
                .append(")</td></tr>\n<tr><th>nulls current</th><td class=\"num\">")
                .append(report.nulls())
                .append(" (")
                .append(esc(percent(report.nullRate())))
                .append(")</td></tr>\n");
        if (feature.reference() instanceof Baseline.Numeric numeric) {
            html.append("<tr><th>reference mean ± σ</th><td class=\"num\">")
                    .append(esc(number(numeric.mean()) + " ± " + number(numeric.populationStd())))
                    .append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n");
    }

    private static void row(StringBuilder html, String name, double value, boolean score) {
        html.append(score ? "<tr class=\"score\">" : "<tr>")
                .append("<th>")
                .append(esc(name))
                .append(score ? " (score)" : "")
                .append("</th><td class=\"num\">")
                .append(esc(number(value)))
                .append("</td></tr>\n");
    }

    /** Each bin's range (numeric, [lower, upper)) or category, for tooltips and category ticks. */
    private static List<String> binLabels(FeatureDrift feature) {
        List<String> labels = new ArrayList<>();
        if (feature.reference() instanceof Baseline.Numeric numeric) {
            double[] edges = numeric.edges().innerEdges();
            for (int i = 0; i <= edges.length; i++) {
                if (edges.length == 0) {
                    labels.add("all values");
                } else if (i == 0) {
                    labels.add("< " + number(edges[0]));
                } else if (i == edges.length) {
                    labels.add("≥ " + number(edges[i - 1]));
                } else {
                    labels.add("[" + number(edges[i - 1]) + ", " + number(edges[i]) + ")");
                }
            }
        } else {
            labels.addAll(
                    ((Baseline.Categorical) feature.reference()).categories().keySet());
            labels.add(Baseline.OTHER);
        }
        return labels;
    }

    private static String breachRule(DriftComparison comparison) {
        DriftMethod method = DriftMethod.of(comparison.rule().method());
        String score =
                method == DriftMethod.KS ? "KS D" : method == DriftMethod.CHI2 ? "the χ² p-value" : method.code();
        return score
                + (method.higherIsWorse() ? " > " : " < ")
                + number(comparison.rule().threshold());
    }

    private static String verdict(Verdict verdict) {
        return "<span class=\"verdict " + verdict.name() + "\">" + verdict.name() + "</span>";
    }

    private static double sum(long[] counts) {
        double total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    private static double share(long count, double total) {
        return total == 0 ? 0 : count / total;
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

    /** Four significant digits, no trailing zeros; "–" for an undefined number. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "∞" : "−∞";
        }
        if (value == 0) {
            return "0";
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 1e6 || magnitude < 1e-4) {
            return String.format(Locale.ROOT, "%.3e", value);
        }
        String text = String.format(Locale.ROOT, "%.4g", value);
        if (text.contains(".")) {
            text = text.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return text;
    }

    private static String percent(double share) {
        if (Double.isNaN(share)) {
            return "–";
        }
        double p = share * 100;
        if (Math.abs(p - Math.rint(p)) < 1e-9) {
            return String.format(Locale.ROOT, "%.0f%%", p);
        }
        return (Math.abs(p) < 1 ? String.format(Locale.ROOT, "%.2f", p) : String.format(Locale.ROOT, "%.1f", p)) + "%";
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** Escapes text for HTML content and attribute values. */
    static String esc(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final String CSS =
            """
            :root { color-scheme: light; }
            body { margin: 0; background: #f6f7f9; color: #1f2933;
                   font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
            main { max-width: 1140px; margin: 0 auto; padding: 24px 28px 40px; }
            h1 { font-size: 24px; margin: 0 0 8px; }
            h2 { font-size: 17px; margin: 0 0 10px; display: flex; align-items: center; gap: 10px; }
            code { font-size: 13px; background: #eceff3; padding: 1px 5px; border-radius: 3px; word-break: break-all; }
            .meta { margin: 4px 0; color: #3e4c59; }
            .swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 5px;
                      vertical-align: -1px; }
            table { border-collapse: collapse; background: #fff; }
            th, td { padding: 5px 10px; text-align: left; border-bottom: 1px solid #e4e7eb; }
            td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
            .summary { width: 100%; margin: 18px 0 26px; box-shadow: 0 1px 2px rgba(0,0,0,.06); }
            .summary thead th { background: #eef1f4; font-weight: 600; }
            .summary a { color: #1f4e8c; text-decoration: none; font-weight: 600; }
            .verdict { display: inline-block; padding: 1px 9px; border-radius: 10px; font-size: 12px;
                       font-weight: 700; letter-spacing: .03em; color: #fff; }
            .verdict.OK { background: #2e7d32; }
            .verdict.DRIFT { background: #c62828; }
            .verdict.INSUFFICIENT { background: #7b8794; }
            .feature { background: #fff; border-radius: 6px; padding: 16px 18px; margin: 0 0 20px;
                       border-left: 5px solid #7b8794; box-shadow: 0 1px 2px rgba(0,0,0,.06); }
            .feature.OK { border-left-color: #2e7d32; }
            .feature.DRIFT { border-left-color: #c62828; }
            .type { font-size: 12px; font-weight: 400; color: #616e7c; }
            .row { display: flex; flex-wrap: wrap; gap: 18px; align-items: flex-start; }
            figure { margin: 0; }
            figcaption { font-size: 13px; color: #3e4c59; margin: 2px 0 0 64px; }
            .chart { max-width: 100%; height: auto; }
            .chart .grid { stroke: #e4e7eb; stroke-width: 1; }
            .chart .axis { stroke: #616e7c; stroke-width: 1; }
            .chart .tick { font-size: 11px; fill: #3e4c59; }
            .chart .label { font-size: 12px; fill: #1f2933; }
            .chart rect:hover { opacity: .8; }
            .stats { min-width: 300px; font-size: 13px; }
            .stats th { font-weight: 400; color: #3e4c59; }
            .stats tr.score th, .stats tr.score td { font-weight: 700; color: #1f2933; background: #fff8e6; }
            .stats tr.sep th, .stats tr.sep td { border-top: 2px solid #cbd2d9; }
            .foot { color: #616e7c; font-size: 12px; margin-top: 24px; }
            """;
}
