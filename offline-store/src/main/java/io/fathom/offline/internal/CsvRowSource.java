package io.fathom.offline.internal;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.fathom.offline.EntityRowsException;
import io.fathom.offline.OfflineException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/** Entity rows from a CSV file with a header row (RFC 4180 quoting); every value is a string. */
record CsvRowSource(Path path, List<String> columns) implements EntityRowSource {
    private static final CsvMapper CSV =
            CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

    static CsvRowSource open(Path path) {
        try (MappingIterator<String[]> rows = iterator(path)) {
            if (!rows.hasNext()) {
                throw new EntityRowsException(
                        "entity rows file " + path + " is empty (expected a header row)", 0, "", null);
            }
            String[] header = rows.next();
            if (header.length > 0 && header[0].startsWith("\uFEFF")) {
                header[0] = header[0].substring(1);
            }
            Set<String> seen = new HashSet<>();
            for (String column : header) {
                if (!seen.add(column)) {
                    throw new EntityRowsException(
                            "entity rows file " + path + ": column \"" + column + "\" appears twice in the header",
                            0,
                            column,
                            null);
                }
            }
            return new CsvRowSource(path, List.of(header));
        } catch (IOException | RuntimeException e) {
            if (e instanceof OfflineException offline) {
                throw offline;
            }
            throw new OfflineException("cannot read entity rows file " + path + ": " + e.getMessage(), e);
        }
    }

    private static MappingIterator<String[]> iterator(Path path) throws IOException {
        Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8);
        return CSV.readerFor(String[].class).readValues(reader);
    }

    @Override
    public String describe() {
        return "entity rows file " + path;
    }

    @Override
    public Schema columnSchema(int column) {
        Schema string = Schema.create(Schema.Type.STRING);
        string.addProp(GenericData.STRING_PROP, GenericData.StringType.String.name());
        return EntityRowSource.nullable(string);
    }

    @Override
    public Cursor open() throws IOException {
        MappingIterator<String[]> rows = iterator(path);
        rows.next(); // header
        return new Cursor() {
            private String[] current;
            private long row;

            @Override
            public boolean next() throws IOException {
                try {
                    if (!rows.hasNextValue()) {
                        return false;
                    }
                    current = rows.nextValue();
                } catch (RuntimeException e) {
                    throw new EntityRowsException(
                            describe() + ", row " + (row + 1) + ": not valid CSV: " + e.getMessage(), row + 1, "", e);
                }
                row++;
                if (current.length == 1 && current[0].isEmpty() && columns.size() > 1) {
                    return next(); // a blank line
                }
                if (current.length > columns.size()) {
                    throw new EntityRowsException(
                            describe() + ", row " + row + ": " + current.length + " values, but the header has "
                                    + columns.size() + " columns",
                            row,
                            "",
                            null);
                }
                if (current.length < columns.size()) {
                    current = Arrays.copyOf(current, columns.size());
                }
                return true;
            }

            @Override
            public Object get(int column) {
                return current[column];
            }

            @Override
            public void close() throws IOException {
                rows.close();
            }
        };
    }
}
