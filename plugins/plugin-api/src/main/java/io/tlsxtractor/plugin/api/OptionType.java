package io.tlsxtractor.plugin.api;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The type of a setting, and how its text value is read. */
public enum OptionType {
    STRING("a string"),
    INT("an integer"),
    LONG("an integer"),
    BOOLEAN("true or false"),
    DOUBLE("a number"),
    /** Comma-separated; elements are trimmed and empty elements dropped. */
    LIST("a comma-separated list"),
    /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d} or ISO-8601 ({@code PT30S}). */
    DURATION("a duration such as 500ms, 30s, 5m, 1h or PT30S");

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final String expected;

    OptionType(String expected) {
        this.expected = expected;
    }

    /** What a valid value looks like, for messages: "an integer", "true or false", ... */
    public String expected() {
        return expected;
    }

    /**
     * Reads a value of this type.
     *
     * @return a {@link String}, {@link Integer}, {@link Long}, {@link Boolean}, {@link Double},
     *     {@code List<String>} or {@link Duration}
     * @throws IllegalArgumentException with a message {@code "expected <what>"} when the text is
     *     not a value of this type
     */
    public Object parse(String text) {
        String value = text.strip();
        try {
            switch (this) {
                case STRING:
                    return text;
                case INT:
                    return Integer.valueOf(value);
                case LONG:
                    return Long.valueOf(value);
                case DOUBLE:
                    double d = Double.parseDouble(value);
                    if (Double.isNaN(d) || Double.isInfinite(d)) {
                        throw new NumberFormatException(value);
                    }
                    return d;
                case BOOLEAN:
                    if (value.equalsIgnoreCase("true")) {
                        return Boolean.TRUE;
                    }
                    if (value.equalsIgnoreCase("false")) {
                        return Boolean.FALSE;
                    }
                    throw new IllegalArgumentException(expectedMessage());
                case LIST:
                    List<String> items = new ArrayList<>();
                    for (String item : value.split(",")) {
                        if (!item.isBlank()) {
                            items.add(item.strip());
                        }
                    }
                    return List.copyOf(items);
                case DURATION:
                    return parseDuration(value);
                default:
                    throw new AssertionError(this);
            }
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(expectedMessage(), e);
        }
    }

    private Duration parseDuration(String value) {
        Matcher m = SIMPLE_DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms":
                    return Duration.ofMillis(amount);
                case "s":
                    return Duration.ofSeconds(amount);
                case "m":
                    return Duration.ofMinutes(amount);
                case "h":
                    return Duration.ofHours(amount);
                default:
                    return Duration.ofDays(amount);
            }
        }
        if (value.regionMatches(true, 0, "P", 0, 1)) {
            Duration d = Duration.parse(value);
            if (d.isNegative()) {
                throw new IllegalArgumentException(expectedMessage());
            }
            return d;
        }
        throw new IllegalArgumentException(expectedMessage());
    }

    private String expectedMessage() {
        return "expected " + expected;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
