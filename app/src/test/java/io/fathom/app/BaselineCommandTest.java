package io.fathom.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fathom.monitor.drift.Baseline;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BaselineCommandTest {
    @TempDir
    Path dir;

    @Test
    void buildsABaselineFromATrainingSetsFeatureColumns() throws Exception {
        Path trainingSet = dir.resolve("training.csv");
        StringBuilder csv =
                new StringBuilder("user_id,event_timestamp,user_txn__amount_avg_1d,user_txn__last_country\n");
        for (int i = 0; i < 100; i++) {
            csv.append(i)
                    .append(",2026-11-27T10:00:00Z,")
                    .append(i % 10 == 0 ? "" : Double.toString(i * 1.5))
                    .append(',')
                    .append(i % 3 == 0 ? "FR" : "DE")
                    .append('\n');
        }
        Files.writeString(trainingSet, csv);
        Path out = dir.resolve("baseline.json");

        int exit = command()
                .execute("baseline", "create", "--training-set", trainingSet.toString(), "--out", out.toString());

        assertThat(exit).isZero();
        Baseline baseline = Baseline.fromJson(Files.readString(out));
        assertThat(baseline.view()).isEqualTo("user_txn");
        assertThat(baseline.features()).hasSize(2);
        assertThat(baseline.toJson())
                .contains("\"name\" : \"amount_avg_1d\"")
                .contains("\"type\" : \"numeric\"")
                .contains("\"nulls\" : 10")
                .contains("\"type\" : \"categorical\"")
                .contains("\"FR\"");
    }

    @Test
    void asksForAViewWhenTheFileHoldsSeveral() throws Exception {
        Path trainingSet = dir.resolve("training.csv");
        Files.writeString(trainingSet, "user_id,a__x,b__y\n1,1.0,2.0\n");
        StringWriter err = new StringWriter();
        CommandLine cli = command();
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute(
                "baseline",
                "create",
                "--training-set",
                trainingSet.toString(),
                "--out",
                dir.resolve("b.json").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("choose --view among [a, b]");
    }

    private static CommandLine command() {
        return new CommandLine(new FathomCli());
    }
}
