package io.tlsxtractor.enrichment;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The result of resolving one domain: always present, whatever happened.
 *
 * @param domain       the name as resolved (lower case, no trailing dot), or the input as given when it was
 *                     not a valid name
 * @param status       how the resolution ended
 * @param records      every A, AAAA and CNAME record of the answers, with the TTLs the server sent
 * @param cnameChain   the CNAME targets in order, from {@code domain} to the canonical name (empty without CNAME)
 * @param cacheTtl     how long this answer is (or would have been) kept in the cache: the smallest record
 *                     TTL capped by the maximum TTL, the negative TTL for NXDOMAIN/NODATA, zero otherwise
 * @param resolvedAt   when the answer arrived (for a cache hit: when the cached answer arrived)
 * @param elapsed      time from the call to the answer, including any wait for the rate limit (for a cache
 *                     hit: of the original resolution)
 * @param fromCache    true when served from the cache without sending a query
 * @param resolver     {@code host:port} of the resolver that gave the last answer, empty when none was asked
 * @param detail       why the status is what it is (error message, RCODE, the failure of the other query
 *                     type for a partial answer); empty when there is nothing to add
 */
public record DnsAnswerSet(String domain, DnsStatus status, List<DnsRecord> records, List<String> cnameChain,
                           Duration cacheTtl, Instant resolvedAt, Duration elapsed, boolean fromCache,
                           String resolver, String detail) {

    public DnsAnswerSet {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(status, "status");
        records = List.copyOf(records);
        cnameChain = List.copyOf(cnameChain);
        Objects.requireNonNull(cacheTtl, "cacheTtl");
        Objects.requireNonNull(resolvedAt, "resolvedAt");
        Objects.requireNonNull(elapsed, "elapsed");
        resolver = resolver == null ? "" : resolver;
        detail = detail == null ? "" : detail;
    }

    /** An answer without records, for failures decided before or instead of a query. */
    public static DnsAnswerSet failure(String domain, DnsStatus status, Duration elapsed, String detail) {
        return new DnsAnswerSet(domain, status, List.of(), List.of(), Duration.ZERO, Instant.now(), elapsed,
                false, "", detail);
    }

    /** The IPv4 addresses of the canonical name, in answer order. */
    public List<String> ipv4() {
        return values(DnsRecord.Type.A);
    }

    /** The IPv6 addresses of the canonical name, in answer order. */
    public List<String> ipv6() {
        return values(DnsRecord.Type.AAAA);
    }

    /** IPv4 then IPv6 addresses. */
    public List<String> addresses() {
        return records.stream().filter(r -> r.type() != DnsRecord.Type.CNAME).map(DnsRecord::value).toList();
    }

    /** The last CNAME target, or the domain itself without CNAME. */
    public String canonicalName() {
        return cnameChain.isEmpty() ? domain : cnameChain.get(cnameChain.size() - 1);
    }

    /** This answer as served from the cache. */
    public DnsAnswerSet asCacheHit() {
        return new DnsAnswerSet(domain, status, records, cnameChain, cacheTtl, resolvedAt, elapsed, true, resolver,
                detail);
    }

    private List<String> values(DnsRecord.Type type) {
        return records.stream().filter(r -> r.type() == type).map(DnsRecord::value).toList();
    }
}
