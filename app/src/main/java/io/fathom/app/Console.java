package io.fathom.app;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command's console (a picocli mixin): the output and error writers of the command line that runs it, and the
 * one way the commands report what went wrong: each problem on a line of its own on the error writer, then the
 * command's exit code. ({@code @Command} without attributes: picocli takes a class as a mixin only if it is
 * annotated, and this one has no option.)
 */
@Command
final class Console {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    PrintWriter out() {
        return command.commandLine().getOut();
    }

    PrintWriter err() {
        return command.commandLine().getErr();
    }

    /** Whether the command line names {@code option} (not only its default). */
    boolean given(String option) {
        return command.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** Reports one problem; returns {@code exitCode}. */
    int fail(int exitCode, String problem) {
        return fail(exitCode, List.of(problem));
    }

    /** Reports each problem on a line of its own; returns {@code exitCode}. */
    int fail(int exitCode, List<String> problems) {
        PrintWriter err = err();
        problems.forEach(err::println);
        err.flush();
        return exitCode;
    }
}
