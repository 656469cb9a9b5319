package io.fathom.offline.internal;

import java.util.Map;

/**
 * Which archived events a reading takes, by source position: per partition, the first offset it does not
 * take (an exclusive end, such as a consumer group's committed offset). An archived event of a partition the
 * bound does not name is not taken. {@link #NONE} takes every event. Events of history datasets have no
 * position and are not bounded by it.
 *
 * @param ends per partition, the first offset not taken; empty for no bound at all
 */
public record ArchiveBound(Map<Integer, Long> ends) {
    public static final ArchiveBound NONE = new ArchiveBound(Map.of());

    public ArchiveBound {
        ends = Map.copyOf(ends);
    }

    boolean admits(int partition, long offset) {
        if (ends.isEmpty()) {
            return true;
        }
        Long end = ends.get(partition);
        return end != null && offset < end;
    }
}
