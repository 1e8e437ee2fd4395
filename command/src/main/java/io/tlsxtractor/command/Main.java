package io.tlsxtractor.command;

import io.tlsxtractor.command.scan.BrokerHeadStart;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/** Entry point of the shaded jar: wires picocli's error handling to the 1.x messages and exit codes, then runs. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // First of all, before logging and the command line are set up: a scan on the embedded pipeline gets its
        // broker's JVM started now, side by side with this one's set-up (see BrokerHeadStart).
        BrokerHeadStart.begin(args, System.getenv());
        int exitCode;
        try {
            exitCode = run(args);
        } finally {
            BrokerHeadStart.discardUnclaimed();
        }
        System.exit(exitCode);
    }

    /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return newCommandLine().execute(args);
    }

    /** The configured command line, with the 1.x error contract: {@code Error: …} on stderr and exit code 1. */
    public static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new TlsxtractorCommand());
        cli.setParameterExceptionHandler(BAD_ARGUMENTS);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("Error: " + CliErrors.describe(e));
            return ExitCodes.ERROR;
        });
        cli.setExitCodeExceptionMapper(e -> ExitCodes.ERROR);
        return cli;
    }

    private static final IParameterExceptionHandler BAD_ARGUMENTS = (ParameterException e, String[] args) -> {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("Error: " + e.getMessage());
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
        return ExitCodes.ERROR;
    };
}
