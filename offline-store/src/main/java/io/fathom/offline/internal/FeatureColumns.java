package io.fathom.offline.internal;

import io.fathom.schemas.FeatureDefinition;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.SourceDefinition;
import io.fathom.schemas.ViewDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The column type of each feature of a view, decided by its aggregation: {@code count} and {@code
 * count_distinct} are longs; {@code sum}, {@code mean}, {@code min}, {@code max} and {@code stddev} are
 * doubles; {@code first} and {@code last} take the type of their event field in the source's Avro schema
 * (int and long: long; float and double: double; boolean; string and enum: string), and are strings when
 * the source declares no schema (JSON without one), since their values' type is not known in advance.
 */
public final class FeatureColumns {
    /** One feature and its column type. */
    public record Column(String feature, ColumnType type) {}

    private FeatureColumns() {}

    public static List<Column> of(FeatureDefinitions definitions, ViewDefinition view) {
        Optional<Schema> schema = definitions.source(view.source()).flatMap(SourceDefinition::schema);
        List<Column> columns = new ArrayList<>(view.features().size());
        for (FeatureDefinition feature : view.features()) {
            columns.add(new Column(feature.name(), typeOf(feature, schema)));
        }
        return List.copyOf(columns);
    }

    static ColumnType typeOf(FeatureDefinition feature, Optional<Schema> source) {
        return switch (feature.aggregation()) {
            case COUNT, COUNT_DISTINCT -> ColumnType.LONG;
            case SUM, MEAN, MIN, MAX, STDDEV -> ColumnType.DOUBLE;
            case FIRST, LAST -> source.flatMap(s -> feature.field().map(s::getField))
                    .map(field -> fromAvro(field.schema()))
                    .orElse(ColumnType.STRING);
        };
    }

    private static ColumnType fromAvro(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            List<Schema> branches = schema.getTypes().stream()
                    .filter(s -> s.getType() != Schema.Type.NULL)
                    .toList();
            return branches.size() == 1 ? fromAvro(branches.get(0)) : ColumnType.STRING;
        }
        return switch (schema.getType()) {
            case INT, LONG -> ColumnType.LONG;
            case FLOAT, DOUBLE -> ColumnType.DOUBLE;
            case BOOLEAN -> ColumnType.BOOLEAN;
            default -> ColumnType.STRING;
        };
    }
}
