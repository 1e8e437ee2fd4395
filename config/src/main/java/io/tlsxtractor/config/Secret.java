package io.tlsxtractor.config;

import java.util.Objects;

/**
 * A configuration value that must not end up in logs or printed output (passwords, tokens).
 * {@link #toString()} never shows the value; code that needs it calls {@link #reveal()}, which makes
 * every use greppable.
 */
public final class Secret {

    /** The mask printed in place of a secret. */
    public static final String MASK = "****";

    /** No secret configured. */
    public static final Secret NONE = new Secret("");

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** A secret holding {@code value}; the empty string gives {@link #NONE}. */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        return value.isEmpty() ? NONE : new Secret(value);
    }

    /** The secret value itself. */
    public String reveal() {
        return value;
    }

    /** Whether no secret is configured. */
    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** {@link #MASK} when set, the empty string when not: never the value. */
    @Override
    public String toString() {
        return isEmpty() ? "" : MASK;
    }
}
