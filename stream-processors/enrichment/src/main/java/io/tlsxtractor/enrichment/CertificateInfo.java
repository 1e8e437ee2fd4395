package io.tlsxtractor.enrichment;

import java.time.Instant;
import java.util.List;

/**
 * What the analysis read from one presented certificate.
 *
 * @param position           index in the chain as presented (0 = first sent)
 * @param pathIndex          index in the built path (0 = leaf), -1 when the certificate is not on the path
 * @param sha256             hex SHA-256 of the DER
 * @param subjectDn          subject, RFC 2253
 * @param issuerDn           issuer, RFC 2253
 * @param issuerSha256       hex SHA-256 of the issuer's certificate when it was presented or is a trust anchor
 *                           (the certificate itself when self-signed); null when the issuer is unknown
 * @param serialHex          serial number, lower-case hex
 * @param notBefore          start of validity
 * @param notAfter           end of validity
 * @param signatureAlgorithm as Bouncy Castle names it ({@code SHA256WITHRSA}, ...)
 * @param keyAlgorithm       {@code RSA}, {@code EC}, {@code Ed25519}, ...
 * @param keyBits            RSA/DSA modulus size, EC field size; 0 when unknown
 * @param certificateAuthority true when basicConstraints says cA
 * @param selfSigned         true when issuer = subject and its own key verifies its signature
 * @param dnsNames           SAN dNSName entries
 * @param ipAddresses        SAN iPAddress entries
 * @param commonNames        subject CN values
 */
public record CertificateInfo(int position, int pathIndex, String sha256, String subjectDn, String issuerDn,
                              String issuerSha256, String serialHex, Instant notBefore, Instant notAfter,
                              String signatureAlgorithm, String keyAlgorithm, int keyBits, boolean certificateAuthority,
                              boolean selfSigned, List<String> dnsNames, List<String> ipAddresses,
                              List<String> commonNames) {

    public CertificateInfo {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        commonNames = List.copyOf(commonNames);
    }
}
