package io.tlsxtractor.ingest.internal;

import java.math.BigInteger;

/**
 * Parses and formats IP address literals without ever touching DNS ({@link java.net.InetAddress#getByName} would
 * resolve anything that is not a literal). IPv4 is strict dotted-quad without leading zeros (as Python's
 * {@code ipaddress} since 3.9.5: {@code 010.0.0.1} is ambiguous, octal or decimal, so it is refused); IPv6 is RFC 4291
 * text with an optional embedded IPv4 tail, no zone id; output is RFC 5952 (lower-case, longest zero run compressed).
 */
public final class IpAddresses {

    public static final BigInteger V4_MAX = BigInteger.valueOf(0xFFFF_FFFFL);
    public static final BigInteger V6_MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    private IpAddresses() {
    }

    /** A parsed literal: version 4 or 6 and the address as an unsigned number. */
    public record Literal(int version, BigInteger value) {
    }

    /** The literal {@code text} as IPv4 or IPv6, or null when it is neither. */
    public static Literal parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.indexOf(':') >= 0) {
            BigInteger v6 = parseV6(text);
            return v6 == null ? null : new Literal(6, v6);
        }
        long v4 = parseV4(text);
        return v4 < 0 ? null : new Literal(4, BigInteger.valueOf(v4));
    }

    /** The dotted-quad {@code text} as an unsigned 32-bit value, or -1 when it is not one. */
    public static long parseV4(String text) {
        int length = text.length();
        if (length < 7 || length > 15) {
            return -1;
        }
        long value = 0;
        int octets = 0;
        int i = 0;
        while (i <= length) {
            int start = i;
            int octet = 0;
            while (i < length && text.charAt(i) != '.') {
                char c = text.charAt(i);
                if (c < '0' || c > '9' || i - start >= 3) {
                    return -1;
                }
                octet = octet * 10 + (c - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || octet > 255 || (digits > 1 && text.charAt(start) == '0')) {
                return -1;
            }
            value = (value << 8) | octet;
            octets++;
            i++;
        }
        return octets == 4 ? value : -1;
    }

    /** The IPv6 literal {@code text} as an unsigned 128-bit value, or null when it is not one. */
    public static BigInteger parseV6(String text) {
        if (text.length() < 2 || text.length() > 45 || text.indexOf('%') >= 0) {
            return null;
        }
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            return null;
        }
        String head = doubleColon >= 0 ? text.substring(0, doubleColon) : text;
        String tail = doubleColon >= 0 ? text.substring(doubleColon + 2) : "";
        int[] headGroups = groups(head, doubleColon < 0);
        int[] tailGroups = doubleColon >= 0 ? groups(tail, true) : new int[0];
        if (headGroups == null || tailGroups == null) {
            return null;
        }
        int total = headGroups.length + tailGroups.length;
        if (doubleColon >= 0 ? total > 7 : total != 8) {
            return null;
        }
        int[] all = new int[8];
        System.arraycopy(headGroups, 0, all, 0, headGroups.length);
        System.arraycopy(tailGroups, 0, all, 8 - tailGroups.length, tailGroups.length);
        BigInteger value = BigInteger.ZERO;
        for (int group : all) {
            value = value.shiftLeft(16).or(BigInteger.valueOf(group));
        }
        return value;
    }

    /** 16-bit groups of a colon-separated part; the last item may be an IPv4 tail (two groups) when allowed. */
    private static int[] groups(String part, boolean ipv4TailAllowed) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] items = part.split(":", -1);
        int[] out = new int[items.length + 1];
        int n = 0;
        for (int i = 0; i < items.length; i++) {
            String item = items[i];
            if (item.indexOf('.') >= 0) {
                if (!ipv4TailAllowed || i != items.length - 1) {
                    return null;
                }
                long v4 = parseV4(item);
                if (v4 < 0) {
                    return null;
                }
                out[n++] = (int) (v4 >>> 16);
                out[n++] = (int) (v4 & 0xFFFF);
                continue;
            }
            if (item.isEmpty() || item.length() > 4) {
                return null;
            }
            int group = 0;
            for (int k = 0; k < item.length(); k++) {
                int digit = Character.digit(item.charAt(k), 16);
                if (digit < 0) {
                    return null;
                }
                group = group * 16 + digit;
            }
            out[n++] = group;
        }
        int[] trimmed = new int[n];
        System.arraycopy(out, 0, trimmed, 0, n);
        return trimmed;
    }

    /** The text form of {@code value}: dotted quad for version 4, RFC 5952 for version 6. */
    public static String format(int version, BigInteger value) {
        return version == 4 ? formatV4(value.longValue()) : formatV6(value);
    }

    public static String formatV4(long value) {
        return ((value >>> 24) & 0xFF) + "." + ((value >>> 16) & 0xFF) + "." + ((value >>> 8) & 0xFF) + "."
                + (value & 0xFF);
    }

    public static String formatV6(BigInteger value) {
        int[] groups = new int[8];
        for (int i = 7; i >= 0; i--) {
            groups[i] = value.intValue() & 0xFFFF;
            value = value.shiftRight(16);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /** Largest value of an address of {@code version}. */
    public static BigInteger max(int version) {
        return version == 4 ? V4_MAX : V6_MAX;
    }

    /** Bits of an address of {@code version}. */
    public static int bits(int version) {
        return version == 4 ? 32 : 128;
    }
}
