package io.fathom.offline.internal;

import java.util.Objects;
import java.util.Optional;

/**
 * The name of a committed snapshot file: {@code <topic>+<partition>+<startOffset>+<endOffset>.parquet},
 * where the offsets are those of the first and last record it holds (inclusive). Kafka topic names
 * cannot contain {@code +}, so the name parses unambiguously.
 *
 * <p>Invariant the writer and the compactor keep: a file {@code [start, end]} in {@code date=D} holds
 * every record of the partition with an offset in {@code [start, end]} whose event date is {@code D}.
 */
public record SnapshotFileName(String topic, int partition, long startOffset, long endOffset) {
    public static final String SUFFIX = ".parquet";

    public SnapshotFileName {
        Objects.requireNonNull(topic, "topic");
        if (topic.isEmpty() || topic.indexOf('+') >= 0 || topic.indexOf('/') >= 0) {
            throw new IllegalArgumentException("not a Kafka topic name: \"" + topic + "\"");
        }
        if (partition < 0 || startOffset < 0 || endOffset < startOffset) {
            throw new IllegalArgumentException(
                    "bad file range: partition " + partition + ", offsets " + startOffset + ".." + endOffset);
        }
    }

    public String fileName() {
        return topic + "+" + partition + "+" + startOffset + "+" + endOffset + SUFFIX;
    }

    /** Whether this file's offset range contains the other's. */
    public boolean covers(SnapshotFileName other) {
        return topic.equals(other.topic)
                && partition == other.partition
                && startOffset <= other.startOffset
                && other.endOffset <= endOffset;
    }

    /** The name parsed, or empty for anything that is not a committed snapshot file's name. */
    public static Optional<SnapshotFileName> parse(String fileName) {
        if (!fileName.endsWith(SUFFIX) || fileName.startsWith(".") || fileName.startsWith("_")) {
            return Optional.empty();
        }
        String[] parts =
                fileName.substring(0, fileName.length() - SUFFIX.length()).split("\\+", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SnapshotFileName(
                    parts[0], Integer.parseInt(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
