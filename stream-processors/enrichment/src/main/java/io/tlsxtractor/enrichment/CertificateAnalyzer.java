package io.tlsxtractor.enrichment;

import io.tlsxtractor.enrichment.internal.HostnameMatcher;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Analyses the certificate chain a TLS server presented, with Bouncy Castle.
 *
 * <p>The chain is built from what was presented, in any order: the leaf is the certificate that issued no
 * other presented one (a non-CA first, then the earliest sent); from it the path climbs issuer by issuer,
 * each link an issuer whose name matches and whose key verifies the signature, until it meets a trust
 * anchor (a presented certificate that is one, or an anchor that signed the last one), a self-signed
 * certificate, or nothing. A presented certificate that cannot be parsed is a finding, not an exception; only
 * when none can be parsed is the result a failure ({@link CertificateAnalysis#failed()}).
 *
 * <p>Thread-safe and immutable: one instance serves every thread.
 */
public final class CertificateAnalyzer {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateAnalyzer.class);
    private static final Provider BC = new BouncyCastleProvider();
    private static final int MAX_PATH = 12;
    private static final Set<ASN1ObjectIdentifier> SHA1_SIGNATURES = Set.of(
            PKCSObjectIdentifiers.sha1WithRSAEncryption, OIWObjectIdentifiers.sha1WithRSA,
            X9ObjectIdentifiers.ecdsa_with_SHA1, X9ObjectIdentifiers.id_dsa_with_sha1);
    private static final Set<ASN1ObjectIdentifier> MD5_SIGNATURES = Set.of(
            PKCSObjectIdentifiers.md5WithRSAEncryption, PKCSObjectIdentifiers.md2WithRSAEncryption,
            PKCSObjectIdentifiers.md4WithRSAEncryption, OIWObjectIdentifiers.md5WithRSA);

    private final Map<X500Name, List<Cert>> anchorsBySubject;
    private final int anchorCount;
    private final String trustSource;

    private CertificateAnalyzer(List<X509CertificateHolder> anchors, String trustSource) {
        Map<X500Name, List<Cert>> bySubject = new HashMap<>();
        int count = 0;
        for (X509CertificateHolder holder : anchors) {
            try {
                Cert anchor = Cert.of(-1, encoded(holder), holder);
                bySubject.computeIfAbsent(holder.getSubject(), k -> new ArrayList<>()).add(anchor);
                count++;
            } catch (IOException | RuntimeException e) {
                LOG.warn("trust anchor {} from {} is unusable and ignored: {}", dn(holder.getSubject()), trustSource,
                        e.toString());
            }
        }
        bySubject.replaceAll((k, v) -> List.copyOf(v));
        this.anchorsBySubject = Map.copyOf(bySubject);
        this.anchorCount = count;
        this.trustSource = trustSource;
    }

    /**
     * An analyzer trusting the JDK's trust store or the PEM bundle of the settings.
     *
     * @throws IllegalArgumentException when the bundle cannot be read or holds no certificate (naming the file)
     */
    public static CertificateAnalyzer create(TrustSettings settings) {
        CertificateAnalyzer analyzer = settings.usesJdkTrustStore()
                ? new CertificateAnalyzer(jdkAnchors(), "the JDK trust store")
                : new CertificateAnalyzer(pemAnchors(settings.pemBundle()), settings.pemBundle().toString());
        LOG.info("certificate analyzer trusts {} anchors from {}", analyzer.anchorCount, analyzer.trustSource);
        return analyzer;
    }

    /** An analyzer trusting exactly these certificates. */
    public static CertificateAnalyzer trusting(Collection<X509Certificate> anchors) {
        List<X509CertificateHolder> holders = new ArrayList<>();
        for (X509Certificate anchor : anchors) {
            holders.add(holder(anchor));
        }
        return new CertificateAnalyzer(holders, anchors.size() + " given certificates");
    }

    /** How many trust anchors this analyzer knows. */
    public int trustAnchorCount() {
        return anchorCount;
    }

    /**
     * Analyses a presented chain.
     *
     * @param chainDer  the certificates as the server sent them (DER), in any order
     * @param sniOrHost the SNI used, or the host/IP dialled; null or blank skips the host name check
     * @param now       the instant to judge validity at
     * @return the analysis, or a failure when the list is empty or no certificate in it can be parsed
     */
    public CertificateAnalysis analyze(List<byte[]> chainDer, String sniOrHost, Instant now) {
        String host = sniOrHost == null || sniOrHost.isBlank() ? null : sniOrHost.trim();
        if (chainDer == null || chainDer.isEmpty()) {
            return CertificateAnalysis.failure("no certificate was presented", host, now, List.of());
        }
        List<Finding> findings = new ArrayList<>();
        List<Cert> parsed = new ArrayList<>();
        List<String> parseErrors = new ArrayList<>();
        for (int i = 0; i < chainDer.size(); i++) {
            byte[] der = chainDer.get(i) == null ? new byte[0] : chainDer.get(i);
            try {
                parsed.add(Cert.of(i, der, new X509CertificateHolder(der)));
            } catch (IOException | RuntimeException e) {
                String error = "certificate at position " + i + " of " + chainDer.size() + " presented"
                        + (host == null ? "" : " for " + host) + " (" + der.length + " bytes) cannot be parsed: "
                        + e.getMessage();
                parseErrors.add(error);
                findings.add(Finding.of(CertificateFlag.UNPARSEABLE_CERTIFICATE, sha256Hex(der), error));
            }
        }
        if (parsed.isEmpty()) {
            return CertificateAnalysis.failure(parseErrors.size() == 1 ? parseErrors.get(0)
                    : "none of the " + chainDer.size() + " presented certificates can be parsed; first: "
                    + parseErrors.get(0), host, now, findings);
        }
        return new Run(parsed, host, now, findings).analyze();
    }

    /** The state of one analysis: signature checks are cached per (certificate, issuer) pair. */
    private final class Run {
        private final List<Cert> presented;
        private final String host;
        private final Instant now;
        private final List<Finding> findings;
        private final Set<CertificateFlag> flags = EnumSet.noneOf(CertificateFlag.class);
        private final Map<String, Boolean> verified = new HashMap<>();

        Run(List<Cert> presented, String host, Instant now, List<Finding> findings) {
            this.presented = presented;
            this.host = host;
            this.now = now;
            this.findings = findings;
            if (!findings.isEmpty()) {
                flags.add(CertificateFlag.UNPARSEABLE_CERTIFICATE);
            }
        }

        CertificateAnalysis analyze() {
            Cert leaf = pickLeaf();
            List<Cert> path = new ArrayList<>(List.of(leaf));
            Cert anchor = null;
            boolean brokenSignature = false;
            Cert current = leaf;
            while (path.size() <= MAX_PATH) {
                if (anchorEqualTo(current) != null) {
                    // The presented certificate is itself trusted (same name and key as an anchor).
                    anchor = current;
                    break;
                }
                if (selfSigned(current)) {
                    break;
                }
                Cert anchorIssuer = verifiedIssuer(current, anchorsBySubject.getOrDefault(current.issuer(), List.of()));
                if (anchorIssuer != null) {
                    anchor = anchorIssuer;
                    break;
                }
                Cert child = current;
                List<Cert> byName = presented.stream()
                        .filter(c -> !path.contains(c) && c.subject().equals(child.issuer())).toList();
                Cert next = verifiedIssuer(current, byName);
                if (next == null) {
                    List<Cert> anchorsByName = anchorsBySubject.getOrDefault(current.issuer(), List.of());
                    if (!byName.isEmpty() || !anchorsByName.isEmpty()) {
                        brokenSignature = true;
                        flag(CertificateFlag.SIGNATURE_INVALID, current, "the signature of " + describe(current)
                                + " does not verify with the key of its issuer " + dn(current.issuer())
                                + (byName.isEmpty() ? " (trust anchor)" : " (presented)"));
                    }
                    break;
                }
                path.add(next);
                current = next;
            }
            Cert top = path.get(path.size() - 1);
            if (anchor != null && !brokenSignature) {
                flags.add(CertificateFlag.CHAIN_VALID);
            } else if (!brokenSignature && selfSigned(top)) {
                flag(CertificateFlag.UNTRUSTED_ROOT, top, "the chain" + forHost() + " ends at the self-signed "
                        + describe(top) + ", which is not a trust anchor of " + trustSource);
            } else if (!brokenSignature) {
                flag(CertificateFlag.INCOMPLETE_CHAIN, top, "the chain" + forHost() + " stops at " + describe(top)
                        + ": its issuer " + dn(top.issuer()) + " was not presented and is not a trust anchor of "
                        + trustSource);
            }
            if (selfSigned(leaf)) {
                flag(CertificateFlag.SELF_SIGNED, leaf, "the leaf " + describe(leaf) + forHost() + " is self-signed");
            }
            for (Cert c : path) {
                checkCertificate(c);
            }
            if (host != null && !HostnameMatcher.matches(host, leaf.dnsNames(), leaf.ipAddresses(), leaf.commonNames())) {
                flag(CertificateFlag.HOSTNAME_MISMATCH, leaf, "the leaf " + describe(leaf) + " is not valid for '" + host
                        + "' (SAN DNS " + leaf.dnsNames() + ", SAN IP " + leaf.ipAddresses() + ", CN "
                        + leaf.commonNames() + ")");
            }
            List<String> pathShas = new ArrayList<>(path.stream().map(Cert::sha256).toList());
            if (anchor != null && anchor.position() < 0) {
                pathShas.add(anchor.sha256());
            }
            List<CertificateInfo> infos = new ArrayList<>();
            for (Cert c : presented) {
                Cert issuer = issuerOf(c);
                infos.add(c.info(path.indexOf(c), issuer == null ? null : issuer.sha256(), selfSigned(c)));
            }
            findings.sort(Comparator.comparing(Finding::severity));
            return new CertificateAnalysis(null, host, now, leaf.sha256(), infos, pathShas,
                    anchor == null ? null : anchor.sha256(), anchor == null ? null : dn(anchor.subject()), flags,
                    findings);
        }

        /** Validity, key and signature algorithm of one certificate of the path. */
        private void checkCertificate(Cert c) {
            if (c.notAfter() != null && now.isAfter(c.notAfter())) {
                flag(CertificateFlag.EXPIRED, c, describe(c) + forHost() + " expired at " + c.notAfter());
            }
            if (c.notBefore() != null && now.isBefore(c.notBefore())) {
                flag(CertificateFlag.NOT_YET_VALID, c, describe(c) + forHost() + " is not valid before " + c.notBefore());
            }
            boolean weak = switch (c.keyAlgorithm()) {
                case "RSA", "DSA" -> c.keyBits() > 0 && c.keyBits() < 2048;
                case "EC" -> c.keyBits() > 0 && c.keyBits() < 256;
                default -> false;
            };
            if (weak) {
                flag(CertificateFlag.WEAK_KEY, c, describe(c) + forHost() + " has a weak " + c.keyAlgorithm() + " key of "
                        + c.keyBits() + " bits");
            }
            // A self-signed CA's own signature is never checked by anyone: its algorithm does not matter.
            if (!(c.ca() && selfSigned(c))) {
                if (SHA1_SIGNATURES.contains(c.signatureOid())) {
                    flag(CertificateFlag.SHA1_SIGNATURE, c, describe(c) + forHost() + " is signed with "
                            + c.signatureAlgorithm());
                } else if (MD5_SIGNATURES.contains(c.signatureOid())) {
                    flag(CertificateFlag.MD5_SIGNATURE, c, describe(c) + forHost() + " is signed with "
                            + c.signatureAlgorithm());
                }
            }
        }

        /** The certificate that issued no other presented one: a non-CA first, then the earliest presented. */
        private Cert pickLeaf() {
            List<Cert> candidates = presented.stream()
                    .filter(c -> presented.stream().noneMatch(o -> o != c && o.issuer().equals(c.subject()) && verifies(o, c)))
                    .toList();
            List<Cert> pool = candidates.isEmpty() ? presented : candidates;
            return pool.stream().filter(c -> !c.ca()).findFirst().orElse(pool.get(0));
        }

        private Cert issuerOf(Cert c) {
            if (selfSigned(c)) {
                return c;
            }
            Cert issuer = verifiedIssuer(c, presented.stream().filter(o -> o != c && o.subject().equals(c.issuer())).toList());
            return issuer != null ? issuer : verifiedIssuer(c, anchorsBySubject.getOrDefault(c.issuer(), List.of()));
        }

        private Cert anchorEqualTo(Cert c) {
            for (Cert anchor : anchorsBySubject.getOrDefault(c.subject(), List.of())) {
                if (Arrays.equals(anchor.spki(), c.spki())) {
                    return anchor;
                }
            }
            return null;
        }

        private Cert verifiedIssuer(Cert child, List<Cert> candidates) {
            for (Cert candidate : candidates) {
                if (candidate.subject().equals(child.issuer()) && verifies(child, candidate)) {
                    return candidate;
                }
            }
            return null;
        }

        private boolean selfSigned(Cert c) {
            return c.subject().equals(c.issuer()) && verifies(c, c);
        }

        private boolean verifies(Cert child, Cert issuer) {
            return verified.computeIfAbsent(child.sha256() + ">" + issuer.sha256(), k -> {
                try {
                    ContentVerifierProvider verifier = new JcaContentVerifierProviderBuilder().setProvider(BC)
                            .build(issuer.holder().getSubjectPublicKeyInfo());
                    return child.holder().isSignatureValid(verifier);
                } catch (Exception e) {
                    // Unsupported algorithm or malformed key/signature: the link cannot be established.
                    LOG.debug("cannot verify {} with the key of {}: {}", child.sha256(), issuer.sha256(), e.toString());
                    return false;
                }
            });
        }

        private void flag(CertificateFlag flag, Cert c, String message) {
            flags.add(flag);
            findings.add(Finding.of(flag, c.sha256(), message));
        }

        private String forHost() {
            return host == null ? "" : " (host " + host + ")";
        }
    }

    /** One certificate and what the analysis needs of it, read once. */
    private record Cert(int position, byte[] der, String sha256, X509CertificateHolder holder, X500Name subject,
                        X500Name issuer, byte[] spki, boolean ca, Instant notBefore, Instant notAfter,
                        ASN1ObjectIdentifier signatureOid, String signatureAlgorithm, String keyAlgorithm, int keyBits,
                        List<String> dnsNames, List<String> ipAddresses, List<String> commonNames) {

        static Cert of(int position, byte[] der, X509CertificateHolder h) throws IOException {
            boolean ca = false;
            try {
                BasicConstraints bc = BasicConstraints.fromExtensions(h.getExtensions());
                ca = bc != null && bc.isCA();
            } catch (RuntimeException e) {
                // A malformed basicConstraints counts as "not a CA".
            }
            String signatureAlgorithm;
            try {
                signatureAlgorithm = new DefaultAlgorithmNameFinder().getAlgorithmName(h.getSignatureAlgorithm());
            } catch (RuntimeException e) {
                signatureAlgorithm = h.getSignatureAlgorithm().getAlgorithm().getId();
            }
            String keyAlgorithm = h.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm().getId();
            int keyBits = 0;
            try {
                PublicKey key = BouncyCastleProvider.getPublicKey(h.getSubjectPublicKeyInfo());
                if (key != null) {
                    keyAlgorithm = switch (key.getAlgorithm()) {
                        case "ECDSA", "EC" -> "EC";
                        default -> key.getAlgorithm();
                    };
                    if (key instanceof RSAPublicKey rsa) {
                        keyBits = rsa.getModulus().bitLength();
                    } else if (key instanceof ECPublicKey ec) {
                        keyBits = ec.getParams().getCurve().getField().getFieldSize();
                    } else if (key instanceof DSAPublicKey dsa && dsa.getParams() != null) {
                        keyBits = dsa.getParams().getP().bitLength();
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("cannot read the public key of certificate {}: {}", position, e.toString());
            }
            List<String> dns = new ArrayList<>();
            List<String> ips = new ArrayList<>();
            try {
                GeneralNames sans = h.getExtensions() == null ? null
                        : GeneralNames.fromExtensions(h.getExtensions(), Extension.subjectAlternativeName);
                if (sans != null) {
                    for (GeneralName name : sans.getNames()) {
                        if (name.getTagNo() == GeneralName.dNSName) {
                            dns.add(((ASN1String) name.getName()).getString());
                        } else if (name.getTagNo() == GeneralName.iPAddress) {
                            ips.add(InetAddress.getByAddress(ASN1OctetString.getInstance(name.getName()).getOctets())
                                    .getHostAddress());
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("cannot read the SANs of certificate {}: {}", position, e.toString());
            }
            List<String> cns = new ArrayList<>();
            for (RDN rdn : h.getSubject().getRDNs(BCStyle.CN)) {
                ASN1Encodable value = rdn.getFirst().getValue();
                cns.add(value instanceof ASN1String s ? s.getString() : value.toString());
            }
            return new Cert(position, der, sha256Hex(der), h, h.getSubject(), h.getIssuer(),
                    h.getSubjectPublicKeyInfo().getEncoded(), ca, instant(h.getNotBefore()), instant(h.getNotAfter()),
                    h.getSignatureAlgorithm().getAlgorithm(), signatureAlgorithm, keyAlgorithm, keyBits, List.copyOf(dns),
                    List.copyOf(ips), List.copyOf(cns));
        }

        CertificateInfo info(int pathIndex, String issuerSha256, boolean selfSigned) {
            return new CertificateInfo(position, pathIndex, sha256, dn(subject), dn(issuer), issuerSha256,
                    holder.getSerialNumber().toString(16), notBefore, notAfter, signatureAlgorithm, keyAlgorithm,
                    keyBits, ca, selfSigned, dnsNames, ipAddresses, commonNames);
        }

        private static Instant instant(java.util.Date date) {
            return date == null ? null : date.toInstant();
        }
    }

    private static String describe(Cert c) {
        return "certificate " + dn(c.subject()) + (c.position() >= 0 ? " (position " + c.position() + ")" : "");
    }

    static String dn(X500Name name) {
        try {
            return new X500Principal(name.getEncoded()).getName(X500Principal.RFC2253);
        } catch (IOException | RuntimeException e) {
            return name.toString();
        }
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static byte[] encoded(X509CertificateHolder holder) {
        try {
            return holder.getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("cannot re-encode trust anchor " + dn(holder.getSubject()), e);
        }
    }

    private static X509CertificateHolder holder(X509Certificate certificate) {
        try {
            return new X509CertificateHolder(certificate.getEncoded());
        } catch (IOException | CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot read trust anchor " + certificate.getSubjectX500Principal()
                    + ": " + e.getMessage(), e);
        }
    }

    private static List<X509CertificateHolder> jdkAnchors() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            List<X509CertificateHolder> anchors = new ArrayList<>();
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    for (X509Certificate issuer : x509.getAcceptedIssuers()) {
                        anchors.add(holder(issuer));
                    }
                }
            }
            if (anchors.isEmpty()) {
                throw new IllegalStateException("the JDK trust store holds no certificate (java.home "
                        + System.getProperty("java.home") + ", javax.net.ssl.trustStore "
                        + System.getProperty("javax.net.ssl.trustStore") + ")");
            }
            return anchors;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the JDK trust store: " + e.getMessage(), e);
        }
    }

    private static List<X509CertificateHolder> pemAnchors(Path file) {
        List<X509CertificateHolder> anchors = new ArrayList<>();
        int skipped = 0;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof X509CertificateHolder holder) {
                    anchors.add(holder);
                } else {
                    skipped++;
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("trust.bundle: cannot read PEM certificates from " + file + ": "
                    + e.getMessage(), e);
        }
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("trust.bundle: " + file + " holds no PEM certificate"
                    + (skipped > 0 ? " (" + skipped + " other PEM objects)" : ""));
        }
        if (skipped > 0) {
            LOG.warn("trust bundle {}: ignored {} PEM objects that are not certificates", file, skipped);
        }
        return anchors;
    }
}
