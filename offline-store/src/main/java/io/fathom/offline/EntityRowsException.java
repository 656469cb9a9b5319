package io.fathom.offline;

import java.util.OptionalLong;

/**
 * The entity rows of a training-set request are unusable: a key or timestamp column is missing, or a
 * row holds an empty key or an unparseable timestamp. The message names the source, the row (1-based,
 * header not counted) and the column.
 */
public final class EntityRowsException extends OfflineException {
    private final long row;
    private final String column;

    public EntityRowsException(String message, long row, String column, Throwable cause) {
        super(message, cause);
        this.row = row;
        this.column = column;
    }

    /** The 1-based data row at fault, or empty when the problem is in the header or schema. */
    public OptionalLong row() {
        return row > 0 ? OptionalLong.of(row) : OptionalLong.empty();
    }

    /** The column at fault. */
    public String column() {
        return column;
    }
}
