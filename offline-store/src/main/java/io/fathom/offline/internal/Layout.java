package io.fathom.offline.internal;

import java.time.LocalDate;
import java.util.Optional;

/**
 * Where things are under the store's root:
 *
 * <pre>
 * &lt;view&gt;/date=YYYY-MM-DD/&lt;topic&gt;+&lt;partition&gt;+&lt;startOffset&gt;+&lt;endOffset&gt;.parquet   committed files
 * &lt;view&gt;/_tmp/&lt;topic&gt;+&lt;partition&gt;+&lt;startOffset&gt;.&lt;uuid&gt;.tmp                       files being written
 * </pre>
 *
 * The date is the UTC date of the rows' {@code event_ts}. Readers of Hive-partitioned data (Spark,
 * Trino, DuckDB) skip directories starting with {@code _}.
 */
public final class Layout {
    public static final String DATE_PREFIX = "date=";
    public static final String TMP_DIR = "_tmp";
    public static final String TMP_SUFFIX = ".tmp";
    private static final long DAY_MILLIS = 86_400_000L;

    private Layout() {}

    public static String viewDir(String view) {
        return view;
    }

    public static String dateDir(String view, LocalDate date) {
        return view + "/" + DATE_PREFIX + date;
    }

    public static String file(String view, LocalDate date, SnapshotFileName name) {
        return dateDir(view, date) + "/" + name.fileName();
    }

    public static String tmpDir(String view) {
        return view + "/" + TMP_DIR;
    }

    /** The prefix of the temporary files of one partition, inside {@link #tmpDir}. */
    public static String tmpPrefix(String topic, int partition) {
        return topic + "+" + partition + "+";
    }

    /** The UTC date of epoch millis. */
    public static LocalDate date(long epochMillis) {
        return LocalDate.ofEpochDay(Math.floorDiv(epochMillis, DAY_MILLIS));
    }

    /** Epoch millis of the first millisecond of a UTC date. */
    public static long startOf(LocalDate date) {
        return date.toEpochDay() * DAY_MILLIS;
    }

    /** Epoch millis of the last millisecond of a UTC date. */
    public static long endOf(LocalDate date) {
        return startOf(date) + DAY_MILLIS - 1;
    }

    /** The date of a {@code date=YYYY-MM-DD} directory name, or empty for anything else. */
    public static Optional<LocalDate> parseDateDir(String name) {
        if (!name.startsWith(DATE_PREFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(name.substring(DATE_PREFIX.length())));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
