package io.tlsxtractor.results.internal;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes plain-data trees (maps, lists, strings, numbers, booleans, null) byte for byte as Python's
 * {@code json.dump(data, f, indent=2, ensure_ascii=False)} does, which is how 1.x wrote
 * {@code results.json}: {@code "key": value}, two-space indentation, {@code []} and {@code {}} for
 * empty containers, non-ASCII characters kept, only {@code "}, {@code \} and control characters
 * escaped, floats always with a fraction ({@code 12.0}). Jackson's pretty printer differs on
 * several of these points ({@code "key" : value}, arrays on one line), hence this writer.
 */
public final class PythonJson {
    private PythonJson() {
    }

    /** The pretty-printed form, without a trailing newline (as {@code json.dump}). */
    public static String pretty(Object value) {
        StringBuilder out = new StringBuilder(1024);
        write(out, value, 0, true);
        return out.toString();
    }

    /** One line, no spaces: used for JSON Lines. */
    public static String compact(Object value) {
        StringBuilder out = new StringBuilder(256);
        write(out, value, 0, false);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, int depth, boolean pretty) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (value instanceof Double || value instanceof Float) {
            out.append(pythonFloat(((Number) value).doubleValue()));
        } else if (value instanceof Number n) {
            out.append(n.toString());
        } else if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                newline(out, depth + 1, pretty);
                string(out, String.valueOf(e.getKey()));
                out.append(pretty ? ": " : ":");
                write(out, e.getValue(), depth + 1, pretty);
                if (it.hasNext()) {
                    out.append(',');
                }
            }
            newline(out, depth, pretty);
            out.append('}');
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                newline(out, depth + 1, pretty);
                write(out, list.get(i), depth + 1, pretty);
                if (i < list.size() - 1) {
                    out.append(',');
                }
            }
            newline(out, depth, pretty);
            out.append(']');
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON: " + value);
        }
    }

    private static void newline(StringBuilder out, int depth, boolean pretty) {
        if (pretty) {
            out.append('\n');
            out.append("  ".repeat(depth));
        }
    }

    /** Python's {@code repr(float)} for the values a results document holds (no exponent below 1e16). */
    static String pythonFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        String plain = BigDecimal.valueOf(d).toPlainString();
        return plain.indexOf('.') >= 0 ? plain : plain + ".0";
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
