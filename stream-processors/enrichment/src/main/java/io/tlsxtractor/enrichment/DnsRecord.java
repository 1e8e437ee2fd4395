package io.tlsxtractor.enrichment;

import java.util.Objects;

/**
 * One record of an answer: owner name (lower case, no trailing dot), type, TTL as the server sent it,
 * and the value (an address for A/AAAA, the target name for CNAME).
 */
public record DnsRecord(String name, Type type, long ttlSeconds, String value) {

    /** The record types the enricher asks for or follows. */
    public enum Type { A, AAAA, CNAME }

    public DnsRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if (ttlSeconds < 0) {
            throw new IllegalArgumentException("negative TTL " + ttlSeconds + " for " + name + " " + type);
        }
    }
}
