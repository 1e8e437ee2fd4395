package io.tlsxtractor.sinks.neo4j.internal;

import io.tlsxtractor.schemas.avro.Certificate;
import io.tlsxtractor.schemas.avro.CertificateFields;
import io.tlsxtractor.schemas.avro.ChainCertificate;
import io.tlsxtractor.schemas.avro.DomainObservation;
import io.tlsxtractor.schemas.avro.DomainRecord;
import io.tlsxtractor.schemas.avro.ExtractedName;
import io.tlsxtractor.schemas.avro.NameSource;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.sinks.neo4j.internal.GraphFacts.Label;
import io.tlsxtractor.sinks.neo4j.internal.GraphFacts.RelType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one decoded record into graph facts. Pure: no I/O, so it is tested without a server, and a record it rejects
 * (with an {@link IllegalArgumentException} saying why) goes to the dead-letter queue before any write.
 */
public final class GraphMapper {

    private static final String ORGANIZATION = "organizationName";
    private static final String COMMON_NAME = "commonName";

    private GraphMapper() {
    }

    public static GraphFacts map(Object value) {
        if (value instanceof ProbeResult p) {
            return probeResult(p);
        }
        if (value instanceof DomainObservation o) {
            return observation(o);
        }
        if (value instanceof DomainRecord r) {
            return domainRecord(r);
        }
        if (value instanceof Certificate c) {
            return certificate(c);
        }
        throw new IllegalArgumentException("no graph mapping for " + (value == null ? "a null value (tombstone)"
                : value.getClass().getName()));
    }

    static GraphFacts probeResult(ProbeResult p) {
        long t = millis(p.getProbedAt());
        String ip = address(p.getIp());
        GraphFacts facts = new GraphFacts().node(Label.IP, ip, Map.of(), t, t);
        List<ChainCertificate> chain = p.getChain();
        String leaf = chain.isEmpty() ? null : hex(chain.get(0).getSha256());
        for (int i = 0; i < chain.size(); i++) {
            String sha = hex(chain.get(i).getSha256());
            facts.node(Label.CERTIFICATE, sha, Map.of(), t, t);
            if (i + 1 < chain.size()) {
                facts.rel(RelType.ISSUED_BY, sha, hex(chain.get(i + 1).getSha256()), null, t, t);
            }
        }
        if (leaf != null) {
            facts.rel(RelType.PRESENTED, ip, leaf, null, t, t);
            CertificateFields fields = p.getLeaf();
            if (fields != null) {
                organization(facts, leaf, fields, t, t);
            }
        }
        String site = p.getSni() != null ? domain(p.getSni()) : p.getHostname() != null ? domain(p.getHostname()) : null;
        for (ExtractedName name : p.getNames()) {
            String domain = domain(name.getName());
            NameSource source = name.getSource();
            facts.node(Label.DOMAIN, domain, Map.of(), t, t);
            if (source == NameSource.CSP || source == NameSource.JS) {
                if (site != null && !site.equals(domain)) {
                    facts.rel(RelType.REFERENCES, site, domain, via(source), t, t);
                }
                continue;
            }
            if ((source == NameSource.SAN || source == NameSource.CN) && leaf != null) {
                facts.rel(RelType.NAMES, leaf, domain, null, t, t);
            }
            if (source == NameSource.SAN || source == NameSource.CN || source == NameSource.SNI) {
                facts.rel(RelType.RESOLVES_TO, domain, ip, null, t, t);
            }
        }
        return facts;
    }

    static GraphFacts observation(DomainObservation o) {
        long t = millis(o.getObservedAt());
        String domain = domain(o.getDomain());
        GraphFacts facts = new GraphFacts();
        domainNode(facts, domain, o.getRegistrableDomain(), t, t);
        NameSource source = o.getSource();
        boolean referenced = source == NameSource.CSP || source == NameSource.JS;
        if (referenced) {
            if (o.getSni() != null && !domain(o.getSni()).equals(domain)) {
                facts.rel(RelType.REFERENCES, domain(o.getSni()), domain, via(source), t, t);
            }
        } else if (o.getIp() != null) {
            facts.rel(RelType.RESOLVES_TO, domain, address(o.getIp()), null, t, t);
        }
        if (o.getCertSha256() != null && !referenced) {
            facts.rel(RelType.NAMES, hex(o.getCertSha256()), domain, null, t, t);
        }
        return facts;
    }

