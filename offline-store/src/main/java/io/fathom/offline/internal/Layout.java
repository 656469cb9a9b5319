package io.fathom.offline.internal;

import java.time.LocalDate;
import java.util.Optional;

/**
 * Where things are under the store's root. Two kinds of dataset, laid out alike, each in a directory of
 * its own: a view's snapshots in {@code <view>} ({@link #viewDir}), a source's event history in
 * {@code _events/<source>} ({@link #eventsDir}).
 *
 * <pre>
 * &lt;dataset&gt;/date=YYYY-MM-DD/&lt;topic&gt;+&lt;partition&gt;+&lt;startOffset&gt;+&lt;endOffset&gt;.parquet   committed files
 * &lt;dataset&gt;/_tmp/&lt;topic&gt;+&lt;partition&gt;+&lt;startOffset&gt;.&lt;uuid&gt;.tmp                       files being written
 * </pre>
 *
 * The date is the UTC date of the rows' event time ({@code event_ts} of a snapshot, {@code _event_ts} of
 * an event). Readers of Hive-partitioned data (Spark, Trino, DuckDB) skip directories starting with
 * {@code _}, so the event history is invisible to a reader of {@code <root>/**}: it has its own root.
 * The methods below that take a {@code dataset} take either directory.
 */
public final class Layout {
    public static final String DATE_PREFIX = "date=";
    public static final String TMP_DIR = "_tmp";
    public static final String TMP_SUFFIX = ".tmp";
    /** The directory of the event history, beside the views' (no view may have this name). */
    public static final String EVENTS_DIR = "_events";

    private static final long DAY_MILLIS = 86_400_000L;

    private Layout() {}

    /** The dataset directory of a view's snapshots. */
    public static String viewDir(String view) {
        return view;
    }

    /** The dataset directory of a source's archived events. */
    public static String eventsDir(String source) {
        return EVENTS_DIR + "/" + source;
    }

    public static String dateDir(String dataset, LocalDate date) {
        return dataset + "/" + DATE_PREFIX + date;
    }

    public static String file(String dataset, LocalDate date, SnapshotFileName name) {
        return dateDir(dataset, date) + "/" + name.fileName();
    }

    public static String tmpDir(String dataset) {
        return dataset + "/" + TMP_DIR;
    }

    /**
     * The name, in a local directory, of a temporary file staged for upload ({@code tmpName} as in
     * {@link #tmpDir}): flat, so the dataset's {@code /} becomes {@code .} (names of views and sources
     * hold no dot).
     */
    public static String localTmpName(String dataset, String tmpName) {
        return "fathom-" + dataset.replace('/', '.') + "-" + tmpName;
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
