package io.fathom.offline;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How a point-in-time join uses the machine; start from {@link #builder()}, preset with the defaults below,
 * sized to this machine.
 *
 * @param threads worker threads (reading snapshot files, merging and evaluating); default one per core
 * @param buckets the work is split by hash of entity key into this many independent parts; default four per
 *     core
 * @param memoryBudgetBytes heap the join may hold in sort buffers; beyond it, sorted runs spill to disk;
 *     default a quarter of the maximum heap
 * @param spillDirectory where spilled runs go (a directory of its own is made inside, and deleted after);
 *     default the system's temporary directory ({@code java.io.tmpdir})
 */
@RecordBuilder
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

    /** A builder preset with the defaults, sized to this machine. */
    public static JoinOptionsBuilder builder() {
        int cores = Runtime.getRuntime().availableProcessors();
        return JoinOptionsBuilder.builder()
                .threads(cores)
                .buckets(4 * cores)
                .memoryBudgetBytes(Runtime.getRuntime().maxMemory() / 4)
                .spillDirectory(Path.of(System.getProperty("java.io.tmpdir")));
    }

    public JoinOptionsBuilder toBuilder() {
        return JoinOptionsBuilder.builder(this);
    }
}
