package io.tlsxtractor.command;

/** The exit codes of the 1.x command, which scripts test for; v2 keeps them. */
public final class ExitCodes {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** Bad arguments (with an {@code Error: …} line on stderr) or a fatal error. */
    public static final int ERROR = 1;
    /** Interrupted (Ctrl-C), as a shell reports SIGINT. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
