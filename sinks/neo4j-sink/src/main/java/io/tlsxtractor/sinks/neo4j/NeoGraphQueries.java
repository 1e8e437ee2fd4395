package io.tlsxtractor.sinks.neo4j;

import java.util.Map;
import java.util.Objects;

/**
 * The graph queries the API runs, as parameterised Cypher: values travel as parameters, never spliced into the text
 * (the one exception, the path depth, is a checked integer because Cypher cannot take it as a parameter).
 *
 * <p>Keys returned for nodes are the identifying property of their label: {@code Domain.name}, {@code IP.address},
 * {@code Certificate.sha256}, {@code Organization.name}.
 */
public final class NeoGraphQueries {

    /** The deepest cluster {@link #clusterAround} allows: beyond it a well-connected graph returns most of itself. */
    public static final int MAX_DEPTH = 4;
    private static final String KEY = "coalesce(%1$s.name, %1$s.address, %1$s.sha256)";

    /** A Cypher statement and its parameters, for {@code session.run(query.text(), query.parameters())}. */
    public record CypherQuery(String text, Map<String, Object> parameters) {
        public CypherQuery {
            Objects.requireNonNull(text, "text");
            parameters = Map.copyOf(parameters);
        }
    }

    private NeoGraphQueries() {
    }

    /**
     * The relationships within {@code depth} hops of a domain, in any direction: one row per relationship with
     * {@code fromLabel, fromKey, type, via, toLabel, toKey}, at most {@code pathLimit} paths explored.
     */
    public static CypherQuery clusterAround(String domain, int depth, int pathLimit) {
        if (depth < 1 || depth > MAX_DEPTH) {
            throw new IllegalArgumentException("depth must be 1-" + MAX_DEPTH + ", not " + depth);
        }
        requirePositive(pathLimit, "pathLimit");
        String text = "MATCH (start:Domain {name: $domain}) "
                + "MATCH p = (start)-[*1.." + depth + "]-() "
                + "WITH p LIMIT $pathLimit "
                + "UNWIND relationships(p) AS r "
                + "WITH DISTINCT r, startNode(r) AS a, endNode(r) AS b "
                + "RETURN labels(a)[0] AS fromLabel, " + key("a") + " AS fromKey, type(r) AS type, r.via AS via, "
                + "labels(b)[0] AS toLabel, " + key("b") + " AS toKey "
                + "ORDER BY type, fromKey, toKey";
        return new CypherQuery(text, Map.of("domain", normalise(domain), "pathLimit", pathLimit));
    }

    /**
     * Certificates that name at least {@code minDomains} domains (shared, wildcard or multi-SAN certificates): one row
     * per certificate with {@code sha256, subjectCn, domains} (sorted), the most shared first.
     */
    public static CypherQuery sharedCertificates(int minDomains, int limit) {
        requirePositive(minDomains, "minDomains");
        requirePositive(limit, "limit");
        String text = "MATCH (c:Certificate)-[:NAMES]->(d:Domain) "
                + "WITH c, d ORDER BY d.name "
                + "WITH c, collect(d.name) AS domains WHERE size(domains) >= $minDomains "
                + "RETURN c.sha256 AS sha256, c.subjectCn AS subjectCn, domains "
                + "ORDER BY size(domains) DESC, sha256 LIMIT $limit";
        return new CypherQuery(text, Map.of("minDomains", minDomains, "limit", limit));
    }

    /**
     * The certificates a domain shares with other domains: one row per certificate naming {@code domain} and another
     * domain, with {@code sha256} and the other domains ({@code sharedWith}, sorted).
     */
    public static CypherQuery certificatesSharedWith(String domain) {
        String text = "MATCH (d:Domain {name: $domain})<-[:NAMES]-(c:Certificate)-[:NAMES]->(o:Domain) "
                + "WHERE o <> d "
                + "WITH c, o ORDER BY o.name "
                + "RETURN c.sha256 AS sha256, collect(DISTINCT o.name) AS sharedWith ORDER BY sha256";
        return new CypherQuery(text, Map.of("domain", normalise(domain)));
    }

    /**
     * The IPs hosting a registrable domain or any of its subdomains: one row per IP with {@code ip} and the
     * {@code domains} (sorted) seen on it, ordered by IP.
     */
    public static CypherQuery ipsHostingRegistrableDomain(String registrableDomain) {
        String text = "MATCH (d:Domain) WHERE d.registrableDomain = $registrable OR d.name = $registrable "
                + "MATCH (d)-[:RESOLVES_TO]->(ip:IP) "
                + "WITH ip, d ORDER BY d.name "
                + "RETURN ip.address AS ip, collect(DISTINCT d.name) AS domains ORDER BY ip";
        return new CypherQuery(text, Map.of("registrable", normalise(registrableDomain)));
    }

    private static String key(String variable) {
        return String.format(KEY, variable);
    }

    private static String normalise(String domain) {
        if (domain == null || domain.isBlank()) {
            throw new IllegalArgumentException("domain is empty");
        }
        String d = domain.strip().toLowerCase(java.util.Locale.ROOT);
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }

    private static void requirePositive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, not " + value);
        }
    }
}
