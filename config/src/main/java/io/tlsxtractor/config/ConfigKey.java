package io.tlsxtractor.config;

import io.tlsxtractor.config.internal.Check;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The description of one configuration key: the single source from which loading, validation, the
 * environment mapping, printing and the reference documentation are derived. All keys are listed by
 * {@link ConfigKeys#all()}.
 */
public final class ConfigKey {

    /** Prefix of every environment variable that sets a key. */
    public static final String ENV_PREFIX = "TLSXTRACTOR_";

    private final String path;
    private final KeyType type;
    private final Object defaultValue;
    private final String doc;
    private final Class<? extends Enum<?>> enumType;
    private final Function<TlsxConfig, Object> getter;
    private final List<Check> checks;

    ConfigKey(String path, KeyType type, Object defaultValue, String doc, Class<? extends Enum<?>> enumType,
              Function<TlsxConfig, Object> getter, List<Check> checks) {
        this.path = Objects.requireNonNull(path, "path");
        this.type = Objects.requireNonNull(type, "type");
        this.defaultValue = Objects.requireNonNull(defaultValue, "defaultValue");
        this.doc = Objects.requireNonNull(doc, "doc");
        this.enumType = enumType;
        this.getter = Objects.requireNonNull(getter, "getter");
        this.checks = List.copyOf(checks);
    }

    /** The dotted path, e.g. {@code sinks.clickhouse.url}. */
    public String path() {
        return path;
    }

    /** The value type. */
    public KeyType type() {
        return type;
    }

    /** The section: the first segment of the path, e.g. {@code sinks}. */
    public String section() {
        return path.substring(0, path.indexOf('.'));
    }

    /**
     * The default as it would be written in a configuration file: a String, Number, Boolean,
     * {@code List<String>} or (for map keys) an empty map.
     */
    public Object defaultValue() {
        return defaultValue;
    }

    /** What the key means, with its unit where it has one. */
    public String doc() {
        return doc;
    }

    /** Whether the value is a secret, masked when printed. */
    public boolean secret() {
        return type == KeyType.SECRET;
    }

    /** The accepted names of an {@link KeyType#ENUM} key (lower case); empty for other types. */
    public List<String> allowedValues() {
        if (enumType == null) {
            return List.of();
        }
        return java.util.Arrays.stream(enumType.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .toList();
    }

    /** The enum class of an {@link KeyType#ENUM} key, or {@code null}. */
    public Class<? extends Enum<?>> enumType() {
        return enumType;
    }

    /**
     * The environment variable that sets this key: {@code TLSXTRACTOR_} + the path upper-cased with
     * dots turned into underscores ({@code TLSXTRACTOR_SINKS_CLICKHOUSE_URL}).
     */
    public String envVariable() {
        return ENV_PREFIX + path.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** This key's typed value in {@code config}, as the record component holds it. */
    public Object valueIn(TlsxConfig config) {
        return getter.apply(config);
    }

    /** What is wrong with the typed value {@code value}, if anything (range, enum, URL...). */
    public Optional<String> check(Object value) {
        for (Check check : checks) {
            String problem = check.problem(value);
            if (problem != null) {
                return Optional.of(problem);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return path;
    }
}
