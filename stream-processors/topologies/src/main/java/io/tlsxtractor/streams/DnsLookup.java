package io.tlsxtractor.streams;

import io.tlsxtractor.schemas.avro.DnsAnswer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Resolves a newly discovered domain without blocking the caller: the inventory processor submits lookups and folds
 * completed answers in from a punctuator, so a slow resolver never stalls a stream thread. An empty list is a valid
 * answer (no records); a lookup that ended without records may say why with one {@link #STATUS_TYPE} answer.
 * A future failed with {@link RetryLater} leaves the domain pending (asked again at the next poll, or after a
 * restart); any other failure means the lookup could not be made, and the domain keeps no DNS answers.
 */
@FunctionalInterface
public interface DnsLookup {

    /**
     * The {@link DnsAnswer#getType() type} of the pseudo-answer that records how a lookup without records ended
     * ({@code NXDOMAIN}, {@code NODATA}, {@code SERVFAIL}, {@code TIMEOUT}...): the inventory schema has no field for
     * it, and "no answers" alone cannot tell a name that does not exist from one that was never resolved.
     */
    String STATUS_TYPE = "STATUS";

    CompletableFuture<List<DnsAnswer>> resolve(String domain);

    /** The resolver cannot take the lookup now (overloaded, shutting down): nothing is known about the name. */
    final class RetryLater extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public RetryLater(String message) {
            super(message);
        }
    }
}
