package io.tlsxtractor.ingest;

import io.tlsxtractor.schemas.avro.TargetType;
import java.util.Objects;

/** One target read from the input, before the scope policy and DNS: addresses, or a hostname to resolve. */
public sealed interface ParsedTarget permits ParsedTarget.Addresses, ParsedTarget.Host {

    /** How the target was written. */
    TargetType type();

    /** The text it was read from, trimmed. */
    String text();

    /** Its own port (from {@code ip:port}, {@code host:port} or a URL), or null for the scan's ports. */
    Integer port();

    /** The URL it came from, or null. */
    String url();

    /**
     * A CIDR network (its usable hosts, see {@link IpRange#hosts}), an address range, one address, {@code ip:port}, or
     * a URL whose host is an address.
     */
    record Addresses(TargetType type, String text, IpRange range, Integer port, String url) implements ParsedTarget {
        public Addresses {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(range, "range");
        }
    }

    /** A hostname (lower-case, ASCII/punycode, no trailing dot), {@code host:port}, or a URL with a hostname. */
    record Host(TargetType type, String text, String hostname, Integer port, String url) implements ParsedTarget {
        public Host {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(hostname, "hostname");
        }
    }
}
