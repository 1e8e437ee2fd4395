package io.tlsxtractor.config;

/**
 * The value type of a configuration key, which decides how text from the environment and from flags
 * is read. Lists come as YAML/TOML arrays or as comma-separated text; maps come as tables or, from
 * the environment and flags, as {@code name=value,name=value}.
 */
public enum KeyType {
    /** Text. */
    STRING,
    /** Text that is never printed unmasked unless asked to ({@link Secret}). */
    SECRET,
    /** A 32-bit integer. */
    INT,
    /** A 64-bit integer. */
    LONG,
    /** A decimal number. */
    DOUBLE,
    /** true/false, yes/no, 1/0 (case-insensitive). */
    BOOLEAN,
    /** One of a fixed set of lower-case names. */
    ENUM,
    /** A file system path; a leading {@code ~} is the user's home directory. */
    PATH,
    /** A path that may be empty (= not set). */
    OPTIONAL_PATH,
    /** A list of text items. */
    STRING_LIST,
    /** Free name → text pairs (e.g. Kafka client properties). */
    STRING_MAP,
    /** Name → (name → text), e.g. plugin → its settings. */
    NESTED_STRING_MAP;

    /** Whether values of this type are maps whose entries are set and reported one by one. */
    public boolean isMap() {
        return this == STRING_MAP || this == NESTED_STRING_MAP;
    }
}
