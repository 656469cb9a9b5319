package io.fathom.ingest;

import io.fathom.core.WatermarkTracker;
import io.fathom.schemas.RecordComponents;
import java.time.Duration;
import java.util.Map;

/**
 * How ingest tracks each view's watermark (docs/semantics.md, "Event time and arrival order"): how long a source
 * partition may send nothing before it no longer holds the watermark back, and how many partitions each source
 * topic has, where known. A view task that knows its source's partitions waits for each of them (for at most the
 * idle timeout) before its watermark first moves; one that does not know them waits the whole idle timeout.
 *
 * @param idleTimeout positive
 * @param sourcePartitions partition count by source topic; a topic left out is not known
 */
public record WatermarkSettings(Duration idleTimeout, Map<String, Integer> sourcePartitions) {
    public WatermarkSettings {
        RecordComponents.requireNonNull(WatermarkSettings.class, idleTimeout, sourcePartitions);
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("the idle timeout must be positive, was " + idleTimeout);
        }
        sourcePartitions = Map.copyOf(sourcePartitions);
        sourcePartitions.forEach((topic, partitions) -> {
            if (partitions < 1) {
                throw new IllegalArgumentException("topic " + topic + " has " + partitions + " partitions");
            }
        });
    }

    /** The default idle timeout, the partitions of the given source topics. */
    public static WatermarkSettings of(Map<String, Integer> sourcePartitions) {
        return new WatermarkSettings(WatermarkTracker.DEFAULT_IDLE_TIMEOUT, sourcePartitions);
    }

    /** How many partitions {@code topic} has, or 0 if that is not known. */
    public int partitionsOf(String topic) {
        return sourcePartitions.getOrDefault(topic, 0);
    }
}
