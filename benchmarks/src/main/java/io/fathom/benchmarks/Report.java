package io.fathom.benchmarks;

import java.util.Locale;

/** Prints result rows in one aligned format, and each figure beside its anchor and target. */
final class Report {
    private Report() {}

    static void header(String title) {
        System.out.println();
        System.out.println("== " + title);
        System.out.printf(
                Locale.ROOT,
                "  %-44s %9s %9s %9s %9s %12s %13s%n",
                "run",
                "samples",
                "p50 ms",
                "p99 ms",
                "p999 ms",
                "requests/s",
                "entities/s");
    }

    static void latencyHeader(String title) {
        System.out.println();
        System.out.println("== " + title);
        System.out.printf(Locale.ROOT, "  %-44s %9s %9s %9s %9s%n", "run", "samples", "p50 ms", "p99 ms", "p999 ms");
    }

    /** One run: its latencies and, when it ran for {@code seconds} over {@code entitiesPerRequest}, its rates. */
    static void row(String name, LatencyRecorder latencies, double requestsPerSecond, int entitiesPerRequest) {
        System.out.printf(
                Locale.ROOT,
                "  %-44s %9d %9.3f %9.3f %9.3f %,12.0f %,13.0f%n",
                name,
                latencies.count(),
                latencies.p50(),
                latencies.p99(),
                latencies.p999(),
                requestsPerSecond,
                requestsPerSecond * entitiesPerRequest);
    }

    /** Latencies only, for runs paced at a fixed rate. */
    static void latencyRow(String name, LatencyRecorder latencies) {
        System.out.printf(
                Locale.ROOT,
                "  %-44s %9d %9.3f %9.3f %9.3f%n",
                name,
                latencies.count(),
                latencies.p50(),
                latencies.p99(),
                latencies.p999());
    }

    /** A run of an external tool that reports only p50 and p99 and its own rate. */
    static void toolRow(String name, double p50, double p99, double requestsPerSecond, int entitiesPerRequest) {
        System.out.printf(
                Locale.ROOT,
                "  %-44s %9s %9.3f %9.3f %9s %,12.0f %,13.0f%n",
                name,
                "-",
                p50,
                p99,
                "-",
                requestsPerSecond,
                requestsPerSecond * entitiesPerRequest);
    }

    /** A latency figure against its target: {@code ratio = measured / target}, met when at most 1. */
    static void target(String what, double measured, double target, String unit) {
        System.out.printf(
                Locale.ROOT,
                "  %-58s %10.3f %s  target <= %s %s  ratio %.2f  %s%n",
                what,
                measured,
                unit,
                trim(target),
                unit,
                measured / target,
                measured <= target ? "MET" : "MISSED");
    }

    /** A rate against an anchor rate: met when {@code measured / anchor >= minRatio}. */
    static void ratio(String what, double measured, double anchor, double minRatio) {
        double ratio = measured / anchor;
        System.out.printf(
                Locale.ROOT,
                "  %-58s %,12.0f / %,12.0f = %.3f  target >= %s  %s%n",
                what,
                measured,
                anchor,
                ratio,
                trim(minRatio),
                ratio >= minRatio ? "MET" : "MISSED");
    }

    /** A figure beside its anchor, with no target of its own. */
    static void beside(String what, double measured, String anchorName, double anchor, String unit) {
        System.out.printf(
                Locale.ROOT,
                "  %-58s %10.3f %s  %s %.3f %s  ratio %.2f%n",
                what,
                measured,
                unit,
                anchorName,
                anchor,
                unit,
                measured / anchor);
    }

    static void note(String text) {
        System.out.println("  " + text);
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
