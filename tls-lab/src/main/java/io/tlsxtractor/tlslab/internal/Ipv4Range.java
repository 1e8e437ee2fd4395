package io.tlsxtractor.tlslab.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 CIDR block (a single address is a /32), held as unsigned 32-bit bounds. */
public final class Ipv4Range {

    private final long first;
    private final int prefix;

    private Ipv4Range(long first, int prefix) {
        this.first = first;
        this.prefix = prefix;
    }

    /**
     * Parses {@code a.b.c.d} or {@code a.b.c.d/n}. Host bits set below the prefix are refused, so that a
     * typo does not silently widen or move a block.
     */
    public static Ipv4Range parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        int prefix;
        if (slash < 0) {
            prefix = 32;
        } else {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in '" + text + "'");
            }
            if (prefix < 0 || prefix > 32) {
                throw new IllegalArgumentException("prefix length must be 0-32 in '" + text + "'");
            }
        }
        long value = parseAddress(address, text);
        long mask = mask(prefix);
        if ((value & ~mask & 0xFFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("'" + text + "' has host bits set; the block starts at "
                    + format(value & mask) + "/" + prefix);
        }
        return new Ipv4Range(value, prefix);
    }

    private static long parseAddress(String address, String original) {
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + original + "' is not an IPv4 address or CIDR block");
        }
        long value = 0;
        for (String part : parts) {
            int octet;
            try {
                octet = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + original + "' is not an IPv4 address or CIDR block");
            }
            if (octet < 0 || octet > 255 || part.isEmpty() || part.length() > 3) {
                throw new IllegalArgumentException("'" + original + "' has an octet out of range");
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    private static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
    }

    public static long toLong(InetAddress address) {
        if (!(address instanceof Inet4Address)) {
            throw new IllegalArgumentException("the lab serves IPv4 addresses only, got " + address);
        }
        byte[] b = address.getAddress();
        return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
    }

    public static String format(long value) {
        return ((value >>> 24) & 0xFF) + "." + ((value >>> 16) & 0xFF) + "." + ((value >>> 8) & 0xFF) + "." + (value & 0xFF);
    }

    public static InetAddress toAddress(long value) {
        byte[] b = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always a valid address", e);
        }
    }

    public boolean contains(long address) {
        return address >= first && address <= last();
    }

    public boolean contains(InetAddress address) {
        return address instanceof Inet4Address && contains(toLong(address));
    }

    /** True when every address of {@code other} is in this block. */
    public boolean encloses(Ipv4Range other) {
        return contains(other.first) && contains(other.last());
    }

    public long first() {
        return first;
    }

    public long last() {
        return first + size() - 1;
    }

    public long size() {
        return 1L << (32 - prefix);
    }

    public int prefix() {
        return prefix;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv4Range && ((Ipv4Range) o).first == first && ((Ipv4Range) o).prefix == prefix;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(first) * 31 + prefix;
    }

    @Override
    public String toString() {
        return prefix == 32 ? format(first) : format(first) + "/" + prefix;
    }
}
