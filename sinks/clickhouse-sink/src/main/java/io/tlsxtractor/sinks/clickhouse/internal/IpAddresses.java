package io.tlsxtractor.sinks.clickhouse.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** IP literals to bytes without ever resolving a name (a hostname in an IP field is bad data, not a DNS query). */
public final class IpAddresses {

    private IpAddresses() {
    }

    /** 4 bytes for an IPv4 literal, 16 for an IPv6 literal; {@link IllegalArgumentException} for anything else. */
    public static byte[] parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty IP address");
        }
        String literal = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (literal.indexOf(':') >= 0) {
            int zone = literal.indexOf('%');
            try {
                // With a colon the JDK parses the literal itself: no name lookup happens.
                InetAddress address = InetAddress.getByName(zone >= 0 ? literal.substring(0, zone) : literal);
                byte[] bytes = address.getAddress();
                return bytes.length == 4 ? mapped(bytes) : bytes;
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv6 address");
            }
        }
        String[] parts = literal.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (" + value + " > 255)");
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    /** The 16-byte form: IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d), which is how ClickHouse's IPv6 holds both. */
    public static byte[] sixteen(byte[] address) {
        return address.length == 16 ? address : mapped(address);
    }

    /** The IPv4 bytes of an IPv4 or IPv4-mapped address, else null. */
    public static byte[] ipv4(byte[] address) {
        if (address.length == 4) {
            return address;
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return null;
            }
        }
        if (address[10] != (byte) 0xFF || address[11] != (byte) 0xFF) {
            return null;
        }
        return new byte[] {address[12], address[13], address[14], address[15]};
    }

    private static byte[] mapped(byte[] v4) {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xFF;
        bytes[11] = (byte) 0xFF;
        System.arraycopy(v4, 0, bytes, 12, 4);
        return bytes;
    }

}
