package io.tlsxtractor.enrichment;

/**
 * The facts a {@link CertificateAnalysis} states about a presented chain. Every flag except
 * {@link #CHAIN_VALID} is a problem and comes with at least one {@link Finding} of the same {@link #code()}.
 */
public enum CertificateFlag {
    /** A certificate of the path (leaf, presented intermediate or presented root) is past its notAfter. */
    EXPIRED("expired", Severity.HIGH),
    /** A certificate of the path is before its notBefore. */
    NOT_YET_VALID("not_yet_valid", Severity.MEDIUM),
    /** The leaf is signed by its own key. */
    SELF_SIGNED("self_signed", Severity.HIGH),
    /** A presented certificate of the path has an RSA or DSA key under 2048 bits or an EC key under 256 bits. */
    WEAK_KEY("weak_key", Severity.HIGH),
    /** A certificate of the path is signed with SHA-1 (self-signed roots excepted: their signature is not relied on). */
    SHA1_SIGNATURE("sha1_signature", Severity.MEDIUM),
    /** A certificate of the path is signed with MD5 or MD2 (self-signed roots excepted). */
    MD5_SIGNATURE("md5_signature", Severity.CRITICAL),
    /** The leaf is not valid for the host name or address the client asked for (RFC 6125). */
    HOSTNAME_MISMATCH("hostname_mismatch", Severity.HIGH),
    /**
     * The path stops at a certificate that is not self-signed and whose issuer was neither presented nor
     * is a trust anchor: a link is missing (or the issuer is unknown to the trust store).
     */
    INCOMPLETE_CHAIN("incomplete_chain", Severity.MEDIUM),
    /** The path ends at a self-signed certificate that is not a trust anchor. */
    UNTRUSTED_ROOT("untrusted_root", Severity.HIGH),
    /** An issuer with the right name was found but its key does not verify the signature. */
    SIGNATURE_INVALID("signature_invalid", Severity.CRITICAL),
    /** A presented certificate could not be parsed; it is left out of the path. */
    UNPARSEABLE_CERTIFICATE("unparseable_certificate", Severity.MEDIUM),
    /**
     * The good flag: a path from the leaf to a trust anchor exists and every signature on it verifies.
     * Validity periods, names and key strength are separate flags.
     */
    CHAIN_VALID("chain_valid", null);

    private final String code;
    private final Severity severity;

    CertificateFlag(String code, Severity severity) {
        this.code = code;
        this.severity = severity;
    }

    /** The stable lower-case code used in events and the certificate topic. */
    public String code() {
        return code;
    }

    /** The severity of the findings of this flag; null for {@link #CHAIN_VALID}. */
    public Severity severity() {
        return severity;
    }

    /** True for every flag that states a problem. */
    public boolean isProblem() {
        return this != CHAIN_VALID;
    }
}
