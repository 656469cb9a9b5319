package io.fathom.online.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.online.StoredSnapshot;
import io.fathom.schemas.avro.EntityState;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SnapshotValueTest {

    private static byte[] value(long eventTs, long createdTs) {
        EntityState state = new EntityState(eventTs, new ArrayList<>(), new ArrayList<>());
        return SnapshotValue.encode(StoredSnapshot.of("v", "k", eventTs, createdTs, state));
    }

    @Test
    void roundTripsTheHeaderAndTheStateBytes() {
        StoredSnapshot written = StoredSnapshot.of(
                "v", "k", 1_764_000_000_000L, -3, new EntityState(1_764_000_000_000L, List.of(), List.of()));
        byte[] value = SnapshotValue.encode(written);
        assertThat(value[0]).isEqualTo(SnapshotValue.VERSION);
        assertThat(SnapshotValue.eventTs(value)).isEqualTo(1_764_000_000_000L);
        assertThat(SnapshotValue.createdTs(value)).isEqualTo(-3);

        StoredSnapshot read = SnapshotValue.decode("v", "k", value);
        assertThat(read).isEqualTo(written);
        assertThat(read.decodeState().getLatestEventTs()).isEqualTo(1_764_000_000_000L);
    }

    @Test
    void byteOrderOfTheHeaderIsTheNumericOrderOfEventThenCreatedTime() {
        Random random = new Random(3);
        long[] interesting = {Long.MIN_VALUE + 1, -1_000, -1, 0, 1, 255, 256, 1_764_000_000_000L, Long.MAX_VALUE};
        List<long[]> pairs = new ArrayList<>();
        for (long e : interesting) {
            for (long c : interesting) {
                pairs.add(new long[] {e, c});
            }
        }
        for (int i = 0; i < 200; i++) {
            pairs.add(new long[] {random.nextLong(), random.nextLong()});
        }
        for (long[] a : pairs) {
            for (long[] b : pairs) {
                int numeric = a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]);
                assertThat(SnapshotValue.newer(value(a[0], a[1]), value(b[0], b[1])))
                        .as("(%d,%d) newer than (%d,%d)", a[0], a[1], b[0], b[1])
                        .isEqualTo(numeric > 0);
            }
        }
    }

    @Test
    void rejectsValuesOfAnotherFormat() {
        assertThatThrownBy(() -> SnapshotValue.eventTs(new byte[] {2, 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a version-1 snapshot value: 2 bytes, version byte 2");
    }

    @Test
    void theScriptShaIsTheSha1OfItsSource() {
        assertThat(WriteScript.SHA).hasSize(40).matches("[0-9a-f]+");
    }
}
