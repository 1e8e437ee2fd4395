package io.tlsxtractor.config.internal;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.List;

/** Small text helpers shared by the loader, checks and messages. */
public final class Texts {

    private Texts() {
    }

    /** {@code "text"} with quotes and backslashes escaped, for messages. */
    public static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** {@code 5} for a whole number, {@code 2.5} otherwise. */
    public static String number(double value) {
        return value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : Double.toString(value);
    }

    /** The items of a comma-separated list, trimmed, empty ones dropped. */
    public static List<String> splitList(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** How a raw value is shown in a type error: {@code "many"}, {@code 5.5}, {@code a list}. */
    public static String describe(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "nothing (null)";
        }
        if (node.isTextual()) {
            return quote(node.asText());
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        return node.asText();
    }
}
