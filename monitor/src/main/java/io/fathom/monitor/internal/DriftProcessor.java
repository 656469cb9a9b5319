package io.fathom.monitor.internal;

import io.fathom.monitor.MonitorListener;
import io.fathom.monitor.alert.AlertKey;
import io.fathom.monitor.alert.AlertStateMachine;
import io.fathom.monitor.drift.Baseline;
import io.fathom.monitor.drift.DriftMethod;
import io.fathom.monitor.drift.DriftReport;
import io.fathom.monitor.drift.DriftStatistics;
import io.fathom.monitor.drift.LiveWindow;
import io.fathom.schemas.MonitorDefinition.DriftMonitor;
import io.fathom.schemas.MonitorDefinition.DriftRule;
import io.fathom.schemas.avro.DriftHistogram;
import io.fathom.schemas.avro.DriftVerdict;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tumbling drift windows per (view, feature), closed by event time.
 *
 * <p>Each snapshot adds its evaluated value of every baseline feature to the live window holding its
 * event time ({@code [k·size, (k+1)·size)}). A view's clock is the largest event time seen for it; a
 * window closes once {@code end + grace <= clock}, which makes closing deterministic (it depends on
 * the records, never on wall-clock time) and lets a snapshot up to {@code grace} late still count. At
 * close the window is judged ({@link DriftReport#compute}), reported, and its verdict steps the
 * feature's alert state machine. A window that saw no snapshot is not reported (no evidence either way,
 * like an insufficient one). Snapshots arriving after their window closed are counted as {@code late}.
 *
 * <p>Stores: the open windows ({@link OpenWindowStore}: in memory, sorted by start within a view, written to
 * their changelogged store at each commit), the clocks ({@link ViewClockStore}, likewise) and alert states
 * (fingerprint → state, written at each transition).
 */
final class DriftProcessor implements Processor<String, DriftSample, String, Output> {
    private static final Logger LOG = LoggerFactory.getLogger(DriftProcessor.class);
    /** Separates the parts of store keys (here, and in the bias processors). */
    static final char SEP = '\u0000';

    private final Map<String, DriftMonitor> monitors;
    private final Stores names;
    private final MonitorListener listener;
    private final Map<String, CachedBaseline> baselineCache = new HashMap<>();
    private final Set<String> warned = new HashSet<>();
    private final Map<String, Alerts> alertsByView = new HashMap<>();
    private ProcessorContext<String, Output> context;
    private OpenWindowStore windows;
    private ViewClockStore clocks;
    private KeyValueStore<String, byte[]> baselines;

    record Stores(String windows, String clocks, String alerts, String baselines) {}

    /** A parsed baseline, and the stored bytes it was parsed from (the same array while it is unchanged). */
    private record CachedBaseline(byte[] json, Baseline baseline, long id) {}

    DriftProcessor(Map<String, DriftMonitor> monitors, Stores names, MonitorListener listener) {
        this.monitors = Map.copyOf(monitors);
        this.names = names;
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<String, Output> context) {
        this.context = context;
        this.windows = context.getStateStore(names.windows());
        this.clocks = context.getStateStore(names.clocks());
        this.baselines = context.getStateStore(names.baselines());
        KeyValueStore<String, byte[]> alertStates = context.getStateStore(names.alerts());
        monitors.forEach(
                (view, monitor) -> alertsByView.put(view, new Alerts(alertStates, AlertStateMachine.of(monitor))));
    }

    @Override
    public void process(Record<String, DriftSample> record) {
        DriftSample sample = record.value();
        String view = record.key();
        DriftMonitor monitor = monitors.get(view);
        if (monitor == null || sample == null) {
            return; // the decoder only forwards snapshots of monitored views
        }
        long eventTs = sample.eventTs();
        long clock = clocks.advance(view, eventTs);
        long size = monitor.window().toMillis();
        long start = eventTs - Math.floorMod(eventTs, size);
        CachedBaseline baseline = baseline(view);
        if (baseline == null) {
            skip("no_baseline", view, "no baseline for view " + view + " yet: its snapshots are not monitored");
        } else if (start + size + monitor.grace().toMillis() <= clock) {
            listener.onSkipped("late", view);
        } else {
            add(view, start, baseline, sample.values().toMap());
        }
        close(view, monitor, clock, baseline);
    }

    private void add(String view, long start, CachedBaseline baseline, Map<String, Object> values) {
        OpenWindowStore.WindowSet set = windows.open(view, start);
        for (Baseline.Feature feature : baseline.baseline().features().values()) {
            OpenWindowStore.Slot slot = set.slot(feature.name());
            LiveWindow window;
            if (slot != null && slot.baselineId == baseline.id()) {
                window = slot.window(feature);
            } else {
                if (slot != null) {
                    skip(
                            "baseline_changed",
                            view + "/" + feature.name(),
                            "the baseline of " + view
                                    + " changed while a window was open: the window restarts under the new baseline");
                }
                window = LiveWindow.of(feature);
                set.put(feature.name(), baseline.id(), window);
            }
            try {
                window.add(values.get(feature.name()));
            } catch (IllegalArgumentException e) {
                // a value of the wrong type for the baseline's kind: counted as a null, and said once
                skip("wrong_type", view + "/" + feature.name(), e.getMessage());
                window.addNull();
            }
        }
        windows.changed(set);
    }

    /** Judges, reports and removes every window of the view that closed by {@code clock}. */
    private void close(String view, DriftMonitor monitor, long clock, CachedBaseline baseline) {
        long size = monitor.window().toMillis();
        long grace = monitor.grace().toMillis();
        NavigableMap<Long, OpenWindowStore.WindowSet> open = windows.windows(view);
        for (Map.Entry<Long, OpenWindowStore.WindowSet> first = open.firstEntry();
                first != null && first.getKey() + size + grace <= clock;
                first = open.firstEntry()) {
            OpenWindowStore.WindowSet set = first.getValue();
            windows.remove(set);
            for (String feature : set.features()) {
                close(view, monitor, set.start, size, feature, set.slot(feature), baseline);
            }
        }
    }

    private void close(
            String view,
            DriftMonitor monitor,
            long start,
            long size,
            String feature,
            OpenWindowStore.Slot slot,
            CachedBaseline baseline) {
        if (baseline == null || slot.baselineId != baseline.id()) {
            skip(
                    "baseline_changed",
                    view + "/" + feature,
                    "a closing window of " + view + " was binned by a replaced baseline: not reported");
            return;
        }
        Baseline.Feature reference = baseline.baseline().feature(feature).orElse(null);
        if (reference == null) {
            return;
        }
        DriftRule rule = monitor.ruleFor(feature);
        DriftMethod method = DriftMethod.of(rule.method());
        if (!method.appliesTo(reference)) {
            skip(
                    "method_not_applicable",
                    view + "/" + feature,
                    "drift method " + rule.method() + " needs a numeric feature, but " + feature
                            + " is categorical in the baseline");
            return;
        }
        LiveWindow window = slot.window(reference);
        DriftReport report = DriftReport.compute(reference, window, rule, monitor.minSamples());
        emit(view, start, start + size, report, histogram(reference, window));
    }

    private void emit(String view, long start, long end, DriftReport report, DriftHistogram histogram) {
        io.fathom.schemas.avro.DriftReport avro = toAvro(view, start, end, report, histogram);
        listener.onDriftReport(avro);
        context.forward(new Record<>(view + "/" + report.feature(), new Output.Drift(avro), end));
        AlertKey key = AlertKey.drift(view, report.feature(), report.method());
        alertsByView.get(view).step(key, report.verdict(), report.score(), end).ifPresent(alert -> {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("alertname", "FeatureDrift");
            labels.put("kind", "drift");
            labels.put("view", view);
            labels.put("feature", report.feature());
            labels.put("method", report.method().code());
            String summary = "Feature " + view + "/" + report.feature() + " drifted ("
                    + report.method().code() + ")";
            String description = String.format(
                    "%s %s of %s/%s is %.4g against threshold %.4g in the window ending %s",
                    alert.status().code(),
                    report.method().code(),
                    view,
                    report.feature(),
                    alert.value(),
                    report.threshold(),
                    java.time.Instant.ofEpochMilli(end));
            var event = Alerts.event(alert, report.threshold(), labels, summary, description);
            listener.onAlert(event);
            context.forward(new Record<>(alert.fingerprint(), new Output.Alert(event), end));
        });
    }

    static io.fathom.schemas.avro.DriftReport toAvro(
            String view, long start, long end, DriftReport report, DriftHistogram histogram) {
        var builder = io.fathom.schemas.avro.DriftReport.newBuilder()
                .setView(view)
                .setFeature(report.feature())
                .setMethod(report.method().code())
                .setWindowStart(start)
                .setWindowEnd(end)
                .setN(report.n())
                .setNulls(report.nulls())
                .setVerdict(DriftVerdict.valueOf(report.verdict().name()))
                .setScore(orNull(report.score()))
                .setThreshold(report.threshold())
                .setHistogram(histogram);
        report.statistics().ifPresent((DriftStatistics s) -> builder.setPsi(orNull(s.psi()))
                .setKl(orNull(s.kl()))
                .setJs(orNull(s.js()))
                .setWasserstein(orNull(s.wassersteinNorm()))
                .setKsD(orNull(s.ksStatistic()))
                .setKsP(orNull(s.ksPValue()))
                .setChi2(orNull(s.chi2Statistic()))
                .setChi2P(orNull(s.chi2PValue())));
        return builder.build();
    }

    /** Both sides on the baseline's frozen bins (or top categories, then {@link Baseline#OTHER}). */
    static DriftHistogram histogram(Baseline.Feature reference, LiveWindow window) {
        List<Double> edges = new ArrayList<>();
        List<String> categories = new ArrayList<>();
        if (reference instanceof Baseline.Numeric numeric) {
            for (double edge : numeric.edges().innerEdges()) {
                edges.add(edge);
            }
        } else {
            categories.addAll(((Baseline.Categorical) reference).categories().keySet());
            categories.add(Baseline.OTHER);
        }
        return DriftHistogram.newBuilder()
                .setNumeric(reference instanceof Baseline.Numeric)
                .setInnerEdges(edges)
                .setCategories(categories)
                .setReferenceCounts(boxed(reference.binCounts()))
                .setCurrentCounts(boxed(window.binCounts()))
                .build();
    }

    private static List<Long> boxed(long[] counts) {
        List<Long> list = new ArrayList<>(counts.length);
        for (long count : counts) {
            list.add(count);
        }
        return list;
    }

    private static Double orNull(double value) {
        return Double.isNaN(value) ? null : value;
    }

    private CachedBaseline baseline(String view) {
        byte[] json = baselines.get(view);
        if (json == null) {
            baselineCache.remove(view);
            return null;
        }
        CachedBaseline cached = baselineCache.get(view);
        // The global store hands back the array it holds, so an unchanged baseline is the same array: no
        // per-snapshot decoding or comparison of its JSON (tens of kilobytes with its sketches).
        if (cached == null || (cached.json() != json && !Arrays.equals(cached.json(), json))) {
            String text = new String(json, StandardCharsets.UTF_8);
            Baseline baseline = Baseline.fromJson(text); // validated by the global store's updater
            long id = baseline.created().getEpochSecond() * 1_000_000_000L
                    + baseline.created().getNano()
                    + 31L * text.hashCode();
            cached = new CachedBaseline(json, baseline, id);
            baselineCache.put(view, cached);
        } else if (cached.json() != json) {
            cached = new CachedBaseline(json, cached.baseline(), cached.id());
            baselineCache.put(view, cached);
        }
        return cached;
    }

    private void skip(String reason, String scope, String message) {
        listener.onSkipped(reason, scope);
        if (warned.add(reason + "|" + scope)) {
            LOG.warn("{} (logged once)", message);
        }
    }
}
