package io.fathom.offline.internal;

import org.apache.avro.Schema;

/** The Parquet (Avro) type of a feature column, and the conversion of a feature value to it. */
public enum ColumnType {
    LONG(Schema.Type.LONG),
    DOUBLE(Schema.Type.DOUBLE),
    STRING(Schema.Type.STRING),
    BOOLEAN(Schema.Type.BOOLEAN);

    private final Schema.Type avroType;

    ColumnType(Schema.Type avroType) {
        this.avroType = avroType;
    }

    /** The nullable Avro schema of the column: {@code ["null", type]}. */
    public Schema nullableSchema() {
        return Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(avroType));
    }

    /**
     * A feature value (as {@code TileAggregator} returns it: {@code Long}, {@code Double}, {@code String},
     * {@code Boolean} or null) in this column's type.
     *
     * @throws IllegalArgumentException when the value cannot be held by the column
     */
    public Object convert(Object value) {
        if (value == null) {
            return null;
        }
        return switch (this) {
            case LONG -> {
                if (value instanceof Long || value instanceof Integer) {
                    yield ((Number) value).longValue();
                }
                if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
                    yield d.longValue();
                }
                throw mismatch(value);
            }
            case DOUBLE -> {
                if (value instanceof Number number) {
                    yield number.doubleValue();
                }
                throw mismatch(value);
            }
            case STRING -> value instanceof CharSequence text ? text.toString() : String.valueOf(value);
            case BOOLEAN -> {
                if (value instanceof Boolean) {
                    yield value;
                }
                throw mismatch(value);
            }
        };
    }

    private IllegalArgumentException mismatch(Object value) {
        return new IllegalArgumentException("a " + value.getClass().getSimpleName() + " (" + value + ") does not fit a "
                + name().toLowerCase(java.util.Locale.ROOT) + " column");
    }
}
