package io.fathom.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.fathom.schemas.avro.FeatureSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Earlier versions of {@code FeatureSnapshot.avsc}, kept in {@code src/test/resources/avro-history}: the snapshot
 * topics keep every snapshot ever written, so today's readers must read what each of them wrote.
 *
 * <ul>
 *   <li>{@code FeatureSnapshot-1.avsc}: before {@code version}.
 * </ul>
 */
final class FeatureSnapshotHistory {
    private FeatureSnapshotHistory() {}

    static Schema version(int number) {
        String file = "/avro-history/FeatureSnapshot-" + number + ".avsc";
        try (InputStream in = FeatureSnapshotHistory.class.getResourceAsStream(file)) {
            assertThat(in).as(file).isNotNull();
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code record} in Avro binary, as a writer of {@code schema} wrote it. */
    static byte[] write(Schema schema, GenericRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** What Avro's schema resolution reads from bytes a writer of {@code writer} wrote, as today's snapshot. */
    static FeatureSnapshot read(Schema writer, byte[] bytes) {
        try {
            return new SpecificDatumReader<FeatureSnapshot>(writer, FeatureSnapshot.getClassSchema())
                    .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
