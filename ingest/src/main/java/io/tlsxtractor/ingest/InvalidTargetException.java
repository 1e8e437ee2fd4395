package io.tlsxtractor.ingest;

/** A piece of text is not a target; the message says why. Carries no stack trace: it is an expected outcome. */
public final class InvalidTargetException extends Exception {

    public InvalidTargetException(String reason) {
        super(reason, null, false, false);
    }
}
