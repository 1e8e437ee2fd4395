package io.tlsxtractor.streams;

import io.tlsxtractor.probe.ParsedCertificate;
import java.time.Instant;
import java.util.List;

/**
 * Judges a certificate the first time the pipeline sees it. The findings become flags of the
 * {@link io.tlsxtractor.schemas.avro.Certificate} record and, for each problem, one {@code vulnerability.detected}
 * event. Called on a stream thread, once per distinct certificate: it must not block on I/O.
 */
@FunctionalInterface
public interface CertificateInspector {

    /**
     * @param der the certificate
     * @param parsed what {@link io.tlsxtractor.probe.CertificateParser} read from it
     * @param position its position in the chain it was seen in (0 = leaf)
     * @param chain the whole chain, leaf first (empty for a certificate not seen as a leaf)
     * @param servedFor the SNI or hostname it was served for, or null for a bare IP probe
     * @param now the analysis time
     */
    Verdict inspect(byte[] der, ParsedCertificate parsed, int position, List<byte[]> chain, String servedFor,
            Instant now);

    /**
     * The flags of one certificate and the problems worth an event.
     *
     * @param chainValid whether the chain validated to a trust anchor; null = not checked
     * @param trustAnchor the anchor's subject when it validated
     * @param problems each problem as {@code finding → human-readable reason}, in a stable order
     */
    record Verdict(boolean expired, boolean notYetValid, boolean selfSigned, boolean weakKey, boolean sha1Signature,
            boolean hostnameMismatch, Boolean chainValid, String trustAnchor, List<Problem> problems) {

        public Verdict {
            problems = List.copyOf(problems);
        }
    }

    /** One problem: a short stable finding id ({@code expired}, {@code weak-key}...) and why. */
    record Problem(String finding, String reason) {
    }
}
