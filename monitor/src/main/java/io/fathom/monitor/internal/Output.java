package io.fathom.monitor.internal;

import io.fathom.schemas.avro.AlertEvent;
import io.fathom.schemas.avro.BiasReportRecord;

/** What the monitor's processors forward; the graph routes each kind to its topic or next step. */
sealed interface Output {
    /** What drift monitors of a snapshot: its event time and its values. */
    record Sample(DriftSample sample) implements Output {}

    /** A malformed input: the original key and value; the reason is in the record's headers. */
    record DeadLetter(byte[] key, byte[] value) implements Output {}

    record Drift(io.fathom.schemas.avro.DriftReport report) implements Output {}

    record Bias(BiasReportRecord report) implements Output {}

    record Alert(AlertEvent event) implements Output {}

    /** A decoded prediction or label, before the join by id. */
    record BiasIn(BiasInput input) implements Output {}

    /** A prediction's or a label's share of a window's group counts. */
    record Counted(Contribution contribution) implements Output {}
}
