package io.tlsxtractor.streams;

import io.tlsxtractor.schemas.avro.DnsAnswer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Resolves a newly discovered domain without blocking the caller: the inventory processor submits lookups and folds
 * completed answers in from a punctuator, so a slow resolver never stalls a stream thread. The {@link Result} becomes
 * the domain's {@code dnsAnswers} and {@code dnsStatus}. A future failed with {@link RetryLater} leaves the domain
 * pending (asked again at the next poll, or after a restart); any other failure means the lookup could not be made,
 * and the domain keeps no DNS answers and no status.
 */
@FunctionalInterface
public interface DnsLookup {

    CompletableFuture<Result> resolve(String domain);

    /**
     * What one lookup found.
     *
     * @param answers the records (A, AAAA, CNAME...), possibly empty
     * @param status null when the name resolved to at least one address; otherwise how the lookup ended
     *     ({@code NXDOMAIN}, {@code NODATA}, {@code SERVFAIL}, {@code TIMEOUT}...), which a lookup without records must
     *     say: "no answers" alone cannot tell a name that does not exist from one that was never resolved
     */
    record Result(List<DnsAnswer> answers, String status) {

        public Result {
            answers = List.copyOf(Objects.requireNonNull(answers, "answers"));
            if (status != null && status.isBlank()) {
                throw new IllegalArgumentException("a DNS status must name the outcome, got a blank one");
            }
            if (answers.isEmpty() && status == null) {
                throw new IllegalArgumentException("a DNS lookup without records must say how it ended (a status)");
            }
        }

        /** A lookup that found these records, at least one of them an address. */
        public static Result withRecords(List<DnsAnswer> answers) {
            return new Result(answers, null);
        }

        /** A lookup that ended without records, with this status. */
        public static Result withoutRecords(String status) {
            return new Result(List.of(), Objects.requireNonNull(status, "status"));
        }
    }

    /** The resolver cannot take the lookup now (overloaded, shutting down): nothing is known about the name. */
    final class RetryLater extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public RetryLater(String message) {
            super(message);
        }
    }
}
