package io.tlsxtractor.enrichment;

import java.nio.file.Path;

/**
 * Where the {@link CertificateAnalyzer} finds its trust anchors.
 *
 * @param pemBundle a file of PEM certificates to trust instead of the JDK's; null for the JDK's trust store
 *                  (its {@code cacerts}, or whatever {@code javax.net.ssl.trustStore} names)
 */
public record TrustSettings(Path pemBundle) {

    /** The JDK's default trust store. */
    public static TrustSettings jdkDefault() {
        return new TrustSettings(null);
    }

    /** Trust exactly the certificates of this PEM file. */
    public static TrustSettings fromPemBundle(Path file) {
        if (file == null) {
            throw new IllegalArgumentException("trust.bundle: a PEM file path is required");
        }
        return new TrustSettings(file);
    }

    public boolean usesJdkTrustStore() {
        return pemBundle == null;
    }
}
