package io.fathom.offline;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a point-in-time join uses the machine.
 *
 * @param threads worker threads (reading snapshot files, merging and evaluating)
 * @param buckets the work is split by hash of entity key into this many independent parts
 * @param memoryBudgetBytes heap the join may hold in sort buffers; beyond it, sorted runs spill to disk
 * @param spillDirectory where spilled runs go (a directory of its own is made inside, and deleted after)
 */
public record JoinOptions(int threads, int buckets, long memoryBudgetBytes, Path spillDirectory) {
    public JoinOptions {
        Objects.requireNonNull(spillDirectory, "spillDirectory");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be >= 1, was " + buckets);
        }
        if (memoryBudgetBytes < 1) {
            throw new IllegalArgumentException("memoryBudgetBytes must be >= 1, was " + memoryBudgetBytes);
        }
    }

    /** One thread per core, four buckets per thread, a quarter of the maximum heap, the system temp dir. */
    public static JoinOptions defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new JoinOptions(
                cores, 4 * cores, Runtime.getRuntime().maxMemory() / 4, Path.of(System.getProperty("java.io.tmpdir")));
    }

    public JoinOptions withThreads(int count) {
        return new JoinOptions(count, buckets, memoryBudgetBytes, spillDirectory);
    }

    public JoinOptions withBuckets(int count) {
        return new JoinOptions(threads, count, memoryBudgetBytes, spillDirectory);
    }

    public JoinOptions withMemoryBudget(long bytes) {
        return new JoinOptions(threads, buckets, bytes, spillDirectory);
    }

    public JoinOptions withSpillDirectory(Path directory) {
        return new JoinOptions(threads, buckets, memoryBudgetBytes, directory);
    }
}
