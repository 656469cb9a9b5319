package io.fathom.offline.internal;

import io.fathom.offline.OfflineException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Where the joined rows go, one at a time and in input order: the entity row's own values, then the
 * feature values. {@link #commit} finishes the output; {@link #close} without a commit discards it.
 */
public interface TrainingSetSink extends Closeable {
    /** In {@code snapshotEventTs}: no snapshot qualified for the view. */
    long NO_SNAPSHOT = Long.MIN_VALUE;

    /**
     * One row.
     *
     * @param snapshotEventTs per requested view, the {@code event_ts} of the snapshot the values come from,
     *     or {@link #NO_SNAPSHOT}
     */
    void write(long rowIndex, Object[] inputValues, Object[] featureValues, long[] snapshotEventTs) throws IOException;

    void commit() throws IOException;

    /** A {@code .parquet} or {@code .csv} file, chosen by the name's extension. */
    static TrainingSetSink file(
            Path output, EntityRowSource source, List<String> featureColumns, List<ColumnType> featureTypes)
            throws IOException {
        String name = output.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".parquet")) {
            return new ParquetSink(output, source, featureColumns, featureTypes);
        }
        if (name.endsWith(".csv")) {
            return new CsvSink(output, source.columns(), featureColumns);
        }
        throw new OfflineException("training set output " + output + ": expected a .parquet or .csv file");
    }
}
