package io.fathom.monitor.internal;

import io.fathom.monitor.MonitorListener;
import io.fathom.monitor.alert.AlertKey;
import io.fathom.monitor.alert.AlertStateMachine;
import io.fathom.monitor.bias.BiasMetric;
import io.fathom.monitor.bias.BiasMetrics;
import io.fathom.monitor.bias.BiasReport;
import io.fathom.monitor.bias.GroupCounts;
import io.fathom.monitor.drift.Verdict;
import io.fathom.schemas.MonitorDefinition.BiasMonitor;
import io.fathom.schemas.avro.BiasGroup;
import io.fathom.schemas.avro.BiasReportRecord;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Per-window group counts of one bias monitor (all of a model's contributions in one task), closed by
 * event time: a window closes once {@code end + grace (+ label delay, with labels) <= clock}, the clock
 * being the largest record time seen. At close, per protected attribute, {@link BiasMetrics#compute}
 * gives a report and the verdicts of disparate impact and parity difference step their alerts.
 *
 * <p>Stores: windows ({@code start␀attribute␀group} → six counts), the clock, alert states.
 */
final class BiasWindowProcessor implements Processor<String, Contribution, String, Output> {
    private static final char SEP = DriftProcessor.SEP;

    private final BiasMonitor monitor;
    private final Stores stores;
    private final MonitorListener listener;
    private final long size;
    private final long closeDelay;
    private ProcessorContext<String, Output> context;
    private KeyValueStore<String, byte[]> windows;
    private KeyValueStore<String, Long> clocks;
    private Alerts alerts;

    /** The names of the processor's state stores. */
    record Stores(String windows, String clocks, String alerts) {}

    BiasWindowProcessor(BiasMonitor monitor, Stores stores, MonitorListener listener) {
        this.monitor = monitor;
        this.stores = stores;
        this.listener = listener;
        this.size = monitor.window().toMillis();
        this.closeDelay = monitor.grace().toMillis()
                + (monitor.labels().isPresent() ? monitor.labelDelay().toMillis() : 0);
    }

    @Override
    public void init(ProcessorContext<String, Output> context) {
        this.context = context;
        this.windows = context.getStateStore(stores.windows());
        this.clocks = context.getStateStore(stores.clocks());
        this.alerts = new Alerts(context.getStateStore(stores.alerts()), AlertStateMachine.of(monitor));
    }

    @Override
    public void process(Record<String, Contribution> record) {
        Contribution c = record.value();
        Long previous = clocks.get(monitor.model());
        long clock = previous == null ? record.timestamp() : Math.max(previous, record.timestamp());
        if (previous == null || previous != clock) {
            clocks.put(monitor.model(), clock);
        }
        long start = c.windowTime() - Math.floorMod(c.windowTime(), size);
        if (start + size + closeDelay <= clock) {
            listener.onSkipped("late", monitor.model());
        } else {
            for (Map.Entry<String, String> group : c.groups().entrySet()) {
                String key = String.format("%019d", start) + SEP + group.getKey() + SEP + group.getValue();
                byte[] stored = windows.get(key);
                long[] counts = stored == null ? new long[6] : decode(stored);
                for (int i = 0; i < counts.length; i++) {
                    counts[i] += c.deltas()[i];
                }
                windows.put(key, encode(counts));
            }
        }
        close(clock);
    }

    private void close(long clock) {
        Map<Long, Map<String, Map<String, GroupCounts>>> closing = new TreeMap<>();
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = windows.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> entry = it.next();
                String[] parts = entry.key.split(String.valueOf(SEP), 3);
                long start = Long.parseLong(parts[0]);
                if (start + size + closeDelay > clock) {
                    break;
                }
                keys.add(entry.key);
                long[] n = decode(entry.value);
                closing.computeIfAbsent(start, s -> new LinkedHashMap<>())
                        .computeIfAbsent(parts[1], a -> new TreeMap<>())
                        .put(parts[2], new GroupCounts(n[0], n[1], n[2], n[3], n[4], n[5]));
            }
        }
        keys.forEach(windows::delete);
        closing.forEach((start, byAttribute) -> {
            for (String attribute : monitor.protectedAttributes()) {
                Map<String, GroupCounts> groups = byAttribute.get(attribute);
                if (groups != null) {
                    judge(attribute, start, start + size, groups);
                }
            }
        });
    }

    private void judge(String attribute, long start, long end, Map<String, GroupCounts> groups) {
        BiasReport report = BiasMetrics.compute(attribute, groups, monitor.minGroupSize());
        Map<BiasMetric, Verdict> verdicts = report.verdicts(monitor.bias());
        BiasReportRecord avro = toAvro(monitor.model(), start, end, report, verdicts);
        listener.onBiasReport(avro);
        context.forward(new Record<>(monitor.model() + "/" + attribute, new Output.Bias(avro), end));
        String leastFavoured = report.groups().stream()
                .filter(BiasReport.GroupMetrics::sufficient)
                .min(Comparator.comparingDouble(BiasReport.GroupMetrics::selectionRate))
                .map(BiasReport.GroupMetrics::group)
                .orElse("");
        verdicts.forEach((metric, verdict) -> {
            double value = metric.value(report);
            double threshold = metric == BiasMetric.DISPARATE_IMPACT_RATIO
                    ? monitor.bias().disparateImpactMin()
                    : monitor.bias().parityDifferenceMax();
            AlertKey key = AlertKey.bias(monitor.model(), attribute, metric.code());
            alerts.step(key, verdict, value, end).ifPresent(alert -> {
                String summary = "Model " + monitor.model() + " is biased on " + attribute + " (" + metric.code() + ")";
                String description = String.format(
                        "%s %s of %s on %s is %.4g against threshold %.4g (least favoured group %s) in the window ending %s",
                        alert.status().code(),
                        metric.code(),
                        monitor.model(),
                        attribute,
                        alert.value(),
                        threshold,
                        leastFavoured,
                        Instant.ofEpochMilli(end));
                // the least favoured group changes from window to window: an annotation, never a label
                Map<String, String> annotations = new LinkedHashMap<>();
                annotations.put("summary", summary);
                annotations.put("description", description);
                if (!leastFavoured.isEmpty()) {
                    annotations.put("least_favoured_group", leastFavoured);
                }
                var event = Alerts.event(alert, threshold, annotations);
                listener.onAlert(event);
                context.forward(new Record<>(alert.fingerprint(), new Output.Alert(event), end));
            });
        });
    }

    static BiasReportRecord toAvro(
            String model, long start, long end, BiasReport report, Map<BiasMetric, Verdict> verdicts) {
        List<BiasGroup> groups = new ArrayList<>();
        for (BiasReport.GroupMetrics g : report.groups()) {
            groups.add(BiasGroup.newBuilder()
                    .setGroup(g.group())
                    .setN(g.counts().n())
                    .setPredictedPositive(g.counts().predictedPositive())
                    .setLabelled(g.counts().labelled())
                    .setSufficient(g.sufficient())
                    .setSelectionRate(orNull(g.selectionRate()))
                    .setTpr(orNull(g.truePositiveRate()))
                    .setFpr(orNull(g.falsePositiveRate()))
                    .setDisparateImpact(orNull(g.disparateImpact()))
                    .build());
        }
        return BiasReportRecord.newBuilder()
                .setModel(model)
                .setAttribute(report.attribute())
                .setWindowStart(start)
                .setWindowEnd(end)
                .setDemographicParityDifference(orNull(report.demographicParityDifference()))
                .setDemographicParityRatio(orNull(report.demographicParityRatio()))
                .setDisparateImpactRatio(orNull(report.disparateImpactRatio()))
                .setEqualOpportunityDifference(orNull(report.equalOpportunityDifference()))
                .setEqualizedOddsDifference(orNull(report.equalizedOddsDifference()))
                .setDisparateImpactVerdict(
                        verdicts.get(BiasMetric.DISPARATE_IMPACT_RATIO).name())
                .setParityDifferenceVerdict(
                        verdicts.get(BiasMetric.DEMOGRAPHIC_PARITY_DIFFERENCE).name())
                .setGroups(groups)
                .build();
    }

    private static Double orNull(double value) {
        return Double.isNaN(value) ? null : value;
    }

    private static byte[] encode(long[] counts) {
        ByteBuffer buffer = ByteBuffer.allocate(8 * counts.length);
        for (long c : counts) {
            buffer.putLong(c);
        }
        return buffer.array();
    }

    private static long[] decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long[] counts = new long[bytes.length / 8];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = buffer.getLong();
        }
        return counts;
    }
}
