package io.fathom.monitor.drift;

/** The judgement of one window against its rule. */
public enum Verdict {
    /** Enough values, and the rule is not breached. */
    OK,
    /** Enough values, and the rule is breached. */
    DRIFT,
    /** Fewer values than {@code min_samples} (or no reference values): not judged, never drift. */
    INSUFFICIENT
}
