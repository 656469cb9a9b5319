package io.fathom.online.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.online.StoredSnapshot;
import io.fathom.schemas.EntityStateCodec;
import io.fathom.schemas.avro.EntityState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SnapshotValueTest {
    private static final long[] INTERESTING = {
        Long.MIN_VALUE + 1, -1_000, -1, 0, 1, 255, 256, 1_764_000_000_000L, Long.MAX_VALUE
    };

    private static EntityState state(long eventTs) {
        return new EntityState(eventTs, new ArrayList<>(), new ArrayList<>());
    }

    private static byte[] value(long version, long eventTs, long createdTs) {
        return SnapshotValue.encode(StoredSnapshot.of("v", "k", eventTs, createdTs, state(eventTs), version));
    }

    @Test
    void roundTripsTheHeaderAndTheStateBytes() {
        StoredSnapshot written = StoredSnapshot.of("v", "k", 1_764_000_000_000L, -3, state(1_764_000_000_000L), 42);
        byte[] value = SnapshotValue.encode(written);
        assertThat(value[0]).isEqualTo(SnapshotValue.FORMAT);
        assertThat(ByteBuffer.wrap(value, 1, 8).getLong()).isEqualTo(42 ^ Long.MIN_VALUE);
        assertThat(SnapshotValue.version(value)).isEqualTo(42);
        assertThat(SnapshotValue.eventTs(value)).isEqualTo(1_764_000_000_000L);
        assertThat(SnapshotValue.createdTs(value)).isEqualTo(-3);
        assertThat(value).hasSize(SnapshotValue.HEADER + written.state().remaining());

        StoredSnapshot read = SnapshotValue.decode("v", "k", value);
        assertThat(read).isEqualTo(written);
        assertThat(read.decodeState().getLatestEventTs()).isEqualTo(1_764_000_000_000L);
    }

    @Test
    void readsValuesOfFormat1AsVersionZero() {
        byte[] state = new EntityStateCodec().encode(state(1_000L));
        byte[] old = Format1Values.of(1_000L, 2_000L, state);

        StoredSnapshot read = SnapshotValue.decode("v", "k", old);

        assertThat(read).isEqualTo(new StoredSnapshot("v", "k", 1_000L, 2_000L, ByteBuffer.wrap(state), 0));
        assertThat(SnapshotValue.version(old)).isZero();
        assertThat(SnapshotValue.eventTs(old)).isEqualTo(1_000L);
        assertThat(SnapshotValue.createdTs(old)).isEqualTo(2_000L);
    }

    @Test
    void byteOrderOfTheHeaderIsTheNumericOrderOfVersionThenEventThenCreatedTime() {
        Random random = new Random(3);
        List<long[]> triples = new ArrayList<>();
        long[] versions = {Long.MIN_VALUE + 1, -1, 0, 1, 2, 255, 256, Long.MAX_VALUE};
        for (long v : versions) {
            for (long e : INTERESTING) {
                triples.add(new long[] {v, e, INTERESTING[random.nextInt(INTERESTING.length)]});
                triples.add(new long[] {v, e, e});
            }
        }
        for (int i = 0; i < 100; i++) {
            triples.add(new long[] {random.nextInt(4), random.nextLong(), random.nextLong()});
        }
        for (long[] a : triples) {
            for (long[] b : triples) {
                assertThat(SnapshotValue.supersedes(value(a[0], a[1], a[2]), value(b[0], b[1], b[2])))
                        .as("%s supersedes %s", Arrays.toString(a), Arrays.toString(b))
                        .isEqualTo(compare(a, b) > 0);
            }
        }
    }

    @Test
    void aValueOfFormat1IsComparedAsVersionZero() {
        byte[] state = new EntityStateCodec().encode(state(5L));
        for (long e : INTERESTING) {
            for (long c : INTERESTING) {
                byte[] old = Format1Values.of(e, c, state);
                for (long[] candidate : List.of(
                        new long[] {0, e, c},
                        new long[] {0, e, c + 1},
                        new long[] {0, e - 1, Long.MAX_VALUE},
                        new long[] {1, Long.MIN_VALUE + 1, Long.MIN_VALUE + 1},
                        new long[] {-1, Long.MAX_VALUE, Long.MAX_VALUE})) {
                    assertThat(SnapshotValue.supersedes(value(candidate[0], candidate[1], candidate[2]), old))
                            .as("%s supersedes format 1 (%d, %d)", Arrays.toString(candidate), e, c)
                            .isEqualTo(compare(candidate, new long[] {0, e, c}) > 0);
                }
            }
        }
    }

    @Test
    void rejectsValuesOfAnotherFormat() {
        assertThatThrownBy(() -> SnapshotValue.eventTs(new byte[] {3, 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a snapshot value of format 2 or 1: 2 bytes, format byte 3");
        assertThatThrownBy(() -> SnapshotValue.version(new byte[20]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a snapshot value of format 2 or 1: 20 bytes, format byte 0");
        byte[] shortFormat2 = Arrays.copyOf(value(1, 1, 1), 20);
        assertThatThrownBy(() -> SnapshotValue.decode("v", "k", shortFormat2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("20 bytes, format byte 2");
    }

    @Test
    void theScriptShaIsTheSha1OfItsSource() {
        assertThat(WriteScript.SHA).hasSize(40).matches("[0-9a-f]+");
    }

    private static int compare(long[] a, long[] b) {
        for (int i = 0; i < 3; i++) {
            if (a[i] != b[i]) {
                return Long.compare(a[i], b[i]);
            }
        }
        return 0;
    }
}
