package io.fathom.offline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LayoutTest {
    @Test
    void fileNamesRoundTripAndRejectEverythingElse() {
        SnapshotFileName name = new SnapshotFileName("fathom.snapshots.user_txn", 3, 100, 250);
        assertThat(name.fileName()).isEqualTo("fathom.snapshots.user_txn+3+100+250.parquet");
        assertThat(SnapshotFileName.parse(name.fileName())).contains(name);
        assertThat(SnapshotFileName.parse("fathom.snapshots.user_txn+3+100.parquet"))
                .isEmpty();
        assertThat(SnapshotFileName.parse("t+3+100+99.parquet")).isEmpty();
        assertThat(SnapshotFileName.parse("t+3+x+99.parquet")).isEmpty();
        assertThat(SnapshotFileName.parse(".t+3+1+2.parquet")).isEmpty();
        assertThat(SnapshotFileName.parse("t+3+1+2.parquet.tmp")).isEmpty();
    }

    @Test
    void coversWhenTheRangeContainsTheOther() {
        SnapshotFileName wide = new SnapshotFileName("t", 0, 10, 20);
        assertThat(wide.covers(new SnapshotFileName("t", 0, 10, 20))).isTrue();
        assertThat(wide.covers(new SnapshotFileName("t", 0, 12, 15))).isTrue();
        assertThat(wide.covers(new SnapshotFileName("t", 0, 9, 15))).isFalse();
        assertThat(wide.covers(new SnapshotFileName("t", 1, 12, 15))).isFalse();
    }

    @Test
    void datesAreUtcAndDirectoriesParse() {
        long justBeforeMidnight = Instant.parse("2026-10-01T23:59:59.999Z").toEpochMilli();
        assertThat(Layout.date(justBeforeMidnight)).isEqualTo(LocalDate.of(2026, 10, 1));
        assertThat(Layout.date(justBeforeMidnight + 1)).isEqualTo(LocalDate.of(2026, 10, 2));
        assertThat(Layout.date(-1)).isEqualTo(LocalDate.of(1969, 12, 31));
        assertThat(Layout.endOf(LocalDate.of(2026, 10, 1))).isEqualTo(justBeforeMidnight);
        assertThat(Layout.file("user_txn", LocalDate.of(2026, 10, 1), new SnapshotFileName("t", 0, 1, 2)))
                .isEqualTo("user_txn/date=2026-10-01/t+0+1+2.parquet");
        assertThat(Layout.parseDateDir("date=2026-10-01")).contains(LocalDate.of(2026, 10, 1));
        assertThat(Layout.parseDateDir("date=2026-13-01")).isEmpty();
        assertThat(Layout.parseDateDir("_tmp")).isEmpty();
    }

    @Test
    void timeCoverageNeverMissesATimeItHolds() {
        Random random = new Random(7);
        TimeCoverage.Builder builder = new TimeCoverage.Builder();
        long[] times = new long[3_000_000];
        for (int i = 0; i < times.length; i++) {
            times[i] = 1_700_000_000_000L + random.nextInt(1_000_000_000);
            builder.add(times[i]);
        }
        TimeCoverage coverage = builder.build();
        for (int i = 0; i < 10_000; i++) {
            long t = times[random.nextInt(times.length)];
            assertThat(coverage.anyIn(t, t)).isTrue();
            assertThat(coverage.anyIn(t - random.nextInt(1000), t + random.nextInt(1000)))
                    .isTrue();
        }
        assertThat(coverage.anyIn(coverage.min() - 100, coverage.min() - 1)).isFalse();
        assertThat(coverage.anyIn(coverage.max() + 1, Long.MAX_VALUE)).isFalse();
    }

    @Test
    void keyFilterHasNoFalseNegativesAndFewFalsePositives() {
        KeyFilter filter = new KeyFilter(16);
        for (int i = 0; i < 200_000; i++) {
            filter.add("user-" + i);
        }
        for (int i = 0; i < 200_000; i++) {
            assertThat(filter.mightContain("user-" + i)).isTrue();
        }
        long falsePositives = 0;
        for (int i = 0; i < 100_000; i++) {
            if (filter.mightContain("other-" + i)) {
                falsePositives++;
            }
        }
        assertThat(falsePositives).isLessThan(3_000);
    }
}
