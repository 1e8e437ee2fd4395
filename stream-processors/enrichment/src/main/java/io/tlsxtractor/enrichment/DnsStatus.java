package io.tlsxtractor.enrichment;

/**
 * How a resolution ended: a closed set, so that a failure is recorded as data and never dropped.
 *
 * <p>{@link #isCacheable()} says which outcomes are facts about the name (cached for their TTL or the
 * negative TTL) and which are facts about the moment (not cached: the next call asks again).
 */
public enum DnsStatus {
    /** At least one A or AAAA record (possibly at the end of a CNAME chain). */
    OK(true),
    /** The name exists but has no A or AAAA record. */
    NODATA(true),
    /** The name does not exist (RCODE 3). */
    NXDOMAIN(true),
    /** The resolver answered SERVFAIL (RCODE 2). */
    SERVFAIL(false),
    /** The resolver refused the query (RCODE 5). */
    REFUSED(false),
    /** The resolver answered FORMERR (RCODE 1). */
    FORMERR(false),
    /** Any other RCODE (NOTIMP, ...); the detail names it. */
    OTHER_RCODE(false),
    /** The answer could not be read as a DNS message for this query (too short, wrong id, malformed). */
    GARBAGE(false),
    /** No answer within the per-query timeout, after every retry. */
    TIMEOUT(false),
    /** The query could not be sent or the answer received (port unreachable, socket error). */
    NETWORK_ERROR(false),
    /** The input is not a DNS name; nothing was sent. */
    INVALID_NAME(false),
    /**
     * The enricher already has {@code maxConcurrentQueries} resolutions in flight; nothing was sent. The
     * caller should retry later (this is the backpressure signal, not a fact about the name).
     */
    OVERLOADED(false),
    /** The enricher is closed. */
    CLOSED(false),
    /** An unexpected error inside the enricher; the detail says what. */
    ERROR(false);

    private final boolean cacheable;

    DnsStatus(boolean cacheable) {
        this.cacheable = cacheable;
    }

    /** True for answers about the name itself, which the cache keeps for their TTL. */
    public boolean isCacheable() {
        return cacheable;
    }

    /** True when the name resolved to at least one address. */
    public boolean isSuccess() {
        return this == OK;
    }
}
