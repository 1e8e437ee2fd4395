package io.tlsxtractor.enrichment;

import org.xbill.DNS.Address;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Configuration of a {@link DnsEnricher}, validated on construction (every problem is listed in one
 * {@link IllegalArgumentException}).
 *
 * @param resolvers            resolvers as {@code host[:port]} (port 53 by default); hosts are IP literals, IPv6 in
 *                             brackets when a port follows ({@code [::1]:5353}), so that configuring the resolver
 *                             never needs a resolver. Queries go to the first; each retry goes to the next one.
 * @param queryTimeout         deadline of one query attempt
 * @param retries              further attempts after a timeout, a garbage answer, a network error, SERVFAIL or
 *                             REFUSED (0 = one attempt only)
 * @param cacheMaxEntries      size bound of the answer cache (0 disables caching)
 * @param maxTtl               cap on how long a positive answer is cached, whatever its records' TTL
 * @param negativeTtl          how long NXDOMAIN and NODATA answers are cached
 * @param queriesPerSecond     token-bucket rate of DNS messages sent (burst: one second's worth)
 * @param maxConcurrentQueries bound on resolutions in flight, those waiting for the rate limit included;
 *                             beyond it {@code resolve} answers {@link DnsStatus#OVERLOADED} at once
 */
public record DnsSettings(List<String> resolvers, Duration queryTimeout, int retries, long cacheMaxEntries,
                          Duration maxTtl, Duration negativeTtl, double queriesPerSecond, int maxConcurrentQueries) {

    public static final int DEFAULT_PORT = 53;

    public DnsSettings {
        List<String> problems = new ArrayList<>();
        if (resolvers == null || resolvers.isEmpty()) {
            problems.add("dns.resolvers: at least one resolver is required");
            resolvers = List.of();
        } else {
            resolvers = List.copyOf(resolvers);
            for (String r : resolvers) {
                try {
                    parseResolver(r);
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        if (queryTimeout == null || queryTimeout.isNegative() || queryTimeout.isZero()) {
            problems.add("dns.query-timeout: must be positive, was " + queryTimeout);
        }
        if (retries < 0 || retries > 10) {
            problems.add("dns.retries: must be 0..10, was " + retries);
        }
        if (cacheMaxEntries < 0) {
            problems.add("dns.cache-max-entries: must be >= 0, was " + cacheMaxEntries);
        }
        if (maxTtl == null || maxTtl.isNegative()) {
            problems.add("dns.max-ttl: must be >= 0, was " + maxTtl);
        }
        if (negativeTtl == null || negativeTtl.isNegative()) {
            problems.add("dns.negative-ttl: must be >= 0, was " + negativeTtl);
        }
        if (!(queriesPerSecond > 0) || Double.isInfinite(queriesPerSecond)) {
            problems.add("dns.queries-per-second: must be a positive number, was " + queriesPerSecond);
        }
        if (maxConcurrentQueries < 1) {
            problems.add("dns.max-concurrent-queries: must be >= 1, was " + maxConcurrentQueries);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid DNS settings: " + String.join("; ", problems));
        }
    }

    /**
     * Defaults for these resolvers: 2 s per query, 1 retry, 100,000 cached answers, TTL capped at 1 h,
     * negative answers kept 5 min, 200 queries/s, 256 resolutions in flight.
     */
    public static DnsSettings defaults(List<String> resolvers) {
        return new DnsSettings(resolvers, Duration.ofSeconds(2), 1, 100_000, Duration.ofHours(1),
                Duration.ofMinutes(5), 200, 256);
    }

    public DnsSettings withQueryTimeout(Duration value) {
        return new DnsSettings(resolvers, value, retries, cacheMaxEntries, maxTtl, negativeTtl, queriesPerSecond,
                maxConcurrentQueries);
    }

    public DnsSettings withRetries(int value) {
        return new DnsSettings(resolvers, queryTimeout, value, cacheMaxEntries, maxTtl, negativeTtl, queriesPerSecond,
                maxConcurrentQueries);
    }

    public DnsSettings withCacheMaxEntries(long value) {
        return new DnsSettings(resolvers, queryTimeout, retries, value, maxTtl, negativeTtl, queriesPerSecond,
                maxConcurrentQueries);
    }

    public DnsSettings withMaxTtl(Duration value) {
        return new DnsSettings(resolvers, queryTimeout, retries, cacheMaxEntries, value, negativeTtl, queriesPerSecond,
                maxConcurrentQueries);
    }

    public DnsSettings withNegativeTtl(Duration value) {
        return new DnsSettings(resolvers, queryTimeout, retries, cacheMaxEntries, maxTtl, value, queriesPerSecond,
                maxConcurrentQueries);
    }

    public DnsSettings withQueriesPerSecond(double value) {
        return new DnsSettings(resolvers, queryTimeout, retries, cacheMaxEntries, maxTtl, negativeTtl, value,
                maxConcurrentQueries);
    }

    public DnsSettings withMaxConcurrentQueries(int value) {
        return new DnsSettings(resolvers, queryTimeout, retries, cacheMaxEntries, maxTtl, negativeTtl, queriesPerSecond,
                value);
    }

    /** The resolvers as socket addresses, in the configured order. */
    public List<InetSocketAddress> resolverAddresses() {
        return resolvers.stream().map(DnsSettings::parseResolver).toList();
    }

    /**
     * Parses {@code host[:port]}: {@code 127.0.0.1}, {@code 127.0.0.1:5353}, {@code ::1}, {@code [::1]:5353}.
     *
     * @throws IllegalArgumentException naming the entry when it is not an IP literal with an optional port 1..65535
     */
    public static InetSocketAddress parseResolver(String entry) {
        if (entry == null || entry.isBlank()) {
            throw new IllegalArgumentException("dns.resolvers: empty entry");
        }
        String text = entry.trim();
        String host = text;
        int port = DEFAULT_PORT;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("dns.resolvers: '" + entry + "' has no closing ']'");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("dns.resolvers: '" + entry + "': expected ':port' after ']'");
                }
                port = parsePort(entry, rest.substring(1));
            }
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            host = text.substring(0, text.indexOf(':'));
            port = parsePort(entry, text.substring(text.indexOf(':') + 1));
        }
        try {
            // Address.getByAddress parses literals only: a host name is refused instead of being looked up.
            InetAddress address = Address.getByAddress(host);
            return new InetSocketAddress(address, port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("dns.resolvers: '" + entry + "' is not an IP address (host names are "
                    + "not accepted: they would need a resolver to find the resolver)");
        }
    }

    private static int parsePort(String entry, String text) {
        try {
            int port = Integer.parseInt(text);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("dns.resolvers: '" + entry + "' has an invalid port '" + text + "'");
        }
    }
}
