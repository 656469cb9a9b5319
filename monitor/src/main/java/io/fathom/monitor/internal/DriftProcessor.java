package io.fathom.monitor.internal;

import io.fathom.monitor.MonitorListener;
import io.fathom.monitor.alert.AlertKey;
import io.fathom.monitor.alert.AlertStateMachine;
import io.fathom.monitor.drift.Baseline;
import io.fathom.monitor.drift.DriftMethod;
import io.fathom.monitor.drift.DriftReport;
import io.fathom.monitor.drift.DriftStatistics;
import io.fathom.monitor.drift.LiveWindow;
import io.fathom.schemas.FeatureNames;
import io.fathom.schemas.FeatureValues;
import io.fathom.schemas.MonitorDefinition.DriftMonitor;
import io.fathom.schemas.MonitorDefinition.DriftRule;
import io.fathom.schemas.avro.DriftHistogram;
import io.fathom.schemas.avro.DriftVerdict;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
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
 * event time ({@code [k·size, (k+1)·size)}). A view's clock is its watermark over the partitions of its
 * snapshot topic ({@link ViewClockStore}: the smallest, over the partitions, of the greatest event time seen from
 * each; for one partition, the greatest event time seen); a window closes once {@code end + grace <= clock},
 * which makes closing depend on the records, not on the order the partitions were read in (the wall clock only
 * tells when a silent partition stops holding the watermark back), and lets a snapshot up to {@code grace} late
 * still count. At
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
    private final PendingValues pending = new PendingValues();

    record Stores(String windows, String clocks, String alerts, String baselines) {}

    /**
     * A parsed baseline, the stored bytes it was parsed from (the same array while it is unchanged), and its
     * features in order with their positions by name.
     */
    private record CachedBaseline(
            byte[] json, Baseline baseline, long id, Baseline.Feature[] features, Map<String, Integer> positions) {
        static CachedBaseline of(byte[] json, Baseline baseline, long id) {
            Baseline.Feature[] features = baseline.features().values().toArray(new Baseline.Feature[0]);
            Map<String, Integer> positions = new HashMap<>();
            for (int i = 0; i < features.length; i++) {
                positions.put(features[i].name(), i);
            }
            return new CachedBaseline(json, baseline, id, features, positions);
        }

        CachedBaseline withJson(byte[] same) {
            return new CachedBaseline(same, baseline, id, features, positions);
        }
    }

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
        process(record.key(), DriftSample.partitionOf(record.headers()), record.value());
    }

    /**
     * Adds a sample of the view, read from {@code partition} of its snapshot topic, to its window, and closes every
     * window of the view its watermark has passed.
     */
    void process(String view, int partition, DriftSample sample) {
        DriftMonitor monitor = monitors.get(view);
        if (monitor == null || sample == null) {
            return; // the decoder only forwards snapshots of monitored views
        }
        long eventTs = sample.eventTs();
        long clock = clocks.advance(view, partition, eventTs);
        long size = monitor.window().toMillis();
        long start = eventTs - Math.floorMod(eventTs, size);
        CachedBaseline baseline = baseline(view);
        if (baseline == null) {
            skip("no_baseline", view, "no baseline for view " + view + " yet: its snapshots are not monitored");
        } else if (start + size + monitor.grace().toMillis() <= clock) {
            listener.onSkipped("late", view);
        } else {
            add(view, start, baseline, sample.values());
        }
        close(view, monitor, clock, baseline);
    }

    /**
     * Adds the snapshot's value of every baseline feature to the feature's window (a feature the snapshot lacks
     * counts as a null), decoding the values straight into the windows: no map, no boxed numbers.
     */
    private void add(String view, long start, CachedBaseline baseline, FeatureValues values) {
        OpenWindowStore.WindowSet set = windows.open(view, start);
        LiveWindow[] live = set.windows(baseline.id());
        if (live == null) {
            live = prepare(view, set, baseline);
        }
        pending.collect(baseline, values);
        for (int i = 0; i < live.length; i++) {
            LiveWindow window = live[i];
            try {
                pending.addTo(i, window);
            } catch (IllegalArgumentException e) {
                // a value of the wrong type for the baseline's kind: counted as a null, and said once
                skip("wrong_type", view + "/" + window.feature(), e.getMessage());
                window.addNull();
            }
        }
        windows.changed(set);
    }

    /**
     * The set's window of every feature of the baseline, in the baseline's order: the one it has if that baseline
     * binned it, else a new one (a window binned by a replaced baseline restarts).
     */
    private LiveWindow[] prepare(String view, OpenWindowStore.WindowSet set, CachedBaseline baseline) {
        LiveWindow[] live = new LiveWindow[baseline.features().length];
        for (int i = 0; i < live.length; i++) {
            Baseline.Feature feature = baseline.features()[i];
            OpenWindowStore.Slot slot = set.slot(feature.name());
            if (slot != null && slot.baselineId == baseline.id()) {
                live[i] = slot.window(feature);
            } else {
                if (slot != null) {
                    skip(
                            "baseline_changed",
                            view + "/" + feature.name(),
                            "the baseline of " + view
                                    + " changed while a window was open: the window restarts under the new baseline");
                }
                live[i] = LiveWindow.of(feature);
                set.put(feature.name(), baseline.id(), live[i]);
            }
        }
        set.windows(baseline.id(), live);
        return live;
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
            var event = Alerts.event(alert, report.threshold(), Map.of("summary", summary, "description", description));
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
            cached = CachedBaseline.of(json, baseline, id);
            baselineCache.put(view, cached);
        } else if (cached.json() != json) {
            cached = cached.withJson(json);
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

    /**
     * One snapshot's values of the baseline's features, by position, as {@link FeatureValues#forEach} hands them
     * over (a name given twice keeps its last value, as a map would), then added to the windows with {@link
     * LiveWindow#add(Object)}'s rules: numbers to a numeric window unboxed, anything else as that method takes it.
     */
    private static final class PendingValues implements FeatureValues.Visitor {
        private static final byte ABSENT = 0;
        private static final byte DOUBLE = 1;
        private static final byte LONG = 2;
        private static final byte OTHER = 3;

        private final FeatureNames names = new FeatureNames();
        private Map<String, Integer> positions = Map.of();
        /** The name and position of the n-th value of the last snapshot: the next one nearly always repeats them. */
        private String[] lastNames = new String[0];

        private int[] lastPositions = new int[0];
        private int ordinal;
        private byte[] kinds = new byte[0];
        private double[] doubles = new double[0];
        private long[] longs = new long[0];
        private Object[] others = new Object[0];

        void collect(CachedBaseline baseline, FeatureValues values) {
            int features = baseline.features().length;
            if (kinds.length != features) {
                kinds = new byte[features];
                doubles = new double[features];
                longs = new long[features];
                others = new Object[features];
            }
            if (positions != baseline.positions()) {
                positions = baseline.positions();
                Arrays.fill(lastNames, null);
            }
            Arrays.fill(kinds, ABSENT);
            ordinal = 0;
            values.forEach(this, names);
        }

        /** Adds the value of the feature at {@code position} (a null if the snapshot had none) to its window. */
        void addTo(int position, LiveWindow window) {
            switch (kinds[position]) {
                case DOUBLE -> {
                    if (window instanceof LiveWindow.Numeric numeric) {
                        numeric.add(doubles[position]);
                    } else {
                        window.add((Object) doubles[position]);
                    }
                }
                case LONG -> {
                    if (window instanceof LiveWindow.Numeric numeric) {
                        numeric.add((double) longs[position]);
                    } else {
                        window.add((Object) longs[position]);
                    }
                }
                case OTHER -> {
                    Object value = others[position];
                    others[position] = null;
                    window.add(value);
                }
                default -> window.add((Object) null);
            }
        }

        @Override
        public void onNull(String name) {
            other(name, null);
        }

        @Override
        public void onLong(String name, long value) {
            int position = position(name);
            if (position >= 0) {
                kinds[position] = LONG;
                longs[position] = value;
            }
        }

        @Override
        public void onDouble(String name, double value) {
            int position = position(name);
            if (position >= 0) {
                kinds[position] = DOUBLE;
                doubles[position] = value;
            }
        }

        @Override
        public void onString(String name, String value) {
            other(name, value);
        }

        @Override
        public void onBoolean(String name, boolean value) {
            other(name, value);
        }

        /** The feature's position in the baseline, -1 if the baseline has no such feature. */
        private int position(String name) {
            int n = ordinal++;
            if (n < lastNames.length && name.equals(lastNames[n])) {
                return lastPositions[n];
            }
            Integer position = positions.get(name);
            int found = position == null ? -1 : position;
            if (n >= lastNames.length) {
                lastNames = Arrays.copyOf(lastNames, Math.max(8, 2 * (n + 1)));
                lastPositions = Arrays.copyOf(lastPositions, lastNames.length);
            }
            lastNames[n] = name;
            lastPositions[n] = found;
            return found;
        }

        private void other(String name, Object value) {
            int position = position(name);
            if (position >= 0) {
                kinds[position] = OTHER;
                others[position] = value;
            }
        }
    }
}
