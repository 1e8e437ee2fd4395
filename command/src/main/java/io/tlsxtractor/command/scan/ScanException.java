package io.tlsxtractor.command.scan;

/** A scan that cannot run or finish, with the one line the user reads after {@code Error: } (exit code 1). */
public final class ScanException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ScanException(String message) {
        super(message);
    }

    public ScanException(String message, Throwable cause) {
        super(message, cause);
    }
}
