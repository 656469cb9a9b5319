package io.fathom.app.demo;

import io.fathom.schemas.SourceDefinition;
import java.util.List;
import org.apache.avro.Schema;

/** The demo generator writes transactions: the source must be Avro with the example's fields. */
public final class TransactionSchema {
    private static final List<String> FIELDS =
            List.of("user_id", "merchant_id", "merchant", "amount", "country", "event_time");

    private TransactionSchema() {}

    public static Schema of(SourceDefinition source) {
        Schema schema = source.schema()
                .orElseThrow(() ->
                        new IllegalArgumentException("the demo generator needs an Avro source with a schema; source "
                                + source.name() + " has none (give --events FILE.jsonl to replay your own events)"));
        List<String> missing =
                FIELDS.stream().filter(f -> schema.getField(f) == null).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the demo generator writes " + FIELDS + "; source " + source.name()
                    + "'s schema lacks " + missing + " (give --events FILE.jsonl to replay your own events)");
        }
        return schema;
    }
}
