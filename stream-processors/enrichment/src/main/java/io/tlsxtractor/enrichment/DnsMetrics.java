package io.tlsxtractor.enrichment;

import java.util.Map;

/**
 * Counters of a {@link DnsEnricher} since it was made (a snapshot; counters only grow, except
 * {@code inFlight} and {@code cacheSize}).
 *
 * @param resolutions   calls to {@code resolve}
 * @param queriesSent   DNS messages sent (one per query type and attempt, CNAME follow-ups included)
 * @param cacheHits     resolutions answered from the cache
 * @param cacheMisses   resolutions not found in the cache (including those joined to an identical one in flight)
 * @param joined        resolutions that shared the answer of an identical one already in flight
 * @param byStatus      completed resolutions by status (cache hits included), statuses never seen are absent
 * @param inFlight      resolutions admitted and not yet answered
 * @param cacheSize     entries in the cache (an estimate, as Caffeine gives it)
 */
public record DnsMetrics(long resolutions, long queriesSent, long cacheHits, long cacheMisses, long joined,
                         Map<DnsStatus, Long> byStatus, int inFlight, long cacheSize) {

    public DnsMetrics {
        byStatus = Map.copyOf(byStatus);
    }

    /** Completed resolutions with this status. */
    public long count(DnsStatus status) {
        return byStatus.getOrDefault(status, 0L);
    }

    /** Completed resolutions that did not end with OK, NODATA or NXDOMAIN. */
    public long failures() {
        return byStatus.entrySet().stream().filter(e -> !e.getKey().isCacheable()).mapToLong(Map.Entry::getValue).sum();
    }
}
