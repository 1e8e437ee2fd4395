package io.tlsxtractor.plugin.api;

import java.util.Objects;
import java.util.Optional;

/**
 * What to enrich: a domain, or a certificate. Immutable.
 *
 * @param subjectKind whether {@link #subject()} is a domain or a certificate
 * @param subject the domain name, or the certificate's subject distinguished name
 * @param certificateSha256 for a certificate: its SHA-256 fingerprint, lower-case hex
 */
public record EnrichmentInput(SubjectKind subjectKind, String subject, Optional<String> certificateSha256) {

    /** What is being enriched. */
    public enum SubjectKind { DOMAIN, CERTIFICATE }

    public EnrichmentInput {
        Objects.requireNonNull(subjectKind, "subjectKind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(certificateSha256, "certificateSha256");
        if (subjectKind == SubjectKind.CERTIFICATE && certificateSha256.isEmpty()) {
            throw new IllegalArgumentException("certificate " + subject + " given without its SHA-256");
        }
    }

    public static EnrichmentInput domain(String domain) {
        return new EnrichmentInput(SubjectKind.DOMAIN, domain, Optional.empty());
    }

    public static EnrichmentInput certificate(String subjectDn, String sha256) {
        return new EnrichmentInput(SubjectKind.CERTIFICATE, subjectDn, Optional.of(sha256));
    }
}
