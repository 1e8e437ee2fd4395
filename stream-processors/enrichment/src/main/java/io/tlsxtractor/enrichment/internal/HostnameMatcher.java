package io.tlsxtractor.enrichment.internal;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a certificate is valid for a host, after RFC 6125 (as browsers apply it): DNS names are compared
 * case-insensitively in their ASCII form against the SAN dNSNames; the subject CN is used only when the
 * certificate has no SAN dNSName or iPAddress at all. A wildcard is only a whole left-most label
 * ({@code *.example.com}), matches exactly one non-empty label, and needs at least two labels after it.
 * IP addresses match SAN iPAddress entries (CN only without any SAN).
 */
public final class HostnameMatcher {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private HostnameMatcher() {
    }

    public static boolean matches(String host, List<String> dnsNames, List<String> ipAddresses, List<String> commonNames) {
        String h = host.trim();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        boolean noSan = dnsNames.isEmpty() && ipAddresses.isEmpty();
        InetAddress ip = ipLiteral(h);
        if (ip != null) {
            for (String candidate : ipAddresses) {
                if (ip.equals(ipLiteral(candidate))) {
                    return true;
                }
            }
            return noSan && commonNames.stream().anyMatch(cn -> ip.equals(ipLiteral(cn.trim())));
        }
        String name = ascii(h);
        if (name.isEmpty()) {
            return false;
        }
        List<String> patterns = dnsNames.isEmpty() && noSan ? commonNames : dnsNames;
        return patterns.stream().anyMatch(p -> matchesPattern(name, ascii(p)));
    }

    static boolean matchesPattern(String name, String pattern) {
        if (pattern.isEmpty()) {
            return false;
        }
        if (pattern.startsWith("*.")) {
            String rest = pattern.substring(2);
            int firstDot = name.indexOf('.');
            return rest.indexOf('.') > 0 && !rest.contains("*") && firstDot > 0
                    && name.substring(firstDot + 1).equals(rest);
        }
        return !pattern.contains("*") && name.equals(pattern);
    }

    private static String ascii(String name) {
        String s = name.trim();
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            s = IDN.toASCII(s, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            // Not convertible (an odd CN, a stray wildcard): compare as written.
        }
        return s.toLowerCase(Locale.ROOT);
    }

    /** The address when the text is an IP literal, else null (never a lookup). */
    private static InetAddress ipLiteral(String text) {
        if (!IPV4.matcher(text).matches() && text.indexOf(':') < 0) {
            return null;
        }
        // Only hex digits, colons and dots reach the parser: anything else could make it look the name up.
        if (text.indexOf(':') >= 0 && !IPV6.matcher(text).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }
}
