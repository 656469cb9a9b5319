package io.fathom.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fathom.schemas.Examples;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ValidateCommandTest {
    static final Path EXAMPLES = Examples.directory();

    record Run(int exitCode, String out, String err) {}

    /** Runs {@code fathom args...} in-process, capturing what it prints. */
    static Run fathom(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new FathomCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exitCode = cli.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void theExampleIsValid() {
        Run run = fathom("validate", EXAMPLES.resolve("fathom.yaml").toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().strip()).isEqualTo("OK: 2 entities, 1 sources, 2 views, 2 monitors");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void theJsonExampleIsValid() {
        Run run = fathom("validate", EXAMPLES.resolve("fathom-json.yaml").toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("OK: ");
    }

    /** A JSON source whose views need ts, user_id and amount, with a history dataset at {@code history}. */
    private static final String WITH_HISTORY =
            """
            entities:
              - {name: user, keys: [user_id]}
            sources:
              - {name: clicks, topic: clicks, format: json, timestamp: ts, history: %s}
            views:
              - name: user_amount
                entity: user
                source: clicks
                granularity: 1m
                ttl: 1d
                features:
                  - {name: amount_sum_1h, aggregation: sum, field: amount, window: 1h}
            """;

    @Test
    void aHistoryFileWithoutAColumnAViewNeedsIsReportedWithTheColumnAndTheView(@TempDir Path directory)
            throws IOException {
        Path history = directory.resolve("history");
        Path good = parquet(history.resolve("date=2026-10-02/part-0.parquet"), "user_id", "amount", "ts");
        Path lacking = parquet(history.resolve("date=2026-10-01/part-0.parquet"), "user_id", "ts");
        parquet(history.resolve("_tmp/part-9.parquet"), "nothing"); // hidden, as Hive and Spark skip it
        Files.writeString(history.resolve("_SUCCESS"), "");
        Path file = Files.writeString(directory.resolve("f.yaml"), WITH_HISTORY.formatted("history"));

        Run run = fathom("validate", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines())
                .containsExactly(
                        "sources[0].history: 1 of 2 Parquet files lack column amount (needed by view user_amount),"
                                + " e.g. " + lacking,
                        file + ": 1 problem");

        Files.delete(lacking);
        // a Hive partition directory is a column of the files below it
        parquet(history.resolve("amount=3/part-1.parquet"), "user_id", "ts");
        assertThat(fathom("validate", file.toString()).exitCode()).isZero();
        assertThat(good).exists();
    }

    @Test
    void aLocalHistoryMustExistAndHoldParquetFiles(@TempDir Path directory) throws IOException {
        Path file = Files.writeString(directory.resolve("f.yaml"), WITH_HISTORY.formatted("exports/clicks"));

        assertThat(fathom("validate", file.toString()).err().lines())
                .first()
                .isEqualTo("sources[0].history: " + directory.resolve("exports/clicks") + " does not exist");

        Files.createDirectories(directory.resolve("exports/clicks"));
        Files.writeString(directory.resolve("exports/clicks/notes.txt"), "not Parquet");
        assertThat(fathom("validate", file.toString()).err().lines())
                .first()
                .asString()
                .startsWith("sources[0].history: " + directory.resolve("exports/clicks/notes.txt")
                        + " is not a readable Parquet file: ");

        Path remote = Files.writeString(
                directory.resolve("remote.yaml"), WITH_HISTORY.formatted("hdfs://namenode:8020/warehouse/clicks"));
        assertThat(fathom("validate", remote.toString()).exitCode()).isZero(); // syntax only: not reachable here
    }

    /** A Parquet file of nullable long columns with one row. */
    private static Path parquet(Path path, String... columns) throws IOException {
        Files.createDirectories(path.getParent());
        SchemaBuilder.FieldAssembler<Schema> fields =
                SchemaBuilder.record("Row").fields();
        for (String column : columns) {
            fields = fields.optionalLong(column);
        }
        Schema schema = fields.endRecord();
        try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(path))
                .withConf(new PlainParquetConfiguration())
                .withSchema(schema)
                .build()) {
            GenericData.Record row = new GenericData.Record(schema);
            for (String column : columns) {
                row.put(column, 1L);
            }
            writer.write(row);
        }
        return path;
    }

    @Test
    void aBrokenFileListsEveryProblemWithItsPathOnStderr() {
        Path broken = EXAMPLES.resolve("broken.yaml");

        Run run = fathom("validate", broken.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines())
                .hasSize(39)
                .contains(
                        "entities[1].name: duplicate entity name \"user\" (first declared at entities[0])",
                        "views[0].features[0].window: \"1hr\" is not a duration"
                                + " (use e.g. 500ms, 30s, 15m, 1h, 7d or ISO-8601 PT1H)",
                        "views[0].features[1].windw: unknown key (did you mean \"window\"?)",
                        "monitors[3]: a monitor needs either view (a drift monitor) or model (a bias monitor)")
                .last()
                .isEqualTo(broken + ": 38 problems");
    }

    @Test
    void eachProblemIsOneLineFollowedByTheCount(@TempDir Path directory) throws IOException {
        Path file = Files.writeString(directory.resolve("f.yaml"), "entities: []\nsources: []\nviews: []\nwat: 1\n");

        Run run = fathom("validate", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines())
                .containsExactly(
                        "entities: must not be empty",
                        "sources: must not be empty",
                        "views: must not be empty",
                        "wat: unknown key (expected one of entities, sources, views, monitors)",
                        file + ": 4 problems");
    }

    @Test
    void aMissingFileExitsWithTwo(@TempDir Path directory) {
        Path missing = directory.resolve("nope.yaml");

        Run run = fathom("validate", missing.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("fathom validate: " + missing + ": no such file" + System.lineSeparator());
    }

    @Test
    void aDirectoryIsNotAFile(@TempDir Path directory) {
        Run run = fathom("validate", directory.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("not a regular file");
    }

    @Test
    void withoutAFileItIsAUsageError() {
        Run run = fathom("validate");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required parameter: 'FILE'").contains("Usage: fathom validate");
    }

    @Test
    void fathomAloneShowsTheUsageWithItsSubcommands() {
        Run run = fathom();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing subcommand").contains("validate");
        assertThat(fathom("--help").out()).contains("Usage: fathom").contains("validate");
    }
}
