package io.tlsxtractor.config.internal;

/** A raw value that cannot be read as its key's type; the message says what was expected and got. */
public final class InvalidValueException extends Exception {

    public InvalidValueException(String message) {
        super(message);
    }
}
