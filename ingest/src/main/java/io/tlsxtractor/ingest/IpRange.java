package io.tlsxtractor.ingest;

import io.tlsxtractor.ingest.internal.IpAddresses;
import java.math.BigInteger;
import java.util.Objects;

/**
 * An inclusive range of addresses of one IP version, held as unsigned numbers.
 *
 * @param version 4 or 6
 * @param first first address
 * @param last last address, not below {@code first}
 */
public record IpRange(int version, BigInteger first, BigInteger last) {

    public IpRange {
        if (version != 4 && version != 6) {
            throw new IllegalArgumentException("IP version must be 4 or 6, not " + version);
        }
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        if (first.signum() < 0 || last.compareTo(IpAddresses.max(version)) > 0 || first.compareTo(last) > 0) {
            throw new IllegalArgumentException("not an IPv" + version + " range: " + first + " to " + last);
        }
    }

    /** The one address {@code value}. */
    public static IpRange single(int version, BigInteger value) {
        return new IpRange(version, value, value);
    }

    /** Every address of the network {@code address/prefix} (host bits of {@code address} ignored). */
    public static IpRange network(int version, BigInteger address, int prefix) {
        int bits = IpAddresses.bits(version);
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix length must be 0-" + bits + " for IPv" + version + ", not " + prefix);
        }
        BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
        BigInteger base = address.andNot(hostMask);
        return new IpRange(version, base, base.or(hostMask));
    }

    /**
     * The usable hosts of {@code address/prefix} as Python's {@code ip_network(text, strict=False).hosts()} gives
     * them, which is what 1.x scanned: IPv4 leaves out the network and broadcast addresses except in a /31 and /32;
     * IPv6 leaves out the Subnet-Router anycast address (the first) except in a /127 and /128, and has no broadcast.
     * The result is always contiguous.
     */
    public static IpRange hosts(int version, BigInteger address, int prefix) {
        IpRange network = network(version, address, prefix);
        int bits = IpAddresses.bits(version);
        if (prefix >= bits - 1) {
            return network;
        }
        BigInteger last = version == 4 ? network.last.subtract(BigInteger.ONE) : network.last;
        return new IpRange(version, network.first.add(BigInteger.ONE), last);
    }

    /** How many addresses the range holds. */
    public BigInteger count() {
        return last.subtract(first).add(BigInteger.ONE);
    }

    public boolean contains(BigInteger address) {
        return first.compareTo(address) <= 0 && last.compareTo(address) >= 0;
    }

    public boolean overlaps(IpRange other) {
        return version == other.version && first.compareTo(other.last) <= 0 && other.first.compareTo(last) <= 0;
    }

    /** The prefix length when the range is exactly one CIDR network, else -1. */
    public int prefixLength() {
        BigInteger size = count();
        if (size.bitCount() != 1) {
            return -1;
        }
        int hostBits = size.bitLength() - 1;
        return first.getLowestSetBit() >= hostBits || first.signum() == 0 ? IpAddresses.bits(version) - hostBits : -1;
    }

    public String firstText() {
        return IpAddresses.format(version, first);
    }

    public String lastText() {
        return IpAddresses.format(version, last);
    }

    /** {@code 10.0.0.0/8} when the range is one network, {@code 10.0.0.1} for one address, else {@code a-b}. */
    @Override
    public String toString() {
        if (first.equals(last)) {
            return firstText();
        }
        int prefix = prefixLength();
        return prefix >= 0 ? firstText() + "/" + prefix : firstText() + "-" + lastText();
    }
}
