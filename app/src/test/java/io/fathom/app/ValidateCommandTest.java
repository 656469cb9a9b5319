package io.fathom.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fathom.schemas.Examples;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