    static GraphFacts domainRecord(DomainRecord r) {
        long first = millis(r.getFirstSeen());
        long last = millis(r.getLastSeen());
        String domain = domain(r.getDomain());
        GraphFacts facts = new GraphFacts();
        domainNode(facts, domain, r.getRegistrableDomain(), first, last);
        for (String endpoint : r.getIps()) {
            facts.rel(RelType.RESOLVES_TO, domain, address(hostOf(endpoint)), null, first, last);
        }
        for (String sha : r.getCertificates()) {
            facts.rel(RelType.NAMES, hex(sha), domain, null, first, last);
        }
        return facts;
    }

    static GraphFacts certificate(Certificate c) {
        long first = millis(c.getFirstSeen());
        long last = millis(c.getLastSeen());
        String sha = hex(c.getSha256());
        CertificateFields f = c.getFields();
        Map<String, Object> props = new LinkedHashMap<>();
        put(props, "subjectCn", f.getSubject().get(COMMON_NAME));
        put(props, "subjectDn", f.getSubjectDn());
        put(props, "issuerDn", f.getIssuerDn());
        put(props, "issuerCn", f.getIssuer().get(COMMON_NAME));
        put(props, "notBefore", f.getNotBefore() == null ? null : millis(f.getNotBefore()));
        put(props, "notAfter", f.getNotAfter() == null ? null : millis(f.getNotAfter()));
        put(props, "serialNumber", f.getSerialNumber());
        put(props, "keyType", f.getKeyType());
        put(props, "keySize", f.getKeySize());
        put(props, "signatureAlgorithm", f.getSignatureAlgorithm());
        props.put("isCa", f.getIsCa());
        props.put("selfSigned", c.getSelfSigned());
        props.put("expired", c.getExpired());
        props.put("weakKey", c.getWeakKey());
        props.put("sha1Signature", c.getSha1Signature());
        put(props, "chainValid", c.getChainValid());
        GraphFacts facts = new GraphFacts().node(Label.CERTIFICATE, sha, props, first, last);
        if (c.getIssuerSha256() != null && !hex(c.getIssuerSha256()).equals(sha)) {
            facts.rel(RelType.ISSUED_BY, sha, hex(c.getIssuerSha256()), null, first, last);
        }
        organization(facts, sha, f, first, last);
        for (String san : f.getSans()) {
            facts.rel(RelType.NAMES, sha, domain(san), null, first, last);
        }
        return facts;
    }

    private static void organization(GraphFacts facts, String sha, CertificateFields fields, long first, long last) {
        String org = fields.getSubject().get(ORGANIZATION);
        if (org != null && !org.isBlank()) {
            facts.rel(RelType.ISSUED_TO, sha, org.strip(), null, first, last);
        }
    }

    private static void domainNode(GraphFacts facts, String domain, String registrable, long first, long last) {
        Map<String, Object> props = new LinkedHashMap<>();
        if (registrable != null && !registrable.isBlank()) {
            String reg = domain(registrable);
            props.put("registrableDomain", reg);
            if (!reg.equals(domain)) {
                facts.node(Label.DOMAIN, reg, Map.of("registrableDomain", reg), first, last);
                facts.rel(RelType.SUBDOMAIN_OF, domain, reg, null, first, last);
            }
        }
        facts.node(Label.DOMAIN, domain, props, first, last);
    }

    /** Lower case without a trailing dot, as the pipeline normalises names. */
    static String domain(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a domain name is empty");
        }
        String d = name.strip().toLowerCase(Locale.ROOT);
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }

    /** The host of {@code ip:port}, {@code [v6]:port} or a bare address (a bare IPv6 has several colons). */
    static String hostOf(String endpoint) {
        String e = endpoint.strip();
        if (e.startsWith("[")) {
            int close = e.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("endpoint '" + endpoint + "' has '[' without ']'");
            }
            return e.substring(1, close);
        }
        int colon = e.indexOf(':');
        return colon >= 0 && colon == e.lastIndexOf(':') ? e.substring(0, colon) : e;
    }

    private static String address(String ip) {
        if (ip == null || ip.isBlank()) {
            throw new IllegalArgumentException("an IP address is empty");
        }
        return ip.strip().toLowerCase(Locale.ROOT);
    }

    private static String hex(String sha256) {
        if (sha256 == null || sha256.isBlank()) {
            throw new IllegalArgumentException("a certificate SHA-256 is empty");
        }
        return sha256.strip().toLowerCase(Locale.ROOT);
    }

    private static String via(NameSource source) {
        return source.name().toLowerCase(Locale.ROOT);
    }

    private static long millis(Instant time) {
        if (time == null) {
            throw new IllegalArgumentException("a timestamp is missing");
        }
        return time.toEpochMilli();
    }

    private static void put(Map<String, Object> props, String key, Object value) {
        if (value != null) {
            props.put(key, value);
        }
    }
}
