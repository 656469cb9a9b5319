package io.fathom.monitor;

import static io.fathom.monitor.MonitorFixtures.T0;
import static io.fathom.monitor.MonitorFixtures.WINDOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.core.WatermarkTracker;
import io.fathom.schemas.Aggregation;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.avro.DriftReport;
import io.fathom.schemas.avro.FeatureSnapshot;
import io.fathom.testkit.Definitions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every test of {@link MonitorTopologyTest} on the topology built for a snapshot topic of one partition, which
 * is read by the drift windows' task directly, without the repartition by view; and the shape of that topology.
 */
class DirectMonitorTopologyTest extends MonitorTopologyTest {
    private static final String REPARTITION = "drift-samples-by-view-repartition";

    @TempDir
    Path mixedStateDir;

    @Override
    Map<String, Integer> snapshotPartitions() {
        return Map.of(MonitorFixtures.VIEW, 1);
    }

    @Test
    void onlyViewsOnSeveralPartitionsGoThroughTheRepartitionTopic() {
        FeatureDefinitions definitions = MonitorFixtures.definitions(MonitorFixtures.driftMonitor());
        MonitorTopics topics = MonitorTopics.defaults();
        String direct = build(definitions, topics, Map.of(MonitorFixtures.VIEW, 1))
                .describe()
                .toString();
        String unknown = build(definitions, topics, Map.of()).describe().toString();
        String several = build(definitions, topics, Map.of(MonitorFixtures.VIEW, 4))
                .describe()
                .toString();
        assertThat(direct).doesNotContain(REPARTITION).contains("drift-windows");
        assertThat(unknown).contains(REPARTITION);
        assertThat(several).contains(REPARTITION);
    }

    @Test
    void aPartitionCountBelowOneIsRefused() {
        assertThatThrownBy(() -> build(
                        MonitorFixtures.definitions(MonitorFixtures.driftMonitor()),
                        MonitorTopics.defaults(),
                        Map.of(MonitorFixtures.VIEW, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(MonitorFixtures.VIEW)
                .hasMessageContaining("was 0");
    }

    /** A view read directly and one re-keyed, side by side: each view's windows count its own snapshots. */
    @Test
    void aDirectViewAndARekeyedViewAreMonitoredSideBySide() {
        FeatureDefinitions definitions = Definitions.builder()
                .entity("user", "user_id")
                .jsonSource("transactions", "transactions", "ts")
                .view(Definitions.view("direct_view").feature("amount", Aggregation.SUM, "amount", WINDOW))
                .view(Definitions.view("rekeyed_view").feature("amount", Aggregation.SUM, "amount", WINDOW))
                .monitors(MonitorFixtures.driftMonitor("direct_view"), MonitorFixtures.driftMonitor("rekeyed_view"))
                .build();
        Random random = new Random(13);
        try (TopologyTestDriver driver = MonitorFixtures.driver(
                "mixed-test", mixedStateDir, definitions, Map.of("direct_view", 1, "rekeyed_view", 3))) {
            TestInputTopic<String, String> baselines = driver.createInputTopic(
                    MonitorTopics.defaults().baselines(), new StringSerializer(), new StringSerializer());
            for (String view : List.of("direct_view", "rekeyed_view")) {
                baselines.pipeInput(view, MonitorFixtures.baseline(view).toJson(), T0.toEpochMilli());
            }
            Map<String, Long> counts = Map.of("direct_view", 300L, "rekeyed_view", 250L);
            for (int w = 0; w < 2; w++) {
                for (String view : List.of("direct_view", "rekeyed_view")) {
                    List<FeatureSnapshot> snapshots = new ArrayList<>(
                            MonitorFixtures.window(view, w, counts.get(view).intValue(), 0, random));
                    if (w == 1) {
                        snapshots.add(MonitorFixtures.closer(view, 2));
                    }
                    MonitorFixtures.pipeSnapshots(driver, view, snapshots);
                }
            }
            List<DriftReport> reports = MonitorFixtures.driftReports(driver).readValuesToList();
            // 2 views × 2 windows × the baseline's 3 features (amount, latency, country)
            assertThat(reports).hasSize(2 * 2 * 3).allSatisfy(r -> assertThat(r.getN())
                    .isEqualTo(counts.get(r.getView())));
        }
    }

    private static Topology build(
            FeatureDefinitions definitions, MonitorTopics topics, Map<String, Integer> snapshotPartitions) {
        return MonitorTopology.build(
                definitions,
                topics,
                MonitorListener.NONE,
                snapshotPartitions,
                WatermarkTracker.DEFAULT_IDLE_TIMEOUT,
                Clock.systemUTC());
    }
}
