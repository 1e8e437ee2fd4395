package io.tlsxtractor.enrichment;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The result of {@link CertificateAnalyzer#analyze}: either an analysis or, when no presented certificate
 * could be read at all, a failure with its reason (the caller sends the record to the DLQ with it).
 *
 * @param failureReason     null for an analysis; for a failure, what was wrong with the input
 * @param host              the SNI or host the chain was checked against (null when none was given)
 * @param analyzedAt        the instant validity was judged at
 * @param leafSha256        hex SHA-256 of the leaf (null on failure)
 * @param certificates      every presented certificate that could be parsed, in presented order
 * @param path              SHA-256s from the leaf up to the last certificate linked (a trust anchor from the
 *                          store included, at the end)
 * @param trustAnchorSha256 the trust anchor the path reached, null when none
 * @param trustAnchorSubject its subject, RFC 2253; null when none
 * @param flags             the facts found (see {@link CertificateFlag})
 * @param findings          one entry per problem and certificate concerned, worst first
 */
public record CertificateAnalysis(String failureReason, String host, Instant analyzedAt, String leafSha256,
                                  List<CertificateInfo> certificates, List<String> path, String trustAnchorSha256,
                                  String trustAnchorSubject, Set<CertificateFlag> flags, List<Finding> findings) {

    public CertificateAnalysis {
        certificates = List.copyOf(certificates);
        path = List.copyOf(path);
        flags = flags.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(flags));
        findings = List.copyOf(findings);
    }

    static CertificateAnalysis failure(String reason, String host, Instant now, List<Finding> findings) {
        return new CertificateAnalysis(reason, host, now, null, List.of(), List.of(), null, null,
                EnumSet.of(CertificateFlag.UNPARSEABLE_CERTIFICATE), findings);
    }

    /** True when nothing could be analysed; see {@link #failureReason()}. */
    public boolean failed() {
        return failureReason != null;
    }

    public boolean has(CertificateFlag flag) {
        return flags.contains(flag);
    }

    public boolean chainValid() {
        return flags.contains(CertificateFlag.CHAIN_VALID);
    }

    /** The leaf's details. */
    public Optional<CertificateInfo> leaf() {
        return certificates.stream().filter(c -> c.pathIndex() == 0).findFirst();
    }

    /** The finding codes, for quick checks and logs. */
    public Set<String> findingCodes() {
        return findings.stream().map(Finding::code).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
