package io.fathom.offline.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.schemas.AvroCodec;
import io.fathom.schemas.avro.EntityState;
import io.fathom.schemas.avro.FeatureSnapshot;
import io.fathom.schemas.avro.FieldAccumulator;
import io.fathom.schemas.avro.Tile;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecodedSnapshotTest {
    private static final AvroCodec<FeatureSnapshot> SNAPSHOTS = AvroCodec.of(FeatureSnapshot.getClassSchema());
    private static final AvroCodec<EntityState> STATES = AvroCodec.of(EntityState.getClassSchema());

    @Test
    void slicesTheStateBytesOutAsTheyAreAndReadsEverythingElse() {
        FieldAccumulator accumulator = new FieldAccumulator(
                3L, 1.5, 0.25, 4.5, 1.0, 2.0, 10L, "FR", 20L, 7L, ByteBuffer.wrap(new byte[] {1, 2, 3}));
        EntityState state = new EntityState(
                1_700_000_000_000L,
                List.of(new Tile(5L, 3L, List.of(accumulator)), new Tile(6L, 1L, List.of(accumulator))),
                List.of(accumulator));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("count", 3L);
        values.put("mean", 1.5);
        values.put("last", "FR");
        values.put("flag", true);
        values.put("empty", null);
        FeatureSnapshot snapshot =
                new FeatureSnapshot("user_txn", "a\\|b|7", 1_700_000_000_000L, 1_700_000_000_123L, state, values);

        DecodedSnapshot decoded = DecodedSnapshot.decode(SNAPSHOTS.encode(snapshot));

        assertThat(decoded.view()).isEqualTo("user_txn");
        assertThat(decoded.entityKey()).isEqualTo("a\\|b|7");
        assertThat(decoded.eventTs()).isEqualTo(1_700_000_000_000L);
        assertThat(decoded.createdTs()).isEqualTo(1_700_000_000_123L);
        assertThat(decoded.state()).isEqualTo(STATES.encode(state));
        assertThat(STATES.decode(decoded.state())).isEqualTo(state);
        assertThat(decoded.values()).containsExactlyEntriesOf(values);
    }

    @Test
    void rejectsBytesThatAreNotASnapshot() {
        FeatureSnapshot snapshot =
                new FeatureSnapshot("v", "k", 1L, 2L, new EntityState(1L, List.of(), List.of()), Map.of());
        byte[] bytes = SNAPSHOTS.encode(snapshot);
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);

        assertThatThrownBy(() -> DecodedSnapshot.decode(longer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot decode");
        assertThatThrownBy(() -> DecodedSnapshot.decode(Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
