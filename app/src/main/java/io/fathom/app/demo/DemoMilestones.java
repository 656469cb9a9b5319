package io.fathom.app.demo;

import io.fathom.app.node.FathomNode;
import io.fathom.kafka.KafkaSettings;
import io.fathom.monitor.BaselinePublisher;
import io.fathom.monitor.MonitorTopics;
import io.fathom.monitor.drift.Baseline;
import io.fathom.offline.EntityRow;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the demo does once it has seen enough of the example's transactions: publish a drift baseline
 * built from a point-in-time training set, and print the {@code fathom training-set} command for the
 * demo's own data.
 */
public final class DemoMilestones {
    /** The example definitions' view of users and its key: what the training-set suggestion asks for. */
    public static final String USER_VIEW = "user_txn";

    public static final String USER_KEY = "user_id";
    private static final List<String> TRAINING_FEATURES =
            List.of("txn_count_1h", "amount_sum_1h", "amount_avg_1d", "last_country");
    /** Rows older than the offline files' roll interval, so that their snapshots are in committed files. */
    private static final Duration COMMITTED = Duration.ofSeconds(30);

    private static final int MIN_BASELINE_ROWS = 1_000;
    private static final int TRAINING_ROWS = 200;

    private final PrintWriter out;
    private final DemoBaseline sampler;
    private final Clock clock;

    public DemoMilestones(PrintWriter out, DemoBaseline sampler, Clock clock) {
        this.out = out;
        this.sampler = sampler;
        this.clock = clock;
    }

    /**
     * Builds the baseline from a training set of the transactions seen so far, and publishes it.
     *
     * @return false, with nothing published, while fewer than 1,000 sampled rows are old enough
     */
    public boolean publishBaseline(FathomNode node, KafkaSettings kafka, Duration window) {
        List<EntityRow> rows = committedRows();
        if (rows.size() < MIN_BASELINE_ROWS) {
            return false;
        }
        Baseline baseline = DemoBaseline.build(node.join(), rows, clock);
        try (BaselinePublisher publisher =
                new BaselinePublisher(kafka, MonitorTopics.defaults().baselines())) {
            publisher.publish(baseline);
        }
        out.printf(
                "fathom demo: baseline of %s built from a training set of %,d rows and published; "
                        + "drift is watched in %s windows%n",
                DemoMonitoring.VIEW, rows.size(), window);
        return true;
    }

    /** Writes entity rows of real transactions and prints the command that joins them with the offline store. */
    public void suggestTrainingSet(Path dataDir, Path definitionsFile) throws IOException {
        Path entities = dataDir.resolve("entities.csv");
        StringBuilder csv = new StringBuilder(USER_KEY + ",event_timestamp\n");
        committedRows().stream().limit(TRAINING_ROWS).forEach(r -> csv.append(
                        r.keys().get(USER_KEY))
                .append(',')
                .append(Instant.ofEpochMilli(r.timestampMillis()))
                .append('\n'));
        Files.writeString(entities, csv);
        out.printf(
                "fathom demo: build a point-in-time training set from the demo's data:%n"
                        + "        ./fathom training-set --entities %s --features %s --out training-set.parquet"
                        + " --definitions %s --offline %s%n",
                entities,
                String.join(
                        ",",
                        TRAINING_FEATURES.stream().map(f -> USER_VIEW + ":" + f).toList()),
                definitionsFile,
                dataDir.resolve("offline"));
        out.flush();
    }

    private List<EntityRow> committedRows() {
        return sampler.rowsUntil(clock.instant().minus(COMMITTED).toEpochMilli());
    }
}
