package io.tlsxtractor.streams;

import io.tlsxtractor.enrichment.CertificateAnalysis;
import io.tlsxtractor.enrichment.CertificateAnalyzer;
import io.tlsxtractor.enrichment.CertificateFlag;
import io.tlsxtractor.enrichment.DnsAnswerSet;
import io.tlsxtractor.enrichment.DnsEnricher;
import io.tlsxtractor.enrichment.DnsRecord;
import io.tlsxtractor.enrichment.DnsStatus;
import io.tlsxtractor.enrichment.Finding;
import io.tlsxtractor.probe.ParsedCertificate;
import io.tlsxtractor.schemas.avro.DnsAnswer;
import io.tlsxtractor.streams.internal.BasicCertificateInspector;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Adapters from the enrichment module to what the topology calls: {@link DnsLookup} and {@link CertificateInspector}. */
public final class Enrichment {

    private Enrichment() {
    }

    /**
     * DNS lookups through {@code enricher}: its A, AAAA and CNAME records; a resolution that ended without an address
     * (NXDOMAIN, NODATA, SERVFAIL, TIMEOUT...) also carries its status, the {@link DnsStatus} name. {@code OVERLOADED}
     * and {@code CLOSED} say nothing about the name: they fail the lookup with {@link DnsLookup.RetryLater}, so that
     * it is asked again.
     */
    public static DnsLookup dns(DnsEnricher enricher) {
        return domain -> enricher.resolve(domain).thenApply(set -> {
            if (set.status() == DnsStatus.OVERLOADED || set.status() == DnsStatus.CLOSED) {
                throw new DnsLookup.RetryLater("resolving " + domain + ": " + set.status()
                        + (set.detail().isEmpty() ? "" : " (" + set.detail() + ")"));
            }
            return result(set);
        });
    }

    static DnsLookup.Result result(DnsAnswerSet set) {
        List<DnsAnswer> out = new ArrayList<>(set.records().size());
        Instant at = set.resolvedAt() == null ? Instant.now() : set.resolvedAt();
        for (DnsRecord r : set.records()) {
            out.add(DnsAnswer.newBuilder().setType(r.type().name()).setValue(r.value()).setTtl(r.ttlSeconds())
                    .setResolvedAt(at).build());
        }
        // OK means at least one address; a CNAME chain that ends nowhere is NODATA and keeps its CNAME records.
        return new DnsLookup.Result(out, set.status() == DnsStatus.OK ? null : set.status().name());
    }

    /**
     * Certificate analysis through {@code analyzer}: a leaf is analysed with the chain it came in (path building,
     * signatures, trust anchor, host name); a certificate first seen inside a chain gets the checks that need only
     * itself.
     */
    public static CertificateInspector inspector(CertificateAnalyzer analyzer) {
        BasicCertificateInspector basic = new BasicCertificateInspector();
        return (der, parsed, position, chain, servedFor, now) -> position != 0 || chain.isEmpty()
                ? basic.inspect(der, parsed, position, chain, servedFor, now)
                : verdict(analyzer.analyze(chain, servedFor, now), parsed);
    }

    static CertificateInspector.Verdict verdict(CertificateAnalysis analysis, ParsedCertificate parsed) {
        String sha = parsed.sha256();
        Set<CertificateFlag> flags = EnumSet.noneOf(CertificateFlag.class);
        List<CertificateInspector.Problem> problems = new ArrayList<>();
        for (Finding finding : analysis.findings()) {
            // Findings about other certificates of the chain belong to those certificates' records.
            if (finding.certificateSha256() != null && !finding.certificateSha256().equals(sha)) {
                continue;
            }
            CertificateFlag flag = flag(finding.code());
            if (flag != null) {
                flags.add(flag);
                if (!flag.isProblem()) {
                    continue;
                }
            }
            problems.add(new CertificateInspector.Problem(finding.code(),
                    finding.message() + " (severity " + finding.severity() + ")"));
        }
        return new CertificateInspector.Verdict(flags.contains(CertificateFlag.EXPIRED),
                flags.contains(CertificateFlag.NOT_YET_VALID), flags.contains(CertificateFlag.SELF_SIGNED),
                flags.contains(CertificateFlag.WEAK_KEY),
                flags.contains(CertificateFlag.SHA1_SIGNATURE) || flags.contains(CertificateFlag.MD5_SIGNATURE),
                flags.contains(CertificateFlag.HOSTNAME_MISMATCH), analysis.failed() ? null : analysis.chainValid(),
                analysis.trustAnchorSubject(), problems);
    }

    private static CertificateFlag flag(String code) {
        for (CertificateFlag f : CertificateFlag.values()) {
            if (f.code().equals(code)) {
                return f;
            }
        }
        return null;
    }
}
