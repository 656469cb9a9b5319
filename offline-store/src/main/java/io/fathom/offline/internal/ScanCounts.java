package io.fathom.offline.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a join side's scans did, thread-safe: the files scheduled (so that one listed again after a
 * compaction is read once), the items kept for the merge, and the items skipped as unusable. The counts are
 * {@link LongAdder}s: every item read adds one, from every scan thread, and one shared atomic counter made
 * those threads fight over its cache line.
 */
final class ScanCounts {
    private final Set<String> files = ConcurrentHashMap.newKeySet();
    private final LongAdder used = new LongAdder();
    private final LongAdder skipped = new LongAdder();

    /** Whether the file was not scheduled yet (and is now). */
    boolean schedule(String file) {
        return files.add(file);
    }

    void addUsed() {
        used.increment();
    }

    void addSkipped() {
        skipped.increment();
    }

    long files() {
        return files.size();
    }

    long used() {
        return used.sum();
    }

    long skipped() {
        return skipped.sum();
    }
}
