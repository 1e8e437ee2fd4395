package io.tlsxtractor.plugin.api;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a name being filtered was found. Immutable.
 *
 * @param source what gave the name ({@code san}, {@code csp}, a plugin name; see {@link ExtractedName})
 * @param ip the IP address probed
 * @param port the port probed
 * @param sni the server name sent, if any
 * @param scanId the scan the name was found in, when known
 */
public record FilterContext(String source, String ip, int port, Optional<String> sni, Optional<String> scanId) {

    public FilterContext {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(sni, "sni");
        Objects.requireNonNull(scanId, "scanId");
    }
}
