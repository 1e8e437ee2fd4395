package io.tlsxtractor.ingest;

import io.tlsxtractor.ingest.internal.IpAddresses;
import io.tlsxtractor.schemas.avro.TargetType;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.IDN;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Reads targets from text. Pure: no DNS, no network, no state.
 *
 * <p>Forms, detected per line: a CIDR network ({@code 10.0.0.0/24}, {@code 2001:db8::/120}; host bits may be set, as
 * Python's {@code strict=False}; it stands for its usable hosts, see {@link IpRange#hosts}); an address range
 * ({@code 10.0.0.1-10.0.0.50}, {@code 10.0.0.1-50}, {@code 2001:db8::1-2001:db8::ff}, {@code 2001:db8::1-ff}); one
 * address ({@code 10.0.0.1}, {@code 2001:db8::1}, {@code [2001:db8::1]}); {@code ip:port}; {@code [v6]:port}; a hostname;
 * {@code host:port}; a URL {@code https://host[:port]/…} or {@code http://…}.
 *
 * <p>Ports: a target's own port wins. A URL without a port gets 443 whatever its scheme, as in 1.x: the probe speaks
 * TLS, and port 80 would never answer it. Addresses and hostnames without a port get the scan's ports (1.x
 * {@code --port}, default 443).
 */
public final class TargetParser {

    /** Port of a URL that names none. */
    public static final int URL_DEFAULT_PORT = 443;

    private TargetParser() {
    }

    /** The target {@code text} stands for, its type detected. */
    public static ParsedTarget parse(String text) throws InvalidTargetException {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.isEmpty()) {
            throw new InvalidTargetException("empty target");
        }
        if (trimmed.indexOf("://") > 0) {
            return url(trimmed);
        }
        if (trimmed.startsWith("[")) {
            return bracketed(trimmed);
        }
        if (trimmed.indexOf('/') >= 0) {
            return cidr(trimmed);
        }
        int dash = trimmed.indexOf('-');
        if (dash > 0) {
            IpAddresses.Literal start = IpAddresses.parse(trimmed.substring(0, dash));
            if (start != null) {
                return range(trimmed, start, trimmed.substring(dash + 1));
            }
        }
        int colons = countColons(trimmed);
        if (colons >= 2) {
            BigInteger v6 = IpAddresses.parseV6(trimmed);
            if (v6 == null) {
                throw new InvalidTargetException("not a valid IPv6 address");
            }
            return new ParsedTarget.Addresses(TargetType.IP, trimmed, IpRange.single(6, v6), null, null);
        }
        if (colons == 1) {
            int colon = trimmed.indexOf(':');
            String host = trimmed.substring(0, colon);
            int port = port(trimmed.substring(colon + 1));
            long v4 = IpAddresses.parseV4(host);
            if (v4 >= 0) {
                return new ParsedTarget.Addresses(TargetType.IP_PORT, trimmed, IpRange.single(4, BigInteger.valueOf(v4)), port, null);
            }
            return new ParsedTarget.Host(TargetType.HOST_PORT, trimmed, hostname(host), port, null);
        }
        long v4 = IpAddresses.parseV4(trimmed);
        if (v4 >= 0) {
            return new ParsedTarget.Addresses(TargetType.IP, trimmed, IpRange.single(4, BigInteger.valueOf(v4)), null, null);
        }
        return new ParsedTarget.Host(TargetType.HOST, trimmed, hostname(trimmed), null, null);
    }

    /**
     * The target {@code text} stands for, which must be of the declared {@code type}; {@link TargetType#UNKNOWN} detects
     * it. A CIDR may be written as one address (a /32 or /128, as Python reads it); a URL may be given as a hostname,
     * {@code host:port}, address or {@code ip:port} (1.x {@code --url} took "a URL or hostname").
     */
    public static ParsedTarget parse(String text, TargetType type) throws InvalidTargetException {
        ParsedTarget target = parse(text);
        if (type == null || type == TargetType.UNKNOWN || type == target.type()) {
            return target;
        }
        boolean compatible = switch (type) {
            case CIDR -> target.type() == TargetType.IP;
            case URL -> target.type() == TargetType.HOST || target.type() == TargetType.HOST_PORT
                    || target.type() == TargetType.IP || target.type() == TargetType.IP_PORT;
            default -> false;
        };
        if (!compatible) {
            throw new InvalidTargetException("declared as " + type + " but reads as " + target.type());
        }
        return target;
    }

    /** Opens {@code inputs} as one lazily read stream of targets; invalid lines go to {@code problems}. */
    public static TargetStream open(List<TargetInput> inputs, Consumer<ParseProblem> problems) {
        return new TargetStream(inputs, Cursor.START, System.in, null, problems);
    }

    /**
     * Like {@link #open(List, Consumer)}, starting at the target at {@code from} (its input and line; the offset inside
     * the target is the caller's business), reading {@code stdin} for {@code -}.
     */
    public static TargetStream open(List<TargetInput> inputs, Cursor from, InputStream stdin, Consumer<ParseProblem> problems) {
        return new TargetStream(inputs, from, stdin, null, problems);
    }

    /** Like {@link #open(List, Cursor, InputStream, Consumer)}, reading uploaded files through {@code uploads}. */
    public static TargetStream open(List<TargetInput> inputs, Cursor from, InputStream stdin, ScanInputs.Opener uploads,
            Consumer<ParseProblem> problems) {
        return new TargetStream(inputs, from, stdin, uploads, problems);
    }

    private static int countColons(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == ':') {
                n++;
            }
        }
        return n;
    }

    private static ParsedTarget url(String text) throws InvalidTargetException {
        int sep = text.indexOf("://");
        String scheme = text.substring(0, sep).toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new InvalidTargetException("unsupported URL scheme '" + scheme + "' (only https and http)");
        }
        String rest = text.substring(sep + 3);
        int end = rest.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        String authority = rest.substring(0, end);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1);
        }
        if (authority.isEmpty()) {
            throw new InvalidTargetException("URL has no host");
        }
        String host;
        Integer port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new InvalidTargetException("URL has an unclosed '[' in its host");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new InvalidTargetException("unexpected text after ']' in URL host");
                }
                port = port(after.substring(1));
            }
            BigInteger v6 = IpAddresses.parseV6(host);
            if (v6 == null) {
                throw new InvalidTargetException("not a valid IPv6 address in URL: " + host);
            }
            return new ParsedTarget.Addresses(TargetType.URL, text, IpRange.single(6, v6), port == null ? URL_DEFAULT_PORT : port, text);
        }
        int colon = authority.indexOf(':');
        if (colon >= 0) {
            host = authority.substring(0, colon);
            String portText = authority.substring(colon + 1);
            port = portText.isEmpty() ? null : port(portText);
        } else {
            host = authority;
        }
        int effectivePort = port == null ? URL_DEFAULT_PORT : port;
        long v4 = IpAddresses.parseV4(host);
        if (v4 >= 0) {
            return new ParsedTarget.Addresses(TargetType.URL, text, IpRange.single(4, BigInteger.valueOf(v4)), effectivePort, text);
        }
        return new ParsedTarget.Host(TargetType.URL, text, hostname(host), effectivePort, text);
    }

    private static ParsedTarget bracketed(String text) throws InvalidTargetException {
        int close = text.indexOf(']');
        if (close < 0) {
            throw new InvalidTargetException("unclosed '['");
        }
        BigInteger v6 = IpAddresses.parseV6(text.substring(1, close));
        if (v6 == null) {
            throw new InvalidTargetException("not a valid IPv6 address between [ and ]");
        }
        String after = text.substring(close + 1);
        if (after.isEmpty()) {
            return new ParsedTarget.Addresses(TargetType.IP, text, IpRange.single(6, v6), null, null);
        }
        if (!after.startsWith(":")) {
            throw new InvalidTargetException("expected ':port' after ']'");
        }
        return new ParsedTarget.Addresses(TargetType.IP_PORT, text, IpRange.single(6, v6), port(after.substring(1)), null);
    }

    private static ParsedTarget cidr(String text) throws InvalidTargetException {
        int slash = text.indexOf('/');
        IpAddresses.Literal address = IpAddresses.parse(text.substring(0, slash));
        if (address == null) {
            throw new InvalidTargetException("not a valid CIDR network: '" + text.substring(0, slash) + "' is not an IP address");
        }
        String prefixText = text.substring(slash + 1);
        int bits = IpAddresses.bits(address.version());
        int prefix = number(prefixText, bits);
        if (prefix < 0) {
            throw new InvalidTargetException("not a valid CIDR network: prefix length '" + prefixText + "' is not 0-" + bits);
        }
        return new ParsedTarget.Addresses(TargetType.CIDR, text, IpRange.hosts(address.version(), address.value(), prefix), null, null);
    }

    private static ParsedTarget range(String text, IpAddresses.Literal start, String endText) throws InvalidTargetException {
        IpAddresses.Literal end = IpAddresses.parse(endText);
        BigInteger last;
        if (end != null) {
            if (end.version() != start.version()) {
                throw new InvalidTargetException("range mixes IPv4 and IPv6");
            }
            last = end.value();
        } else if (start.version() == 4) {
            int octet = number(endText, 255);
            if (octet < 0) {
                throw new InvalidTargetException("range end '" + endText + "' is neither an address nor a last octet 0-255");
            }
            last = start.value().andNot(BigInteger.valueOf(0xFF)).or(BigInteger.valueOf(octet));
        } else {
            int group = endText.length() <= 4 && !endText.isEmpty() ? hex(endText) : -1;
            if (group < 0) {
                throw new InvalidTargetException("range end '" + endText + "' is neither an address nor a last group 0-ffff");
            }
            last = start.value().andNot(BigInteger.valueOf(0xFFFF)).or(BigInteger.valueOf(group));
        }
        if (last.compareTo(start.value()) < 0) {
            throw new InvalidTargetException("range ends before it starts");
        }
        return new ParsedTarget.Addresses(TargetType.RANGE, text, new IpRange(start.version(), start.value(), last), null, null);
    }

    private static int hex(String text) {
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value;
    }

    /** {@code text} as a decimal 0..max without sign or leading zeros, or -1. */
    private static int number(String text, int max) {
        if (text.isEmpty() || text.length() > 5 || (text.length() > 1 && text.charAt(0) == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= max ? value : -1;
    }

    private static int port(String text) throws InvalidTargetException {
        int port = number(text, 65535);
        if (port < 1) {
            throw new InvalidTargetException("port '" + text + "' is not 1-65535");
        }
        return port;
    }

    /** The normalised hostname: lower-case ASCII (IDN to punycode), no trailing dot; refused when invalid. */
    static String hostname(String text) throws InvalidTargetException {
        String name = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (name.isEmpty()) {
            throw new InvalidTargetException("empty hostname");
        }
        boolean ascii = true;
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) > 0x7F) {
                ascii = false;
                break;
            }
        }
        if (!ascii) {
            try {
                name = IDN.toASCII(name, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                throw new InvalidTargetException("not a valid internationalised hostname: " + e.getMessage());
            }
        }
        name = name.toLowerCase(Locale.ROOT);
        if (name.length() > 253) {
            throw new InvalidTargetException("hostname longer than 253 characters");
        }
        int labelStart = 0;
        boolean lastLabelNumeric = true;
        for (int i = 0; i <= name.length(); i++) {
            if (i == name.length() || name.charAt(i) == '.') {
                int length = i - labelStart;
                if (length == 0) {
                    throw new InvalidTargetException("hostname has an empty label");
                }
                if (length > 63) {
                    throw new InvalidTargetException("hostname label longer than 63 characters");
                }
                if (name.charAt(labelStart) == '-' || name.charAt(i - 1) == '-') {
                    throw new InvalidTargetException("hostname label starts or ends with '-'");
                }
                lastLabelNumeric = true;
                for (int k = labelStart; k < i; k++) {
                    char c = name.charAt(k);
                    if (c < '0' || c > '9') {
                        lastLabelNumeric = false;
                    }
                }
                labelStart = i + 1;
                continue;
            }
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                throw new InvalidTargetException("'" + c + "' is not allowed in a hostname");
            }
        }
        if (lastLabelNumeric) {
            throw new InvalidTargetException("not a valid IPv4 address or hostname");
        }
        return name;
    }
}
