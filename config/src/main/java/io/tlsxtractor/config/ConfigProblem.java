package io.tlsxtractor.config;

import java.util.Objects;

/**
 * One thing wrong with the configuration.
 *
 * @param where   the key path ({@code scanning.timeout}), an environment variable name, or a file
 *                location ({@code config.yaml line 3, column 5})
 * @param message what is wrong, e.g. {@code must be >= 1, got 0}
 * @param origin  the source of the offending value, or {@code null} when {@code where} already names it
 */
public record ConfigProblem(String where, String message, ConfigOrigin origin) {

    public ConfigProblem {
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(message, "message");
    }

    /** {@code scanning.timeout: must be >= 1, got 0 [file config.yaml]}. */
    @Override
    public String toString() {
        String text = where + ": " + message;
        return origin == null ? text : text + " [" + origin + "]";
    }
}
