package io.fathom.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fathom.schemas.AvroCodec;
import io.fathom.schemas.avro.EntityState;
import io.fathom.schemas.avro.FeatureSnapshot;
import io.fathom.schemas.avro.FieldAccumulator;
import io.fathom.schemas.avro.Tile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotEncoderTest {
    private final AvroCodec<FeatureSnapshot> snapshots = AvroCodec.of(FeatureSnapshot.getClassSchema());
    private final AvroCodec<EntityState> states = AvroCodec.of(EntityState.getClassSchema());

    @Test
    void splicedBytesAreExactlyWhatTheGenericAvroWriterProduces() {
        FieldAccumulator accumulator = FieldAccumulator.newBuilder()
                .setCount(2)
                .setMean(1.5)
                .setSum(3.0)
                .setMin(1.0)
                .setMax(2.0)
                .setLastTs(99L)
                .setLast("FR")
                .build();
        EntityState state = new EntityState(99L, List.of(new Tile(1L, 2L, List.of(accumulator))), List.of(accumulator));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("count", 2L);
        values.put("mean", 1.5);
        values.put("country", "FR");
        values.put("flag", true);
        values.put("std", null);

        byte[] spliced = SnapshotEncoder.encode("user_txn", "u|1", 99L, 1234L, states.encode(state), values);

        FeatureSnapshot expected = new FeatureSnapshot("user_txn", "u|1", 99L, 1234L, state, values);
        assertThat(spliced).isEqualTo(snapshots.encode(expected));
        assertThat(snapshots.decode(spliced)).isEqualTo(expected);
    }
}
