package io.tlsxtractor.ingest;

/** An input as a whole cannot be read: missing, unreadable, not UTF-8 text, or binary. */
public final class TargetInputException extends RuntimeException {

    public TargetInputException(String message) {
        super(message);
    }

    public TargetInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
