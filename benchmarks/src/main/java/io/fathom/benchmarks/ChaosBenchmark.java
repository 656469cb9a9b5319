package io.fathom.benchmarks;

import java.nio.file.Path;

/**
 * {@code ./benchmarks/run chaos [--cycles N]}: issue 12's chaos run ({@link ChaosHarness}) with {@link
 * ChaosSettings#full} and N kill cycles (default 10), its files under {@code benchmarks/target/chaos}. Prints
 * {@code result chaos_cycles N}, {@code result chaos_lost L}, {@code result chaos_duplicated D} and the details;
 * exits 1 when anything was lost, duplicated or misrouted.
 */
public final class ChaosBenchmark {
    private ChaosBenchmark() {}

    public static void main(String[] args) throws Exception {
        int cycles = 10;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--cycles") && i + 1 < args.length) {
                cycles = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: benchmarks/run chaos [--cycles N]");
                System.exit(2);
            }
        }
        ChaosHarness.Outcome outcome = ChaosHarness.run(ChaosSettings.full(cycles, Path.of("benchmarks/target/chaos")));
        Results results = new Results();
        ChaosVerifier.Verdict verdict = outcome.verdict();
        results.put("chaos_cycles", outcome.cycles());
        results.put("chaos_lost", verdict.lost());
        results.put("chaos_duplicated", verdict.duplicated());
        results.put("chaos_dlq_mismatch", verdict.dlqMismatch());
        results.put("chaos_online_sum_mismatch", verdict.onlineSumMismatch());
        results.put("chaos_offline_last_mismatch", verdict.offlineLastMismatch());
        outcome.kills().forEach((component, kills) -> results.put("chaos_kills_" + component.replace('-', '_'), kills));
        results.put("chaos_broker_bounces", outcome.brokerBounces());
        results.put("chaos_redis_outages", outcome.redisOutages());
        results.put("chaos_redis_outage_reads", outcome.outageReads());
        results.put("chaos_redis_outage_reads_not_503", outcome.outageReadsNot503());
        results.put("chaos_redis_outage_read_ms", outcome.outageReadMaxMillis());
        results.put("chaos_redis_outage_read_median_ms", outcome.outageReadMedianMillis());
        results.put("chaos_redis_up_read_ms", outcome.upReadMaxMillis());
        results.put("chaos_unexpected_exits", outcome.unexpectedExits());
        results.put("chaos_events", verdict.inputEvents());
        results.put("chaos_bad_events", verdict.badEvents());
        results.put("chaos_input_duplicated", verdict.inputDuplicated());
        results.put("chaos_producer_errors", outcome.producerErrors());
        results.put("chaos_online_lost", verdict.onlineLost());
        results.put("chaos_online_duplicated", verdict.onlineDuplicated());
        results.put("chaos_snapshots_lost", verdict.topicLost());
        results.put("chaos_snapshots_duplicated", verdict.topicDuplicated());
        results.put("chaos_offline_rows", verdict.offlineRows());
        results.put("chaos_offline_lost", verdict.offlineLost());
        results.put("chaos_offline_duplicated", verdict.offlineDuplicated());
        results.put("chaos_catch_up_s", outcome.catchUpSeconds());
        results.print();
        System.exit(verdict.mismatches() == 0 ? 0 : 1);
    }
}
