package io.fathom.app.demo;

import io.fathom.schemas.Aggregation;
import io.fathom.schemas.FeatureDefinition;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.MonitorDefinition;
import io.fathom.schemas.ViewDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the demo watches for drift: a view of each user's latest transaction (amount, merchant,
 * country). Unlike windowed counts, which grow while a fresh demo warms up, these are stationary until
 * the generator drifts, so an alert means the data really changed.
 */
public final class DemoMonitoring {
    public static final String VIEW = "txn_latest";

    private DemoMonitoring() {}

    /**
     * The definitions with the demo's monitoring view and its drift monitor added, and every monitor's
     * window shortened to {@code window} so a demo shows alerts within minutes (firing after two
     * breaching windows, resolved after one clean one).
     */
    public static FeatureDefinitions addTo(FeatureDefinitions definitions, Duration window) {
        Duration grace = window.dividedBy(2).compareTo(Duration.ofSeconds(10)) < 0
                ? window.dividedBy(2)
                : Duration.ofSeconds(10);
        ViewDefinition user = definitions.view(DemoMilestones.USER_VIEW).orElseThrow();
        ViewDefinition latest = new ViewDefinition(
                VIEW,
                user.entity(),
                user.source(),
                Duration.ofMinutes(1),
                Duration.ofDays(7),
                Duration.ofMinutes(10),
                List.of(
                        last("amount_last", "amount"),
                        last("merchant_last", "merchant"),
                        last("country_last", "country")));
        List<ViewDefinition> views = new ArrayList<>(definitions.views());
        views.add(latest);
        List<MonitorDefinition> monitors = new ArrayList<>();
        monitors.add(new MonitorDefinition.DriftMonitor(
                VIEW, window, 500, new MonitorDefinition.DriftRule("psi", 0.2), Map.of(), grace, 2, 1));
        for (MonitorDefinition monitor : definitions.monitors()) {
            if (monitor instanceof MonitorDefinition.BiasMonitor bias) {
                monitors.add(new MonitorDefinition.BiasMonitor(
                        bias.model(),
                        bias.predictions(),
                        bias.labels(),
                        bias.protectedAttributes(),
                        bias.bias(),
                        window,
                        grace,
                        grace,
                        bias.minGroupSize(),
                        bias.forWindows(),
                        1));
            }
        }
        return new FeatureDefinitions(definitions.entities(), definitions.sources(), views, monitors);
    }

    private static FeatureDefinition last(String name, String field) {
        return new FeatureDefinition(name, Aggregation.LAST, Optional.of(field), Optional.empty());
    }
}
