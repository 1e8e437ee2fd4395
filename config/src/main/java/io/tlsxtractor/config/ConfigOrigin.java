package io.tlsxtractor.config;

import java.util.Objects;

/**
 * Where an effective configuration value came from.
 *
 * @param kind   the kind of source
 * @param detail the file name for {@link Kind#FILE}, the variable name for {@link Kind#ENV},
 *               the empty string otherwise
 */
public record ConfigOrigin(Kind kind, String detail) {

    /** The sources, lowest precedence first. */
    public enum Kind { DEFAULT, FILE, ENV, FLAG }

    /** The built-in default. */
    public static final ConfigOrigin DEFAULT = new ConfigOrigin(Kind.DEFAULT, "");

    /** A command-line flag (an override given to {@link ConfigLoader#overrides}). */
    public static final ConfigOrigin FLAG = new ConfigOrigin(Kind.FLAG, "");

    public ConfigOrigin {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    /** A value read from the configuration file {@code file}. */
    public static ConfigOrigin file(String file) {
        return new ConfigOrigin(Kind.FILE, file);
    }

    /** A value read from the environment variable {@code variable}. */
    public static ConfigOrigin env(String variable) {
        return new ConfigOrigin(Kind.ENV, variable);
    }

    /** {@code default}, {@code file config.yaml}, {@code env TLSXTRACTOR_SCANNING_THREADS} or {@code flag}. */
    @Override
    public String toString() {
        String name = kind.name().toLowerCase(java.util.Locale.ROOT);
        return detail.isEmpty() ? name : name + " " + detail;
    }
}
