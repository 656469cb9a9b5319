package io.fathom.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.fathom.schemas.avro.DriftHistogram;
import io.fathom.schemas.avro.DriftReport;
import io.fathom.schemas.avro.DriftVerdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

/**
 * {@code fathom.drift.reports} keeps its records forever, and readers outside Fathom decode them: its
 * schema changes only on purpose, and only compatibly with every earlier version (kept in
 * {@code src/test/resources/avro-history}).
 */
class DriftReportSchemaTest {
    /** {@code SchemaNormalization.parsingFingerprint64} of the current DriftReport schema. */
    private static final long FINGERPRINT = 0xd6dbffcdc33f2ebL;

    private static final List<String> HISTORY = List.of("DriftReport-1.avsc");

    @Test
    void theSchemaChangesOnlyOnPurpose() {
        long fingerprint = SchemaNormalization.parsingFingerprint64(DriftReport.getClassSchema());
        assertThat(fingerprint)
                .as(
                        "DriftReport.avsc changed: keep it compatible (add fields with defaults), copy the previous"
                                + " version to src/test/resources/avro-history/DriftReport-%d.avsc and add it to"
                                + " HISTORY, then set FINGERPRINT to 0x%xL",
                        HISTORY.size() + 1, fingerprint)
                .isEqualTo(FINGERPRINT);
    }

    @Test
    void everyEarlierVersionReadsAndIsReadByTheCurrentOne() throws IOException {
        Schema current = DriftReport.getClassSchema();
        for (String file : HISTORY) {
            Schema earlier = history(file);
            assertThat(compatibility(current, earlier))
                    .as("current reads " + file)
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
            assertThat(compatibility(earlier, current))
                    .as(file + " reads current")
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        }
    }

    @Test
    void aReportWrittenBeforeTheHistogramReadsWithoutOne() throws IOException {
        Schema first = history("DriftReport-1.avsc");
        GenericRecord old = new GenericData.Record(first);
        old.put("view", "user_txn");
        old.put("feature", "amount");
        old.put("method", "psi");
        old.put("window_start", 0L);
        old.put("window_end", 60_000L);
        old.put("n", 10L);
        old.put("nulls", 0L);
        old.put("verdict", new GenericData.EnumSymbol(first.getField("verdict").schema(), "OK"));
        old.put("threshold", 0.2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(first).write(old, encoder);
        encoder.flush();

        DriftReport read = new SpecificDatumReader<DriftReport>(first, DriftReport.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));

        assertThat(read.getFeature()).isEqualTo("amount");
        assertThat(read.getVerdict()).isEqualTo(DriftVerdict.OK);
        assertThat(read.getHistogram()).isNull();
    }

    @Test
    void aHistogramRoundTrips() {
        AvroCodec<DriftReport> codec = AvroCodec.of(DriftReport.getClassSchema());
        DriftReport report = DriftReport.newBuilder()
                .setView("user_txn")
                .setFeature("amount")
                .setMethod("psi")
                .setWindowStart(0)
                .setWindowEnd(60_000)
                .setN(6)
                .setNulls(1)
                .setVerdict(DriftVerdict.OK)
                .setThreshold(0.2)
                .setHistogram(DriftHistogram.newBuilder()
                        .setNumeric(true)
                        .setInnerEdges(List.of(1.5))
                        .setCategories(List.of())
                        .setReferenceCounts(List.of(4L, 4L))
                        .setCurrentCounts(List.of(1L, 5L))
                        .build())
                .build();

        assertThat(codec.decode(codec.encode(report))).isEqualTo(report);
    }

    private static SchemaCompatibilityType compatibility(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
                .getType();
    }

    private static Schema history(String file) throws IOException {
        try (InputStream in = DriftReportSchemaTest.class.getResourceAsStream("/avro-history/" + file)) {
            assertThat(in).as(file).isNotNull();
            return new Schema.Parser().parse(in);
        }
    }
}
