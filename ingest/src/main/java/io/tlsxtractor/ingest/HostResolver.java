package io.tlsxtractor.ingest;

import java.util.concurrent.CompletableFuture;

/**
 * Resolves hostnames to addresses. Implementations never throw for a name that does not resolve: the future
 * completes with a failed {@link Resolution} carrying the DNS error, which the scan reports as a result.
 */
public interface HostResolver extends AutoCloseable {

    /**
     * The A records of {@code hostname}, and its AAAA records when {@code ipv6} (1.x {@code --ipv6}).
     * The future always completes, within the resolver's deadline.
     */
    CompletableFuture<Resolution> resolve(String hostname, boolean ipv6);

    @Override
    default void close() {
    }
}
