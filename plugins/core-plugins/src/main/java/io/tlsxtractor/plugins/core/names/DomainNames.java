package io.tlsxtractor.plugins.core.names;

import java.util.Locale;

/**
 * Domain name rules, in one place so that every component agrees on them. All methods are pure,
 * allocation-light and safe on any input (null excepted): malformed names are answered, not thrown.
 *
 * <p>Matching is label-wise: {@code notcloudflare.com} is not a subdomain of {@code cloudflare.com}.
 */
public final class DomainNames {
    /** Longest host name in presentation form (RFC 1035: 255 octets on the wire). */
    public static final int MAX_NAME_LENGTH = 253;
    /** Longest label (RFC 1035). */
    public static final int MAX_LABEL_LENGTH = 63;

    private static final String WILDCARD_PREFIX = "*.";

    /** What a name is under the 1.x validity rule. */
    public enum Kind {
        /** A valid host name: at least one dot, labels of letters, digits and inner hyphens. */
        HOSTNAME,
        /** A valid host name behind a {@code *.} prefix ({@code *.example.com}). */
        WILDCARD,
        /** Anything else. */
        INVALID;

        /** Whether the name is usable (a host name or a wildcard). */
        public boolean valid() {
            return this != INVALID;
        }
    }

    private DomainNames() {
    }

    /**
     * The canonical form of a name: surrounding white space removed, lower case (ASCII rules, so the
     * result does not depend on the JVM's locale), one trailing dot removed ({@code Example.COM.}
     * gives {@code example.com}).
     */
    public static String normalize(String name) {
        String n = name.strip();
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        return n.toLowerCase(Locale.ROOT);
    }

    /**
     * Classifies a name by the 1.x rule: at least one dot, no leading or trailing dot, each label
     * 1 to 63 of {@code [A-Za-z0-9-]} not starting or ending with {@code -}, at most 253
     * characters; a leading {@code *.} is allowed and reported as {@link Kind#WILDCARD} (the rest
     * must then be a valid host name, so {@code *.com} is a wildcard but {@code *} is not).
     * The name is classified as given: normalise first to accept a trailing dot.
     */
    public static Kind classify(String name) {
        if (name.startsWith(WILDCARD_PREFIX)) {
            return isHostname(name, WILDCARD_PREFIX.length()) ? Kind.WILDCARD : Kind.INVALID;
        }
        return isHostname(name, 0) ? Kind.HOSTNAME : Kind.INVALID;
    }

    /** Whether the name is a valid host name or wildcard by the 1.x rule; see {@link #classify}. */
    public static boolean isValid(String name) {
        return classify(name).valid();
    }

    /** Whether the name is a valid host name by the 1.x rule, wildcards excluded. */
    public static boolean isValidHostname(String name) {
        return classify(name) == Kind.HOSTNAME;
    }

    /** Whether the name starts with {@code *.}. */
    public static boolean isWildcard(String name) {
        return name.startsWith(WILDCARD_PREFIX);
    }

    /** The name without a leading {@code *.} ({@code *.example.com} gives {@code example.com}). */
    public static String withoutWildcard(String name) {
        return isWildcard(name) ? name.substring(WILDCARD_PREFIX.length()) : name;
    }

    /**
     * Whether {@code name} is a proper subdomain of {@code parent}, label-wise and ignoring case:
     * {@code a.example.com} is a subdomain of {@code example.com}; {@code example.com} itself and
     * {@code notexample.com} are not. A wildcard {@code *.example.com} stands for subdomains of
     * {@code example.com}, so it is a subdomain of {@code example.com} and of its parents.
     */
    public static boolean isSubdomainOf(String name, String parent) {
        if (parent.isEmpty()) {
            return false;
        }
        if (isWildcard(name)) {
            String base = withoutWildcard(name);
            return base.equalsIgnoreCase(parent) || isSubdomainOf(base, parent);
        }
        int offset = name.length() - parent.length();
        return offset > 1
                && name.charAt(offset - 1) == '.'
                && name.regionMatches(true, offset, parent, 0, parent.length());
    }

    /** Whether {@code name} is {@code parent} or one of its subdomains; see {@link #isSubdomainOf}. */
    public static boolean isSameOrSubdomainOf(String name, String parent) {
        return name.equalsIgnoreCase(parent) || isSubdomainOf(name, parent);
    }

    /** The last label ({@code com} for {@code www.example.com}); the name itself when it has no dot. */
    public static String topLevelLabel(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /**
     * Whether the text is an IP address literal rather than a name: a dotted-quad IPv4 address
     * ({@code 10.0.0.1}), an IPv6 address with or without brackets ({@code [2001:db8::1]}), or
     * any dotted name whose last label is all digits ({@code 10.1}), which no DNS top-level
     * domain is and which resolvers read as an address.
     */
    public static boolean isIpLiteral(String text) {
        if (text.isEmpty()) {
            return false;
        }
        if (text.indexOf(':') >= 0) {
            return looksLikeIpv6(text);
        }
        String last = topLevelLabel(text);
        if (last.isEmpty() || text.equals(last)) {
            return false;
        }
        for (int i = 0; i < last.length(); i++) {
            if (!isDigit(last.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean looksLikeIpv6(String text) {
        int start = 0;
        int end = text.length();
        if (text.charAt(0) == '[') {
            if (text.charAt(end - 1) != ']') {
                return false;
            }
            start = 1;
            end--;
        }
        if (end - start < 2) {
            return false;
        }
        int colons = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c == '%') {
                // A zone id (fe80::1%eth0) may hold any characters.
                break;
            }
            if (c == ':') {
                colons++;
            } else if (!(isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.')) {
                return false;
            }
        }
        return colons >= 2;
    }

    private static boolean isHostname(String name, int from) {
        int length = name.length() - from;
        if (length < 3 || length > MAX_NAME_LENGTH) {
            return false;
        }
        int labelStart = from;
        int dots = 0;
        for (int i = from; i <= name.length(); i++) {
            if (i == name.length() || name.charAt(i) == '.') {
                if (!isLabel(name, labelStart, i)) {
                    return false;
                }
                if (i < name.length()) {
                    dots++;
                }
                labelStart = i + 1;
            } else if (!isLabelChar(name.charAt(i))) {
                return false;
            }
        }
        return dots >= 1;
    }

    private static boolean isLabel(String name, int start, int end) {
        int length = end - start;
        return length >= 1 && length <= MAX_LABEL_LENGTH
                && name.charAt(start) != '-' && name.charAt(end - 1) != '-';
    }

    private static boolean isLabelChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '-';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
