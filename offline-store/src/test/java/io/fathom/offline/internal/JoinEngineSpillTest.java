package io.fathom.offline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fathom.core.TileAggregator;
import io.fathom.core.ViewPlan;
import io.fathom.offline.EntityRow;
import io.fathom.offline.JoinOptions;
import io.fathom.offline.OfflineStoreConfig;
import io.fathom.offline.TrainingRow;
import io.fathom.schemas.AvroCodec;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.FeatureValues;
import io.fathom.schemas.SlicedSnapshot;
import io.fathom.schemas.ViewDefinition;
import io.fathom.schemas.avro.EntityState;
import io.fathom.testkit.Definitions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The join gives the same rows whether its sorts fit in memory or spill to disk, with any bucket count. */
class JoinEngineSpillTest {
    private static final long T0 = 1_790_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void spillingChangesNothing() throws IOException {
        FeatureDefinitions definitions = Definitions.builder()
                .entity("user", "user_id")
                .jsonSource("events", "events", "ts")
                .view(Definitions.view("v")
                        .source("events")
                        .ttl(Duration.ofHours(1))
                        .allowedLateness(Duration.ZERO)
                        .count("n_10m", Duration.ofMinutes(10))
                        .last("last_x", "x"))
                .build();
        ViewDefinition view = definitions.views().get(0);
        writeSnapshots(definitions, view);
        List<EntityRow> rows = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 5_000; i++) {
            rows.add(new EntityRow(Map.of("user_id", (long) random.nextInt(220)), T0 + random.nextInt(20_000_000)));
        }

        Run roomy = run(definitions, view, rows, new JoinOptions(2, 4, 1L << 30, dir.resolve("spill")));
        Run tight = run(definitions, view, rows, new JoinOptions(2, 3, 1, dir.resolve("spill")));
        Run single = run(definitions, view, rows, new JoinOptions(1, 1, 1, dir.resolve("spill")));

        assertThat(roomy.stats().spilledBytes()).isZero();
        assertThat(tight.stats().spilledBytes()).isPositive();
        assertThat(single.stats().spilledBytes()).isPositive();
        assertThat(tight.rows()).isEqualTo(roomy.rows());
        assertThat(single.rows()).isEqualTo(roomy.rows());
        assertThat(roomy.rows())
                .filteredOn(r -> r.features().get("v__n_10m") != null)
                .hasSizeGreaterThan(1_000);
        assertThat(dir.resolve("spill")).isEmptyDirectory();
    }

    private record Run(JoinEngine.Stats stats, List<TrainingRow> rows) {}

    private Run run(FeatureDefinitions definitions, ViewDefinition view, List<EntityRow> rows, JoinOptions options) {
        ExecutorService pool = Executors.newFixedThreadPool(options.threads());
        try (HadoopFileStore store = HadoopFileStore.open(
                OfflineStoreConfig.builder(dir.resolve("store")).build())) {
            JoinEngine.ViewRequest request = JoinEngine.ViewRequest.of(
                    view, List.of("user_id"), List.of("n_10m", "last_x"), List.of(ColumnType.LONG, ColumnType.STRING));
            ListSink sink = new ListSink(rows, List.of("v__n_10m", "v__last_x"), List.of("v"));
            JoinEngine.Stats stats = new JoinEngine(store, pool, options)
                    .runAsKnownAt(
                            new JoinEngine.Request(
                                    List.of(request), new ListRowSource(rows, List.of("user_id"), "ts"), "ts"),
                            sink,
                            new JoinProgress((stage, done, total) -> {}));
            return new Run(stats, sink.rows());
        } finally {
            pool.shutdownNow();
        }
    }

    private void writeSnapshots(FeatureDefinitions definitions, ViewDefinition view) throws IOException {
        TileAggregator aggregator = new TileAggregator(ViewPlan.of(view));
        AvroCodec<EntityState> codec = AvroCodec.of(EntityState.getClassSchema());
        SnapshotSchema schema = SnapshotSchema.of("v", FeatureColumns.of(definitions, view));
        Map<String, EntityState> states = new HashMap<>();
        Random random = new Random(2);
        try (HadoopFileStore store = HadoopFileStore.open(
                OfflineStoreConfig.builder(dir.resolve("store")).build())) {
            SnapshotFile file = null;
            for (long offset = 0; offset < 6_000; offset++) {
                long ts = T0 + offset * 3_000;
                String key = Long.toString(random.nextInt(200));
                EntityState state = states.computeIfAbsent(key, k -> aggregator.newState());
                aggregator.add(state, ts, Map.of("x", "s" + offset));
                LocalDate date = Layout.date(ts);
                if (file != null && (!file.date().equals(date) || file.rows() == 1_000)) {
                    file.commit();
                    file = null;
                }
                if (file == null) {
                    file = SnapshotFile.open(
                            store,
                            OfflineStoreConfig.FileCommit.RENAME,
                            dir,
                            schema.schema(),
                            1 << 16,
                            "v",
                            "",
                            "fathom.snapshots.v",
                            0,
                            offset,
                            date,
                            0);
                }
                file.write(
                        schema.row(
                                new SlicedSnapshot(
                                        "v",
                                        key,
                                        ts,
                                        ts + 5,
                                        ByteBuffer.wrap(codec.encode(state)),
                                        FeatureValues.of(aggregator.evaluate(state, ts))),
                                0,
                                offset),
                        offset);
            }
            file.commit();
        }
    }
}
