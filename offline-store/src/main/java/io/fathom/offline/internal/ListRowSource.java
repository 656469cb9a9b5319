package io.fathom.offline.internal;

import io.fathom.offline.EntityRow;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/** Entity rows given in memory: the key columns asked for, then the timestamp. */
public final class ListRowSource implements EntityRowSource {
    private final List<EntityRow> rows;
    private final List<String> columns;

    public ListRowSource(List<EntityRow> rows, List<String> keyColumns, String timestampColumn) {
        this.rows = List.copyOf(rows);
        List<String> all = new ArrayList<>(keyColumns);
        all.add(timestampColumn);
        this.columns = List.copyOf(all);
    }

    @Override
    public String describe() {
        return "entity rows";
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public Schema columnSchema(int column) {
        return EntityRowSource.nullable(Schema.create(Schema.Type.STRING));
    }

    @Override
    public Cursor open() {
        return new Cursor() {
            private int index = -1;

            @Override
            public boolean next() {
                return ++index < rows.size();
            }

            @Override
            public Object get(int column) {
                EntityRow row = rows.get(index);
                return column == columns.size() - 1
                        ? (Object) row.timestampMillis()
                        : row.keys().get(columns.get(column));
            }

            @Override
            public void close() {}
        };
    }
}
