package io.fathom.app;

import io.fathom.app.report.FeatureValues;
import io.fathom.kafka.KafkaSettings;
import io.fathom.monitor.BaselinePublisher;
import io.fathom.monitor.MonitorTopics;
import io.fathom.monitor.drift.Baseline;
import io.fathom.offline.OfflineException;
import io.fathom.offline.PointInTimeJoin;
import io.fathom.offline.TrainingSetFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fathom baseline create}: a drift baseline from a training set's feature columns. */
@Command(
        name = "baseline",
        description = "Drift baselines.",
        subcommands = {BaselineCommand.Create.class})
public final class BaselineCommand {
    private BaselineCommand() {}

    @Command(
            name = "create",
            description = "Build a baseline from a training set (CSV or Parquet, columns <view>__<feature>).")
    static final class Create implements Callable<Integer> {
        @Mixin
        Console console;

        @Option(names = "--training-set", required = true, description = "The training set (.csv or .parquet).")
        Path trainingSet;

        @Option(names = "--out", required = true, description = "Where to write the baseline JSON.")
        Path out;

        @Option(names = "--view", description = "The view (needed when the file holds several views' features).")
        String view;

        @Option(names = "--publish", description = "Also publish it to fathom.baselines on this Kafka (host:port).")
        String publish;

        @Override
        public Integer call() throws IOException {
            Map<String, List<Object>> columns;
            try {
                columns = TrainingSetFile.readColumns(trainingSet);
            } catch (OfflineException e) {
                return console.fail(2, e.getMessage());
            }
            TreeSet<String> views = new TreeSet<>();
            columns.keySet().stream()
                    .filter(c -> c.contains(PointInTimeJoin.COLUMN_SEPARATOR))
                    .forEach(c -> views.add(c.substring(0, c.indexOf(PointInTimeJoin.COLUMN_SEPARATOR))));
            String chosen = view != null ? view : views.size() == 1 ? views.first() : null;
            if (chosen == null || !views.contains(chosen)) {
                return console.fail(
                        2,
                        trainingSet + ": "
                                + (views.isEmpty()
                                        ? "no feature columns (<view>__<feature>)"
                                        : "choose --view among " + views));
            }
            String prefix = chosen + PointInTimeJoin.COLUMN_SEPARATOR;
            Baseline.Builder builder =
                    Baseline.builder(chosen, "training set " + trainingSet.getFileName(), Clock.systemUTC());
            columns.forEach((name, values) -> {
                if (name.startsWith(prefix)) {
                    addFeature(builder, name.substring(prefix.length()), values);
                }
            });
            Baseline baseline = builder.build();
            Files.writeString(out, baseline.toJson());
            if (publish != null) {
                try (BaselinePublisher publisher = new BaselinePublisher(
                        KafkaSettings.builder().bootstrapServers(publish).build(),
                        MonitorTopics.defaults().baselines())) {
                    publisher.publish(baseline);
                }
            }
            console.out()
                    .printf(
                            "wrote %s: baseline of view %s, %d features%s%n",
                            out,
                            chosen,
                            baseline.features().size(),
                            publish != null ? ", published to " + publish : "");
            return 0;
        }

        /** Numeric or categorical as {@link FeatureValues} decides. */
        private static void addFeature(Baseline.Builder builder, String feature, List<Object> values) {
            if (FeatureValues.numeric(values)) {
                builder.numeric(feature, FeatureValues.numbers(values));
            } else {
                builder.categorical(feature, FeatureValues.categories(values));
            }
        }
    }
}
