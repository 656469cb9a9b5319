package io.fathom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.datasketches.hll.Union;
import org.junit.jupiter.api.Test;

class DistinctSketchesTest {
    /** One standard deviation of the union estimate at lgK 12, as stated in the class note. */
    private static final double RSE = 1.04 / Math.sqrt(1 << DistinctSketches.LG_K);

    @Test
    void smallCountsAreExactUpToTheCouponLimit() {
        ByteBuffer sketch = null;
        for (long i = 0; i < 380; i++) {
            sketch = DistinctSketches.add(sketch, i * 7919);
            assertThat(count(sketch)).isEqualTo(i + 1);
        }
    }

    @Test
    void unionsOfSmallSketchesAreExact() {
        List<ByteBuffer> tiles = new ArrayList<>();
        for (int tile = 0; tile < 30; tile++) {
            ByteBuffer sketch = null;
            for (int i = 0; i < 10; i++) {
                sketch = DistinctSketches.add(sketch, "merchant-" + (tile * 5 + i));
            }
            tiles.add(sketch);
        }
        assertThat(count(tiles.toArray(ByteBuffer[]::new))).isEqualTo(29 * 5 + 10);
    }

    @Test
    void largeCountsAreWithinThreeStandardErrors() {
        int tileCount = 200;
        int perTile = 1_000;
        List<ByteBuffer> tiles = new ArrayList<>();
        for (int tile = 0; tile < tileCount; tile++) {
            ByteBuffer sketch = null;
            for (int i = 0; i < perTile; i++) {
                sketch = DistinctSketches.add(sketch, (long) tile * perTile + i);
            }
            tiles.add(sketch);
            assertThat(sketch.remaining()).isLessThan(2_600);
        }
        double exact = tileCount * perTile;
        assertThat((double) count(tiles.toArray(ByteBuffer[]::new))).isCloseTo(exact, within(3 * RSE * exact));
    }

    @Test
    void hashingRules() {
        ByteBuffer sketch = DistinctSketches.add(null, 42L);
        sketch = DistinctSketches.add(sketch, 42.0);
        assertThat(count(sketch)).as("42 and 42.0 are one value").isEqualTo(1);
        sketch = DistinctSketches.add(sketch, 42.5);
        sketch = DistinctSketches.add(sketch, "42");
        sketch = DistinctSketches.add(sketch, "");
        sketch = DistinctSketches.add(sketch, true);
        sketch = DistinctSketches.add(sketch, "true");
        assertThat(count(sketch)).isEqualTo(5);
    }

    @Test
    void aRepeatedValueReturnsTheSameBuffer() {
        ByteBuffer sketch = DistinctSketches.add(DistinctSketches.add(null, "a"), "b");
        assertThat(DistinctSketches.add(sketch, "a")).isSameAs(sketch);
        assertThat(DistinctSketches.add(sketch, "c")).isNotSameAs(sketch);
    }

    @Test
    void compactWhileSmall() {
        ByteBuffer sketch = null;
        for (int i = 0; i < 5; i++) {
            sketch = DistinctSketches.add(sketch, "v" + i);
        }
        assertThat(sketch.remaining()).isLessThanOrEqualTo(8 + 4 * 5);
    }

    @Test
    void readsSlicedAndDirectBuffers() {
        byte[] bytes = DistinctSketches.add(DistinctSketches.add(null, 1L), 2L).array();
        byte[] padded = new byte[bytes.length + 3];
        System.arraycopy(bytes, 0, padded, 3, bytes.length);
        ByteBuffer sliced = ByteBuffer.wrap(padded, 3, bytes.length).slice();
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        assertThat(count(sliced)).isEqualTo(2);
        assertThat(count(DistinctSketches.add(direct, 3L))).isEqualTo(3);
    }

    private static long count(ByteBuffer... sketches) {
        Union union = DistinctSketches.newUnion();
        for (ByteBuffer sketch : sketches) {
            DistinctSketches.merge(union, sketch);
        }
        return DistinctSketches.estimate(union);
    }
}
