package io.fathom.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code fathom} command. Each subcommand is a class of its own, listed in {@code subcommands}
 * below; add one there to add a command. Exit codes: 0 success, 1 the command ran and found a
 * problem (e.g. an invalid definitions file), 2 bad usage or unreadable input.
 */
@Command(
        name = "fathom",
        // every subcommand inherits --help and --version
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        version = "fathom 0.1.0-SNAPSHOT",
        description = "A streaming feature store with drift and bias monitoring.",
        subcommands = {
            ValidateCommand.class,
            DemoCommand.class,
            RunCommand.class,
            TrainingSetCommand.class,
            BackfillCommand.class,
            OfflineCommand.class,
            BaselineCommand.class,
            DriftCommand.class,
            VerifyConsistencyCommand.class,
            HelpCommand.class
        })
public final class FathomCli implements Runnable {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new FathomCli()).execute(args));
    }

    /** Without a subcommand there is nothing to do: a usage error, which prints the usage. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand");
    }
}
