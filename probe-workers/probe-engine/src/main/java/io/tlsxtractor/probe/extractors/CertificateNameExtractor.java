package io.tlsxtractor.probe.extractors;

import io.tlsxtractor.plugin.api.DomainExtractor;
import io.tlsxtractor.plugin.api.ExtractedName;
import io.tlsxtractor.plugin.api.ExtractionInput;
import io.tlsxtractor.probe.CertificateParser;
import io.tlsxtractor.probe.ParsedCertificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Names in the leaf certificate: every subjectAltName dNSName (source {@code san}) and every
 * subject commonName (source {@code cn}), as 1.x reported them. Uses the tolerant
 * {@link CertificateParser}, so a certificate with a broken field still yields its names.
 */
public final class CertificateNameExtractor implements DomainExtractor {
    public static final String NAME = "certificate";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String version() {
        return "2.0.0";
    }

    @Override
    public List<ExtractedName> extract(ExtractionInput input) {
        Optional<byte[]> leaf = input.leafCertificate();
        if (leaf.isEmpty()) {
            return List.of();
        }
        return names(CertificateParser.parse(leaf.get()));
    }

    /**
     * The names of a leaf certificate already parsed: what {@link #extract} returns for it. The
     * probe engine calls this with the leaf it parses for the outcome anyway, so that a successful
     * probe parses its certificate once.
     */
    public List<ExtractedName> names(ParsedCertificate cert) {
        List<ExtractedName> out = new ArrayList<>(cert.sanDns().size() + 1);
        for (String san : cert.sanDns()) {
            if (!san.isBlank()) {
                out.add(ExtractedName.of(san, ExtractedName.SOURCE_SAN));
            }
        }
        for (String cn : cert.commonNames()) {
            if (!cn.isBlank()) {
                out.add(ExtractedName.of(cn, ExtractedName.SOURCE_CN));
            }
        }
        return out;
    }
}
