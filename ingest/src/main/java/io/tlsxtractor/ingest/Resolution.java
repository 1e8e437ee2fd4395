package io.tlsxtractor.ingest;

import io.tlsxtractor.schemas.avro.ErrorCode;
import java.util.List;
import java.util.Objects;

/**
 * What a hostname resolved to: its addresses (IPv4 first, then IPv6, each ascending, so that the same answer always
 * expands the same way), or the DNS error that stopped it.
 *
 * @param hostname the name asked for
 * @param addresses address literals; empty on failure
 * @param error the 1.x DNS error code on failure, else null
 * @param message what went wrong, else null
 */
public record Resolution(String hostname, List<String> addresses, ErrorCode error, String message) {

    public Resolution {
        Objects.requireNonNull(hostname, "hostname");
        addresses = List.copyOf(addresses);
        if ((error == null) == addresses.isEmpty()) {
            throw new IllegalArgumentException("a resolution has addresses or an error, not both or neither: " + hostname);
        }
    }

    public static Resolution of(String hostname, List<String> addresses) {
        return new Resolution(hostname, addresses, null, null);
    }

    public static Resolution failed(String hostname, ErrorCode error, String message) {
        return new Resolution(hostname, List.of(), Objects.requireNonNull(error, "error"), message);
    }

    public boolean succeeded() {
        return error == null;
    }
}
