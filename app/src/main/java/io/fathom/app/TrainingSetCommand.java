package io.fathom.app;

import io.fathom.offline.JoinOptions;
import io.fathom.offline.OfflineException;
import io.fathom.offline.PointInTimeJoin;
import io.fathom.offline.TrainingSetRequest;
import io.fathom.offline.TrainingSetResult;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.InvalidDefinitionsException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fathom training-set}: the point-in-time join of entity rows (CSV or Parquet: key columns and
 * {@code event_timestamp}) with the offline store, written as Parquet or CSV by the output's extension: in
 * event time from the event history (every event at or before each row's time, whatever order it
 * arrived in), or with {@code --as-known-at} from the snapshot log (what the online store could have
 * served). Defaults read the data of {@code fathom demo}.
 */
@Command(name = "training-set", description = "Build a point-in-time correct training set from the offline store.")
public final class TrainingSetCommand implements Callable<Integer> {
    @Mixin
    Console console;

    @Option(
            names = "--entities",
            required = true,
            description = "Entity rows: CSV or Parquet with the key columns and event_timestamp.")
    Path entities;

    @Option(
            names = "--features",
            required = true,
            split = ",",
            description = "view:feature,... (view:* for all of a view).")
    List<String> features;

    @Option(names = "--out", required = true, description = "Output file: .parquet or .csv.")
    Path out;

    @Option(
            names = "--as-known-at",
            description = "From the snapshot log, only snapshots created by each row's time (what the online store"
                    + " could have served), instead of every event at or before it from the event history.")
    boolean asKnownAt;

    @Mixin
    OfflineStoreOptions store;

    @Override
    public Integer call() {
        if (!Files.isReadable(entities)) {
            return console.fail(2, "--entities: cannot read " + entities);
        }
        try {
            FeatureDefinitions parsed = store.parseDefinitions();
            try (PointInTimeJoin join = new PointInTimeJoin(
                            parsed, store.storeConfig(), JoinOptions.builder().build());
                    TerminalProgress progress = TerminalProgress.onConsole()) {
                TrainingSetResult result = join.write(
                        TrainingSetRequest.of(entities, features, this.out).withAsKnownAt(asKnownAt), progress);
                progress.close();
                String read = asKnownAt ? "snapshot" : "event";
                PrintWriter out = console.out();
                out.printf(
                        "wrote %s: %,d rows, %d columns, from %d %s files (%,d %ss used%s) in %.1f s%n",
                        result.output(),
                        result.rows(),
                        result.columns().size(),
                        result.snapshotFilesRead(),
                        read,
                        result.snapshotsUsed(),
                        read,
                        result.eventsSkipped() > 0
                                ? String.format(
                                        ", %,d events skipped: no key, bad time or type", result.eventsSkipped())
                                : "",
                        result.elapsed().toMillis() / 1000.0);
                out.flush();
                return 0;
            }
        } catch (InvalidDefinitionsException e) {
            return console.fail(2, e.problems());
        } catch (OfflineException | IllegalArgumentException e) {
            return console.fail(1, e.getMessage());
        }
    }
}
