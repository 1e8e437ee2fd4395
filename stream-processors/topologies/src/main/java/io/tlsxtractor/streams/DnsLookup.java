package io.tlsxtractor.streams;

import io.tlsxtractor.schemas.avro.DnsAnswer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Resolves a newly discovered domain without blocking the caller: the inventory processor submits lookups and folds
 * completed answers in from a punctuator, so a slow resolver never stalls a stream thread. An empty list is a valid
 * answer (no records); a failed future means the lookup could not be made, and the domain keeps no DNS answers.
 */
@FunctionalInterface
public interface DnsLookup {

    CompletableFuture<List<DnsAnswer>> resolve(String domain);
}
