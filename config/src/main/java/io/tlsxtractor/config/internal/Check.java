package io.tlsxtractor.config.internal;

/** A validation rule on the typed value of one key. */
@FunctionalInterface
public interface Check {

    /** What is wrong with {@code value}, or {@code null} when nothing is. */
    String problem(Object value);
}
