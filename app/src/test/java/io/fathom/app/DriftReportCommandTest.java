package io.fathom.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DriftReportCommandTest {
    private static final int ROWS = 20_000;
    private static final String[] COUNTRIES = {"US", "DE", "FR", "GB"};

    @TempDir
    Path dir;

    private Path reference;
    private Path current;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /**
     * Reference and current: {@code stable} is N(50, 10) on both sides (fixed seeds); {@code amount}
     * moves from N(100, 15) to N(115, 15); {@code country} keeps its frequencies. The key and timestamp
     * columns are not features.
     */
    @BeforeEach
    void writeFiles() throws Exception {
        reference = dir.resolve("reference.csv");
        current = dir.resolve("current.csv");
        Files.writeString(reference, csv(new Random(1), 100));
        Files.writeString(current, csv(new Random(2), 115));
    }

    private static String csv(Random random, double amountMean) {
        StringBuilder csv = new StringBuilder("user_id,event_timestamp,stable,amount,country\n");
        for (int i = 0; i < ROWS; i++) {
            csv.append(i)
                    .append(",2026-11-27T10:00:00Z,")
                    .append(i % 100 == 0 ? "" : Double.toString(50 + 10 * random.nextGaussian()))
                    .append(',')
                    .append(amountMean + 15 * random.nextGaussian())
                    .append(',')
                    .append(COUNTRIES[random.nextInt(COUNTRIES.length)])
                    .append('\n');
        }
        return csv.toString();
    }

    @Test
    void jsonJudgesTheSameDistributionOkAndTheShiftedOneDriftWithThePsiOfItsBins() throws Exception {
        Path json = dir.resolve("report.json");

        int exit = run("--reference", reference.toString(), "--current", current.toString(), "--out", json.toString());

        assertThat(exit).as(err.toString()).isEqualTo(1);
        assertThat(out.toString()).contains("1 drifted: amount");
        JsonNode report = new ObjectMapper().readTree(Files.readString(json));
        assertThat(report.get("method").asText()).isEqualTo("psi");
        assertThat(report.get("threshold").asDouble()).isEqualTo(0.2);
        assertThat(report.get("features"))
                .extracting(f -> f.get("name").asText())
                .containsExactly("stable", "amount", "country");
        JsonNode stable = feature(report, "stable");
        JsonNode amount = feature(report, "amount");
        JsonNode country = feature(report, "country");
        assertThat(stable.get("verdict").asText()).isEqualTo("OK");
        assertThat(amount.get("verdict").asText()).isEqualTo("DRIFT");
        assertThat(country.get("verdict").asText()).isEqualTo("OK");
        assertThat(stable.get("type").asText()).isEqualTo("numeric");
        assertThat(country.get("type").asText()).isEqualTo("categorical");
        assertThat(stable.get("reference").get("nulls").asLong()).isEqualTo(ROWS / 100);
        assertThat(stable.get("current").get("n").asLong()).isEqualTo(ROWS - ROWS / 100);
        assertThat(stable.get("histogram").get("inner_edges")).hasSize(9);
        assertThat(country.get("histogram").get("categories"))
                .extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("US", "DE", "FR", "GB", "__other__");
        for (JsonNode feature : report.get("features")) {
            double score = feature.get("score").asDouble();
            assertThat(score)
                    .as(feature.get("name").asText())
                    .isEqualTo(feature.get("statistics").get("psi").asDouble());
            assertThat(score).as(feature.get("name").asText()).isCloseTo(psi(feature.get("histogram")), within(1e-9));
            assertThat(feature.get("statistics").get("chi2_p_value").isNumber()).isTrue();
        }
        assertThat(amount.get("score").asDouble()).isGreaterThan(0.5);
        assertThat(stable.get("score").asDouble()).isLessThan(0.01);
        assertThat(amount.get("statistics").get("ks_statistic").asDouble()).isGreaterThan(0.3);
        assertThat(country.get("statistics").get("ks_statistic").isNull()).isTrue();
        assertThat(report.get("drifted")).extracting(JsonNode::asText).containsExactly("amount");
    }

    /** PSI from the bin counts alone: add 0.5 to each bin, normalise, sum (c − r)·ln(c / r). */
    private static double psi(JsonNode histogram) {
        JsonNode reference = histogram.get("reference_counts");
        JsonNode current = histogram.get("current_counts");
        assertThat(current).hasSameSizeAs(reference);
        int k = reference.size();
        double referenceTotal = 0;
        double currentTotal = 0;
        for (int i = 0; i < k; i++) {
            referenceTotal += reference.get(i).asLong() + 0.5;
            currentTotal += current.get(i).asLong() + 0.5;
        }
        double psi = 0;
        for (int i = 0; i < k; i++) {
            double r = (reference.get(i).asLong() + 0.5) / referenceTotal;
            double c = (current.get(i).asLong() + 0.5) / currentTotal;
            psi += (c - r) * Math.log(c / r);
        }
        return psi;
    }

    @Test
    void aChosenFeatureAndMethodDecideTheVerdictAndTheExitCode() throws Exception {
        Path json = dir.resolve("stable.json");

        int exit = run(
                "--reference",
                reference.toString(),
                "--current",
                current.toString(),
                "--features",
                "stable",
                "--method",
                "ks",
                "--threshold",
                "0.05",
                "--out",
                json.toString());

        assertThat(exit).as(err.toString()).isZero();
        JsonNode report = new ObjectMapper().readTree(Files.readString(json));
        assertThat(report.get("features")).hasSize(1);
        JsonNode stable = feature(report, "stable");
        assertThat(stable.get("method").asText()).isEqualTo("ks");
        assertThat(stable.get("verdict").asText()).isEqualTo("OK");
        assertThat(stable.get("score").asDouble())
                .isEqualTo(stable.get("statistics").get("ks_statistic").asDouble())
                .isLessThan(0.05);
    }

    @Test
    void htmlIsOneSelfContainedPageWithAChartPerFeature() throws Exception {
        Path html = dir.resolve("report.html");

        int exit = run("--reference", reference.toString(), "--current", current.toString(), "--out", html.toString());

        assertThat(exit).isEqualTo(1);
        String page = Files.readString(html);
        assertThat(count(page, "<svg")).isEqualTo(3);
        assertThat(page).doesNotContain("http://").doesNotContain("https://");
        assertThat(page).doesNotContain("<script").doesNotContain("<link").doesNotContain("@import");
        assertThat(page).contains("<span class=\"verdict DRIFT\">DRIFT</span>");
        assertThat(page).contains("share of non-null values");
    }

    @Test
    void htmlEscapesTheNamesAndValuesItShows() throws Exception {
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        Files.writeString(a, "<b>name</b>\n<script>x</script>\n\"\"\"q\"\"&'\"\n");
        Files.writeString(b, "<b>name</b>\n<script>x</script>\nother\n");
        Path html = dir.resolve("escaped.html");

        int exit = run("--reference", a.toString(), "--current", b.toString(), "--out", html.toString());

        assertThat(exit).as(err.toString()).isIn(0, 1);
        String page = Files.readString(html);
        assertThat(page).doesNotContain("<script>").doesNotContain("<b>name");
        assertThat(page)
                .contains("&lt;b&gt;name&lt;/b&gt;")
                .contains("&lt;script&gt;x&lt;/script&gt;")
                .contains("&quot;q&quot;&amp;&#39;");
    }

    @Test
    void badInputExitsTwoNamingWhatWasWrong() throws Exception {
        Path json = dir.resolve("r.json");
        Path missing = dir.resolve("missing.csv");
        assertThat(refused(
                        "--reference", missing.toString(),
                        "--current", current.toString(),
                        "--out", json.toString()))
                .contains("--reference " + missing + ": no such file");

        assertThat(refused(
                        "--reference", reference.toString(),
                        "--current", current.toString(),
                        "--features", "amount,nope",
                        "--out", json.toString()))
                .contains("unknown --features nope (not a column of " + reference + " nor " + current);

        Path keysOnly = dir.resolve("keys.csv");
        Files.writeString(keysOnly, "user_id,event_timestamp,other\n1,2026-11-27T10:00:00Z,3\n");
        assertThat(refused(
                        "--reference", reference.toString(),
                        "--current", keysOnly.toString(),
                        "--out", json.toString()))
                .contains("no feature columns common to " + reference);

        Map.of(
                        "ks", "--method ks needs numeric features, but country is categorical",
                        "psx", "--method must be one of")
                .forEach((method, message) -> assertThat(refused(
                                "--reference", reference.toString(),
                                "--current", current.toString(),
                                "--method", method,
                                "--out", json.toString()))
                        .contains(message));

        assertThat(refused("--reference", reference.toString(), "--current", current.toString(), "--out", "r.txt"))
                .contains("--out r.txt: expected a .html or .json file");
        assertThat(json).doesNotExist();
    }

    /** Runs the command on bad input, which must exit with 2; returns what it has printed on stderr so far. */
    private String refused(String... args) {
        assertThat(run(args)).isEqualTo(2);
        return err.toString();
    }

    private int run(String... args) {
        CommandLine cli = new CommandLine(new FathomCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] full = new String[args.length + 2];
        full[0] = "drift";
        full[1] = "report";
        System.arraycopy(args, 0, full, 2, args.length);
        return cli.execute(full);
    }

    private static JsonNode feature(JsonNode report, String name) {
        for (JsonNode feature : report.get("features")) {
            if (feature.get("name").asText().equals(name)) {
                return feature;
            }
        }
        throw new AssertionError("no feature " + name + " in " + report);
    }

    private static int count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
