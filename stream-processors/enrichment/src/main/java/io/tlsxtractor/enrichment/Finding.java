package io.tlsxtractor.enrichment;

import java.util.Objects;

/**
 * One problem of a presented chain, for a {@code vulnerability.detected} event.
 *
 * @param code              a {@link CertificateFlag#code()}
 * @param severity          how bad it is
 * @param certificateSha256 hex SHA-256 of the DER of the certificate concerned (the bytes as presented, even
 *                          when they could not be parsed)
 * @param message           what is wrong, naming the certificate's subject and the host where it helps
 */
public record Finding(String code, Severity severity, String certificateSha256, String message) {

    public Finding {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(certificateSha256, "certificateSha256");
        Objects.requireNonNull(message, "message");
    }

    static Finding of(CertificateFlag flag, String certificateSha256, String message) {
        return new Finding(flag.code(), flag.severity(), certificateSha256, message);
    }
}
