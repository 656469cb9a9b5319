package io.fathom.offline.internal;

import io.fathom.offline.EntityRow;
import io.fathom.offline.TrainingRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects the joined rows in memory, beside the entity rows they came from. */
public final class ListSink implements TrainingSetSink {
    private final List<EntityRow> rows;
    private final List<String> featureColumns;
    private final List<String> views;
    private final List<TrainingRow> result;

    /** Rows of the given feature columns, and of the snapshots used for the views, in request order. */
    public ListSink(List<EntityRow> rows, List<String> featureColumns, List<String> views) {
        this.rows = rows;
        this.featureColumns = featureColumns;
        this.views = views;
        this.result = new ArrayList<>(rows.size());
    }

    @Override
    public void write(long rowIndex, Object[] inputValues, Object[] featureValues, long[] snapshotEventTs) {
        Map<String, Object> features = new LinkedHashMap<>();
        for (int i = 0; i < featureValues.length; i++) {
            features.put(featureColumns.get(i), featureValues[i]);
        }
        Map<String, Long> snapshots = new LinkedHashMap<>();
        for (int v = 0; v < snapshotEventTs.length; v++) {
            if (snapshotEventTs[v] != NO_SNAPSHOT) {
                snapshots.put(views.get(v), snapshotEventTs[v]);
            }
        }
        result.add(new TrainingRow(rows.get((int) rowIndex), features, snapshots));
    }

    @Override
    public void commit() {}

    @Override
    public void close() {}

    public List<TrainingRow> rows() {
        return List.copyOf(result);
    }
}
