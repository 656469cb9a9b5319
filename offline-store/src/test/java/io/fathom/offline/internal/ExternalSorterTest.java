package io.fathom.offline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExternalSorterTest {
    private static final ExternalSorter.Codec<Long> LONGS = new ExternalSorter.Codec<>() {
        @Override
        public void write(DataOutputStream out, Long item) throws IOException {
            out.writeLong(item);
        }

        @Override
        public Long read(DataInputStream in) throws IOException {
            return in.readLong();
        }

        @Override
        public long estimatedBytes(Long item) {
            return 24;
        }
    };

    @TempDir
    Path spill;

    @Test
    void sortsInMemoryWithoutTouchingTheDisk() {
        try (ExternalSorter<Long> sorter = new ExternalSorter<>(
                ExternalSorter.Kind.listed(Comparator.naturalOrder(), LONGS), 1 << 20, spill, "t")) {
            List<Long> items = random(1000, 1);
            items.forEach(sorter::add);
            assertThat(drain(sorter)).isEqualTo(items.stream().sorted().toList());
            assertThat(sorter.spilledBytes()).isZero();
        }
        assertThat(spill).isEmptyDirectory();
    }

    @Test
    void spillsRunsAndMergesThemInSeveralPassesWhenThereAreMoreThanTheFanIn() {
        List<Long> items = random(50_000, 2);
        try (ExternalSorter<Long> sorter = new ExternalSorter<>(
                ExternalSorter.Kind.listed(Comparator.naturalOrder(), LONGS), 24 * 300, spill, "t")) {
            items.forEach(sorter::add);
            assertThat(sorter.runCount()).isGreaterThan(2 * ExternalSorter.FAN_IN);
            assertThat(drain(sorter)).isEqualTo(items.stream().sorted().toList());
            assertThat(sorter.spilledBytes()).isGreaterThan(8L * items.size());
        }
        assertThat(spill).isEmptyDirectory();
    }

    private static List<Long> drain(ExternalSorter<Long> sorter) {
        List<Long> out = new ArrayList<>();
        try (ExternalSorter.SortedItems<Long> sorted = sorter.sorted()) {
            sorted.forEachRemaining(out::add);
        }
        return out;
    }

    private static List<Long> random(int count, long seed) {
        Random random = new Random(seed);
        List<Long> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add((long) random.nextInt(count / 3));
        }
        return items;
    }
}
