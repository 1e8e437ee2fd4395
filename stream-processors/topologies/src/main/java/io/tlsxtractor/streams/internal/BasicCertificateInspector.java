package io.tlsxtractor.streams.internal;

import io.tlsxtractor.plugins.core.names.DomainNames;
import io.tlsxtractor.probe.ParsedCertificate;
import io.tlsxtractor.streams.CertificateInspector;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The checks that need nothing but the certificate itself: validity period, self-signature (verified with the
 * certificate's own key), key strength, SHA-1/MD5 signatures, and whether the name it was served for is one of its
 * names. The chain is not validated here ({@code chainValid} stays null); a trust-store-aware inspector does that.
 */
public final class BasicCertificateInspector implements CertificateInspector {

    private static final int MIN_RSA_BITS = 2048;
    private static final int MIN_EC_BITS = 224;

    @Override
    public Verdict inspect(byte[] der, ParsedCertificate parsed, int position, List<byte[]> chain, String servedFor,
            Instant now) {
        boolean leaf = position == 0;
        List<Problem> problems = new ArrayList<>();
        boolean expired = parsed.expiredAt(now);
        if (expired) {
            problems.add(new Problem("expired", "expired on " + parsed.notAfter()));
        }
        boolean notYetValid = parsed.notYetValidAt(now);
        if (notYetValid) {
            problems.add(new Problem("not-yet-valid", "not valid before " + parsed.notBefore()));
        }
        boolean selfSigned = parsed.selfIssued() && verifiesWithOwnKey(der);
        if (selfSigned && leaf) {
            problems.add(new Problem("self-signed", "self-signed leaf certificate (" + parsed.subjectDn() + ")"));
        }
        boolean weakKey = weak(parsed);
        if (weakKey) {
            problems.add(new Problem("weak-key", parsed.keyType() + " key of " + parsed.keyBits() + " bits"));
        }
        String algorithm = parsed.signatureAlgorithm() == null ? "" : parsed.signatureAlgorithm().toUpperCase(Locale.ROOT);
        boolean sha1 = algorithm.contains("SHA1") || algorithm.contains("MD5") || algorithm.contains("MD2");
        if (sha1 && !(selfSigned && !leaf)) {
            // A root's own signature is never checked by clients, so a SHA-1 root is not a finding.
            problems.add(new Problem("weak-signature", "signed with " + parsed.signatureAlgorithm()));
        }
        boolean mismatch = leaf && servedFor != null && !servedFor.isBlank() && !matches(parsed, servedFor);
        if (mismatch) {
            problems.add(new Problem("hostname-mismatch", "served for " + servedFor + " but names "
                    + (parsed.sanDns().isEmpty() ? parsed.commonNames() : parsed.sanDns())));
        }
        return new Verdict(expired, notYetValid, selfSigned, weakKey, sha1, mismatch, null, null, problems);
    }

    private static boolean weak(ParsedCertificate parsed) {
        if (parsed.keyType() == null || parsed.keyBits() <= 0) {
            return false;
        }
        return switch (parsed.keyType()) {
            case "RSA", "DSA" -> parsed.keyBits() < MIN_RSA_BITS;
            case "EC" -> parsed.keyBits() < MIN_EC_BITS;
            default -> false;
        };
    }

    /** RFC 6125: SANs when there are any, else the CN; a wildcard covers exactly one left-most label. */
    static boolean matches(ParsedCertificate parsed, String host) {
        String name = DomainNames.normalize(host);
        List<String> names = parsed.sanDns().isEmpty() ? parsed.commonNames() : parsed.sanDns();
        for (String candidate : names) {
            String c = DomainNames.normalize(candidate);
            if (c.equals(name)) {
                return true;
            }
            if (DomainNames.isWildcard(c)) {
                int dot = name.indexOf('.');
                if (dot > 0 && name.substring(dot + 1).equals(DomainNames.withoutWildcard(c))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean verifiesWithOwnKey(byte[] der) {
        try {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            cert.verify(cert.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
