package io.fathom.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/** What the tests of the hand-written codecs ({@link EntityStateCodec}, {@link SnapshotCodec}) share. */
final class CodecChecks {
    private CodecChecks() {}

    /** Writes Avro binary by hand. */
    interface AvroWrites {
        void write(BinaryEncoder out) throws IOException;
    }

    /** The bytes {@code writes} writes. */
    static byte[] avroBytes(AvroWrites writes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder out = EncoderFactory.get().directBinaryEncoder(bytes, null);
        try {
            writes.write(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Asserts that a codec was written for {@code schema}: its parsing fingerprint is {@code codecFingerprint}.
     * {@code howToUpdate} says what to change when it is not, with a {@code %x} for the new fingerprint.
     */
    static void assertWrittenFor(Schema schema, long codecFingerprint, String howToUpdate) {
        long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        assertThat(fingerprint).as(howToUpdate, fingerprint).isEqualTo(codecFingerprint);
    }

    /** Asserts that {@code decode} rejects every proper prefix of {@code bytes} as a truncated {@code record}. */
    static void assertEveryTruncationRejected(byte[] bytes, Consumer<byte[]> decode, String record) {
        for (int length = 0; length < bytes.length; length++) {
            byte[] prefix = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> decode.accept(prefix))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("truncated " + record + ": the input ends after " + length + " bytes");
        }
    }

    /**
     * Field by field, with {@code Double.compare} for doubles (NaN is NaN, -0.0 is not 0.0): the generated
     * {@code equals} compares primitive doubles with {@code !=}, so a record holding a NaN is not even equal
     * to itself.
     */
    static void assertSameFields(Object actual, Object expected) {
        assertThat(actual)
                .usingRecursiveComparison()
                .withComparatorForType(Double::compare, Double.class)
                .isEqualTo(expected);
    }
}
