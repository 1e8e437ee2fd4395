package io.tlsxtractor.results;

/** A results document (1.x JSON or v2 JSON lines) that cannot be read; the message says where and what. */
public class ResultsFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ResultsFormatException(String message) {
        super(message);
    }

    public ResultsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
