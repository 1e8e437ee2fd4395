package io.tlsxtractor.config.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The validation rules the key registry is built from. */
public final class Checks {

    private static final Pattern HEAP_SIZE = Pattern.compile("[1-9][0-9]*[kKmMgG]?");

    private Checks() {
    }

    /** An integer of at least {@code min}. */
    public static Check atLeast(long min) {
        return value -> {
            long v = ((Number) value).longValue();
            return v < min ? "must be >= " + min + ", got " + v : null;
        };
    }

    /** An integer from {@code min} to {@code max}, inclusive. */
    public static Check range(long min, long max) {
        return value -> {
            long v = ((Number) value).longValue();
            if (v < min) {
                return "must be >= " + min + ", got " + v;
            }
            return v > max ? "must be <= " + max + ", got " + v : null;
        };
    }

    /** A decimal number of at least {@code min}. */
    public static Check atLeastDecimal(double min) {
        return value -> {
            double v = ((Number) value).doubleValue();
            return v < min ? "must be >= " + Texts.number(min) + ", got " + Texts.number(v) : null;
        };
    }

    /** A text that is not empty. */
    public static Check notEmpty() {
        return value -> value.toString().isBlank() ? "must not be empty" : null;
    }

    /** One of {@code allowed} (exactly as spelled there). */
    public static Check oneOf(String... allowed) {
        Set<String> set = Set.of(allowed);
        return value -> set.contains(value.toString()) ? null
                : "must be one of " + String.join(", ", Arrays.stream(allowed).map(a -> a.isEmpty() ? "\"\"" : a).toList())
                        + "; got " + Texts.quote(value.toString());
    }

    /** A URL with one of {@code schemes} and a host; the empty text too when {@code allowEmpty}. */
    public static Check url(boolean allowEmpty, String... schemes) {
        Set<String> allowed = Set.of(schemes);
        return value -> {
            String text = value.toString();
            if (text.isEmpty()) {
                return allowEmpty ? null : "must not be empty";
            }
            String example = schemes[0] + "://host:port";
            URI uri;
            try {
                uri = new URI(text);
            } catch (URISyntaxException e) {
                return "not a valid URL (" + e.getReason() + " at index " + e.getIndex() + "), got " + Texts.quote(text);
            }
            if (uri.getScheme() == null || !allowed.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
                return "must be a URL with scheme " + String.join(" or ", schemes) + " (like " + example + "), got "
                        + Texts.quote(text);
            }
            if (uri.getHost() == null) {
                return "must be a URL with a host (like " + example + "), got " + Texts.quote(text);
            }
            return null;
        };
    }

    /**
     * A comma-separated text (or list) of {@code host:port} items, {@code [v6]:port} for IPv6; the port
     * is optional unless {@code portRequired}.
     */
    public static Check hostPorts(boolean portRequired) {
        return value -> {
            List<String> items = value instanceof List<?> list
                    ? list.stream().map(Object::toString).toList()
                    : Texts.splitList(value.toString());
            for (String item : items) {
                String problem = hostPortProblem(item, portRequired);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        };
    }

    /** A JVM heap size such as {@code 512m} or {@code 2g}. */
    public static Check heapSize() {
        return value -> HEAP_SIZE.matcher(value.toString()).matches() ? null
                : "must be a size like 512m or 2g, got " + Texts.quote(value.toString());
    }

    private static String hostPortProblem(String item, boolean portRequired) {
        String host;
        String port = null;
        if (item.startsWith("[")) {
            int close = item.indexOf(']');
            if (close < 0) {
                return "unclosed '[' in " + Texts.quote(item);
            }
            host = item.substring(1, close);
            String rest = item.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return "expected host:port, got " + Texts.quote(item);
                }
                port = rest.substring(1);
            }
        } else {
            int colon = item.lastIndexOf(':');
            if (colon >= 0 && item.indexOf(':') != colon) {
                return "write an IPv6 address as [address]:port, got " + Texts.quote(item);
            }
            host = colon < 0 ? item : item.substring(0, colon);
            port = colon < 0 ? null : item.substring(colon + 1);
        }
        if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace)) {
            return "expected host:port, got " + Texts.quote(item);
        }
        if (port == null) {
            return portRequired ? "expected host:port (the port is required), got " + Texts.quote(item) : null;
        }
        try {
            int p = Integer.parseInt(port);
            return p < 1 || p > 65535 ? "port must be between 1 and 65535 in " + Texts.quote(item) : null;
        } catch (NumberFormatException e) {
            return "port must be a number in " + Texts.quote(item);
        }
    }
}
