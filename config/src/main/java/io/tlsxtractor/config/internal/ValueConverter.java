package io.tlsxtractor.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsxtractor.config.ConfigKey;
import io.tlsxtractor.config.Secret;

import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a raw value (a YAML/TOML node, or text from the environment or a flag) as the typed value of
 * its key. Text is accepted for every type, so that {@code threads: "100"} and
 * {@code TLSXTRACTOR_SCANNING_THREADS=100} both work.
 */
public final class ValueConverter {

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private ValueConverter() {
    }

    /** The typed value of {@code node} for {@code key}, which must not be a map key. */
    public static Object convert(ConfigKey key, JsonNode node) throws InvalidValueException {
        return switch (key.type()) {
            case STRING -> text(node, "a string");
            case SECRET -> Secret.of(text(node, "a string"));
            case INT -> toInt(node);
            case LONG -> integral(node);
            case DOUBLE -> decimal(node);
            case BOOLEAN -> bool(node);
            case ENUM -> enumConstant(key, node);
            case PATH -> {
                String text = text(node, "a path").trim();
                if (text.isEmpty()) {
                    throw new InvalidValueException("must not be empty");
                }
                yield path(text);
            }
            case OPTIONAL_PATH -> {
                String text = text(node, "a path").trim();
                yield text.isEmpty() ? Optional.empty() : Optional.of(path(text));
            }
            case STRING_LIST -> list(node);
            case STRING_MAP, NESTED_STRING_MAP ->
                    throw new IllegalArgumentException(key + " is a map: convert its entries with entryText");
        };
    }

    /** The text of one map entry value (numbers and booleans as written). */
    public static String entryText(JsonNode node) throws InvalidValueException {
        if (node == null || node.isNull()) {
            throw new InvalidValueException("expected a value, got nothing (null)");
        }
        return text(node, "a single value");
    }

    private static String text(JsonNode node, String expected) throws InvalidValueException {
        if (node == null || node.isNull()) {
            return "";
        }
        if (node.isValueNode()) {
            return node.asText();
        }
        throw new InvalidValueException("expected " + expected + ", got " + Texts.describe(node));
    }

    private static int toInt(JsonNode node) throws InvalidValueException {
        long value = integral(node);
        if (value > Integer.MAX_VALUE) {
            throw new InvalidValueException("must be <= " + Integer.MAX_VALUE + ", got " + value);
        }
        if (value < Integer.MIN_VALUE) {
            throw new InvalidValueException("must be >= " + Integer.MIN_VALUE + ", got " + value);
        }
        return (int) value;
    }

    private static long integral(JsonNode node) throws InvalidValueException {
        String problem = "expected an integer, got " + Texts.describe(node);
        if (node != null && node.isNumber()) {
            BigDecimal exact = node.decimalValue();
            try {
                return exact.stripTrailingZeros().longValueExact();
            } catch (ArithmeticException e) {
                throw new InvalidValueException(problem);
            }
        }
        if (node != null && node.isTextual()) {
            try {
                return Long.parseLong(node.asText().trim());
            } catch (NumberFormatException e) {
                throw new InvalidValueException(problem);
            }
        }
        throw new InvalidValueException(problem);
    }

    private static double decimal(JsonNode node) throws InvalidValueException {
        if (node != null && node.isNumber()) {
            double value = node.doubleValue();
            if (Double.isFinite(value)) {
                return value;
            }
        } else if (node != null && node.isTextual() && DECIMAL.matcher(node.asText().trim()).matches()) {
            return Double.parseDouble(node.asText().trim());
        }
        throw new InvalidValueException("expected a number, got " + Texts.describe(node));
    }

    private static boolean bool(JsonNode node) throws InvalidValueException {
        if (node != null && node.isBoolean()) {
            return node.booleanValue();
        }
        if (node != null && (node.isTextual() || node.isIntegralNumber())) {
            switch (node.asText().trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1" -> {
                    return true;
                }
                case "false", "no", "0" -> {
                    return false;
                }
                default -> {
                    // falls through to the error below
                }
            }
        }
        throw new InvalidValueException("expected a boolean (true/false, yes/no, 1/0), got " + Texts.describe(node));
    }

    private static Object enumConstant(ConfigKey key, JsonNode node) throws InvalidValueException {
        String text = node != null && node.isValueNode() && !node.isNull() ? node.asText().trim() : null;
        if (text != null) {
            String wanted = text.replace('-', '_');
            for (Enum<?> constant : key.enumType().getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(wanted)) {
                    return constant;
                }
            }
        }
        throw new InvalidValueException("must be one of " + String.join(", ", key.allowedValues()) + "; got "
                + Texts.describe(node));
    }

    private static Path path(String text) throws InvalidValueException {
        String expanded = text;
        if (text.equals("~") || text.startsWith("~/")) {
            expanded = System.getProperty("user.home") + text.substring(1);
        }
        try {
            return Path.of(expanded);
        } catch (InvalidPathException e) {
            throw new InvalidValueException("not a valid path: " + e.getMessage());
        }
    }

    private static List<String> list(JsonNode node) throws InvalidValueException {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isTextual()) {
            return Texts.splitList(node.asText());
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = node.get(i);
                if (!item.isValueNode() || item.isNull()) {
                    throw new InvalidValueException("expected a list of strings, but item " + (i + 1) + " is "
                            + Texts.describe(item));
                }
                String text = item.asText().trim();
                if (!text.isEmpty()) {
                    items.add(text);
                }
            }
            return List.copyOf(items);
        }
        throw new InvalidValueException("expected a list (or comma-separated text), got " + Texts.describe(node));
    }
}
