package io.fathom.offline;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a point-in-time join uses the machine; start from {@link #builder()}, whose fields hold the defaults.
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

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .threads(threads)
                .buckets(buckets)
                .memoryBudgetBytes(memoryBudgetBytes)
                .spillDirectory(spillDirectory);
    }

    /** {@link JoinOptions}' fields with their defaults, sized to this machine; {@link #build()} validates them. */
    public static final class Builder {
        /** Default one per core. */
        private int threads = Runtime.getRuntime().availableProcessors();
        /** Default four per core. */
        private int buckets = 4 * Runtime.getRuntime().availableProcessors();
        /** Default a quarter of the maximum heap. */
        private long memoryBudgetBytes = Runtime.getRuntime().maxMemory() / 4;
        /** Default the system's temporary directory ({@code java.io.tmpdir}). */
        private Path spillDirectory = Path.of(System.getProperty("java.io.tmpdir"));

        private Builder() {}

        public Builder threads(int count) {
            this.threads = count;
            return this;
        }

        public Builder buckets(int count) {
            this.buckets = count;
            return this;
        }

        public Builder memoryBudgetBytes(long bytes) {
            this.memoryBudgetBytes = bytes;
            return this;
        }

        public Builder spillDirectory(Path directory) {
            this.spillDirectory = directory;
            return this;
        }

        public JoinOptions build() {
            return new JoinOptions(threads, buckets, memoryBudgetBytes, spillDirectory);
        }
    }
}
