package io.fathom.offline.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A training set as CSV (RFC 4180): a header, then one line per row; null is an empty field, doubles are
 * written as Java prints them (shortest text that reads back to the same double), bytes in base64.
 * Written to a hidden temporary file beside the output and moved into place by {@link #commit}.
 */
final class CsvSink implements TrainingSetSink {
    private final AtomicOutput file;
    private final Writer writer;

    CsvSink(Path output, List<String> inputColumns, List<String> featureColumns) throws IOException {
        this.file = new AtomicOutput(output);
        this.writer = new BufferedWriter(Files.newBufferedWriter(file.temporary(), StandardCharsets.UTF_8), 1 << 16);
        List<String> header = new ArrayList<>(inputColumns);
        header.addAll(featureColumns);
        for (int i = 0; i < header.size(); i++) {
            if (i > 0) {
                writer.write(',');
            }
            writeField(header.get(i));
        }
        writer.write('\n');
    }

    @Override
    public void write(long rowIndex, Object[] inputValues, Object[] featureValues, long[] snapshotEventTs)
            throws IOException {
        for (int i = 0; i < inputValues.length; i++) {
            if (i > 0) {
                writer.write(',');
            }
            writeValue(inputValues[i]);
        }
        for (Object value : featureValues) {
            writer.write(',');
            writeValue(value);
        }
        writer.write('\n');
    }

    private void writeValue(Object value) throws IOException {
        if (value == null) {
            return;
        }
        if (value instanceof ByteBuffer bytes) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.duplicate().get(copy);
            writeField(Base64.getEncoder().encodeToString(copy));
        } else {
            writeField(value.toString());
        }
    }

    private void writeField(String text) throws IOException {
        boolean quote = false;
        for (int i = 0; i < text.length() && !quote; i++) {
            char c = text.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            writer.write(text);
            return;
        }
        writer.write('"');
        writer.write(text.replace("\"", "\"\""));
        writer.write('"');
    }

    @Override
    public void commit() throws IOException {
        writer.close();
        file.commit();
    }

    @Override
    public void close() throws IOException {
        try (file) {
            writer.close(); // a no-op after commit
        }
    }
}
