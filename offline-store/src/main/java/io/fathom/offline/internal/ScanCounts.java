package io.fathom.offline.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a join side's scans did, thread-safe: the files scheduled (so that one listed again after a
 * compaction is read once), the items kept for the merge, and the items skipped as unusable.
 */
final class ScanCounts {
    private final Set<String> files = ConcurrentHashMap.newKeySet();
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    /** Whether the file was not scheduled yet (and is now). */
    boolean schedule(String file) {
        return files.add(file);
    }

    void addUsed() {
        used.incrementAndGet();
    }

    void addSkipped() {
        skipped.incrementAndGet();
    }

    long files() {
        return files.size();
    }

    long used() {
        return used.get();
    }

    long skipped() {
        return skipped.get();
    }
}
