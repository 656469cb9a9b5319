package io.fathom.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Where a consumer group stands on a topic: its committed offsets, read with an {@link Admin}. */
public final class GroupOffsets {
    private GroupOffsets() {}

    /**
     * Per partition of {@code topic}, the group's committed offset (the first offset it has not processed);
     * partitions without one are left out, and so is everything for a group that never committed.
     */
    public static Map<Integer, Long> committed(Admin admin, String group, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(Topics.DEFAULT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        Map<Integer, Long> offsets = new HashMap<>();
        committed.forEach((partition, offset) -> {
            if (partition.topic().equals(topic) && offset != null) {
                offsets.put(partition.partition(), offset.offset());
            }
        });
        return offsets;
    }
}
