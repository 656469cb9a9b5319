package io.fathom.app.report;

import static io.fathom.app.report.Html.escape;
import static io.fathom.app.report.Numbers.number;
import static io.fathom.app.report.Numbers.percent;

import io.fathom.app.report.DriftComparison.FeatureDrift;
import io.fathom.monitor.drift.Baseline;
import io.fathom.monitor.drift.DriftMethod;
import io.fathom.monitor.drift.DriftReport;
import io.fathom.monitor.drift.DriftStatistics;
import io.fathom.monitor.drift.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTML form of a {@link DriftComparison}: one self-contained page (inline CSS and SVG, nothing
 * fetched) with a summary table and, per feature, the reference and current histograms side by side on
 * the reference's frozen bins or categories, as shares of each side's non-null values, beside every
 * statistic and the verdict. Every text taken from the input is escaped.
 */
public final class DriftReportHtml {
    private DriftReportHtml() {}

    public static String render(DriftComparison comparison) {
        StringBuilder html = new StringBuilder(16_384);
        List<String> drifted = comparison.drifted();
        String method = comparison.rule().method();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Drift report: ")
                .append(escape(comparison.current()))
                .append(" vs ")
                .append(escape(comparison.reference()))
                .append("</title>\n<style>\n")
                .append(CSS)
                .append("</style>\n</head>\n<body>\n<main>\n<h1>Drift report</h1>\n");
        html.append("<p class=\"meta\"><span class=\"swatch\" style=\"background:")
                .append(SvgHistogram.REFERENCE_COLOUR)
                .append("\"></span>reference <code>")
                .append(escape(comparison.reference()))
                .append("</code> &nbsp; <span class=\"swatch\" style=\"background:")
                .append(SvgHistogram.CURRENT_COLOUR)
                .append("\"></span>current <code>")
                .append(escape(comparison.current()))
                .append("</code></p>\n<p class=\"meta\">Judged by <b>")
                .append(escape(method))
                .append("</b>: drift when ")
                .append(escape(breachRule(comparison)))
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
                    .append(escape(feature.name()))
                    .append("</a></td><td>")
                    .append(feature.numeric() ? "numeric" : "categorical")
                    .append("</td><td>")
                    .append(escape(report.method().code()))
                    .append("</td><td class=\"num\">")
                    .append(escape(number(report.score())))
                    .append("</td><td class=\"num\">")
                    .append(escape(number(report.threshold())))
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
                .append(escape(feature.name()))
                .append(" <span class=\"type\">")
                .append(feature.numeric() ? "numeric" : "categorical")
                .append("</span> ")
                .append(verdict(report.verdict()))
                .append("</h2>\n<div class=\"row\">\n");
        chart(html, feature);
        statistics(html, feature);
        html.append("</div>\n</section>\n");
    }

    /** The chart {@link SvgHistogram} draws (the page's drift section draws the same), with its legend. */
    private static void chart(StringBuilder html, FeatureDrift feature) {
        html.append("<figure>\n")
                .append(SvgHistogram.render(histogram(feature)))
                .append("<figcaption><span class=\"swatch\" style=\"background:")
                .append(SvgHistogram.REFERENCE_COLOUR)
                .append("\"></span>reference (n = ")
                .append(feature.reference().count())
                .append(") &nbsp; <span class=\"swatch\" style=\"background:")
                .append(SvgHistogram.CURRENT_COLOUR)
                .append("\"></span>current (n = ")
                .append(feature.report().n())
                .append(")</figcaption>\n</figure>\n");
    }

    /** Both sides on the reference's frozen bins, or its top categories and then the others. */
    public static Histogram histogram(FeatureDrift feature) {
        long[] reference = feature.reference().binCounts();
        long[] current = feature.current().binCounts();
        if (feature.reference() instanceof Baseline.Numeric numeric) {
            return Histogram.numeric(feature.name(), numeric.edges().innerEdges(), reference, current);
        }
        List<String> categories = new ArrayList<>(
                ((Baseline.Categorical) feature.reference()).categories().keySet());
        categories.add(Baseline.OTHER);
        return Histogram.categorical(feature.name(), categories, reference, current);
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
                .append(escape((method.higherIsWorse() ? "> " : "< ") + number(report.threshold())))
                .append("</td></tr>\n");
        html.append("<tr><th>nulls reference</th><td class=\"num\">")
                .append(feature.reference().nulls())
                .append(" (")
                .append(escape(percent(feature.reference().nullRate())))
                .append(")</td></tr>\n<tr><th>nulls current</th><td class=\"num\">")
                .append(report.nulls())
                .append(" (")
                .append(escape(percent(report.nullRate())))
                .append(")</td></tr>\n");
        if (feature.reference() instanceof Baseline.Numeric numeric) {
            html.append("<tr><th>reference mean ± σ</th><td class=\"num\">")
                    .append(escape(number(numeric.mean()) + " ± " + number(numeric.populationStd())))
                    .append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n");
    }

    private static void row(StringBuilder html, String name, double value, boolean score) {
        html.append(score ? "<tr class=\"score\">" : "<tr>")
                .append("<th>")
                .append(escape(name))
                .append(score ? " (score)" : "")
                .append("</th><td class=\"num\">")
                .append(escape(number(value)))
                .append("</td></tr>\n");
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
            .chart rect:hover { opacity: .8; }
            .stats { min-width: 300px; font-size: 13px; }
            .stats th { font-weight: 400; color: #3e4c59; }
            .stats tr.score th, .stats tr.score td { font-weight: 700; color: #1f2933; background: #fff8e6; }
            .stats tr.sep th, .stats tr.sep td { border-top: 2px solid #cbd2d9; }
            .foot { color: #616e7c; font-size: 12px; margin-top: 24px; }
            """;
}
