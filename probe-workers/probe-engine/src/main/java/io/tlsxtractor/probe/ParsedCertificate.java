package io.tlsxtractor.probe;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What could be read from one certificate. Every field may be missing on a malformed certificate
 * (empty lists, {@code null} instants, {@code 0} sizes); {@link #parseProblems()} says what could
 * not be read and why. Immutable.
 *
 * @param version X.509 version (1, 2 or 3), 0 when unreadable
 * @param serialHex serial number in lower-case hex (two's complement bytes as encoded), or {@code null}
 * @param subject subject attributes keyed like Python's {@code ssl.getpeercert()} ({@code commonName},
 *     {@code organizationName}...; unknown attribute types by OID), values in order of appearance
 * @param issuer issuer attributes, keyed the same way
 * @param subjectDn the subject as an RFC 4514 string, or {@code null}
 * @param issuerDn the issuer as an RFC 4514 string, or {@code null}
 * @param sanDns subjectAltName dNSName entries, de-duplicated, in order of appearance
 * @param sanIp subjectAltName iPAddress entries as text
 * @param sanOther other subjectAltName entries, prefixed by their type ({@code email:}, {@code uri:},
 *     {@code dirname:}, {@code othername:<oid>:}...)
 * @param notBefore start of validity, or {@code null}
 * @param notAfter end of validity, or {@code null}
 * @param sha256 SHA-256 of the whole DER encoding, lower-case hex (always present)
 * @param keyType {@code RSA}, {@code EC}, {@code Ed25519}, {@code Ed448}, {@code DSA} or the key algorithm OID
 * @param keyBits key size in bits (RSA modulus, EC field size), 0 when unknown
 * @param keyCurve named curve of an EC key ({@code secp256r1}...), or {@code null}
 * @param signatureAlgorithm signature algorithm name ({@code SHA256WITHRSA}) or its OID
 * @param ca basicConstraints cA flag
 * @param selfIssued subject equals issuer
 * @param extensionOids OIDs of the extensions present, a {@code !} suffix marking critical ones
 * @param parseProblems what could not be read; empty for a well-formed certificate
 */
public record ParsedCertificate(
        int version,
        String serialHex,
        Map<String, List<String>> subject,
        Map<String, List<String>> issuer,
        String subjectDn,
        String issuerDn,
        List<String> sanDns,
        List<String> sanIp,
        List<String> sanOther,
        Instant notBefore,
        Instant notAfter,
        String sha256,
        String keyType,
        int keyBits,
        String keyCurve,
        String signatureAlgorithm,
        boolean ca,
        boolean selfIssued,
        List<String> extensionOids,
        List<String> parseProblems) {

    public ParsedCertificate {
        Objects.requireNonNull(sha256, "sha256");
        // Attribute order is the certificate's: keep it for display.
        subject = Collections.unmodifiableMap(new LinkedHashMap<>(subject));
        issuer = Collections.unmodifiableMap(new LinkedHashMap<>(issuer));
        sanDns = List.copyOf(sanDns);
        sanIp = List.copyOf(sanIp);
        sanOther = List.copyOf(sanOther);
        extensionOids = List.copyOf(extensionOids);
        parseProblems = List.copyOf(parseProblems);
    }

    /** The subject commonName values (usually one; zero or several on odd certificates). */
    public List<String> commonNames() {
        return subject.getOrDefault("commonName", List.of());
    }

    /** Whether the certificate was outside its validity period at {@code now}; false when unknown. */
    public boolean expiredAt(Instant now) {
        return notAfter != null && now.isAfter(notAfter);
    }

    /** Whether the certificate was not yet valid at {@code now}; false when unknown. */
    public boolean notYetValidAt(Instant now) {
        return notBefore != null && now.isBefore(notBefore);
    }

    /** Whether everything could be read. */
    public boolean wellFormed() {
        return parseProblems.isEmpty();
    }
}
