package io.tlsxtractor.enrichment;

import io.tlsxtractor.tlslab.LabSpec;
import io.tlsxtractor.tlslab.TlsLab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@link CertificateAnalyzer} on the certificates of the TLS lab (its CA, intermediates and per-profile
 * leaves), trusting either the lab CA (as a PEM bundle) or the JDK's trust store.
 */
class CertificateAnalyzerTest {

    @TempDir
    static Path dir;

    private static TlsLab lab;
    private static CertificateAnalyzer labTrust;
    private static CertificateAnalyzer jdkTrust;

    @BeforeAll
    static void startLab() throws Exception {
        LabSpec spec = LabSpec.builder().range("127.88.0.0/24")
                .rule("127.88.0.2", "expired")
                .rule("127.88.0.3", "not-yet-valid")
                .rule("127.88.0.4", "self-signed")
                .rule("127.88.0.5", "sha1")
                .rule("127.88.0.6", "rsa:1024")
                .rule("127.88.0.7", "chain:1")
                .rule("127.88.0.8", "chain:3")
                .rule("127.88.0.9", "wildcard")
                .rule("127.88.0.10", "ecdsa:p256")
                .rule("127.88.0.11", "ip-san")
                .rule("127.88.0.12", "cn-only")
                .build();
        lab = TlsLab.start(spec, 0);
        Path bundle = dir.resolve("lab-ca.pem");
        Files.writeString(bundle, lab.caCertificatePem(), StandardCharsets.US_ASCII);
        labTrust = CertificateAnalyzer.create(TrustSettings.fromPemBundle(bundle));
        jdkTrust = CertificateAnalyzer.create(TrustSettings.jdkDefault());
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    private static InetAddress host(int last) throws Exception {
        return InetAddress.getByName("127.88.0." + last);
    }

    private static String name(int last) throws Exception {
        return lab.hostName(host(last));
    }

    /** The chain the lab presents for the host's own name, as DER. */
    private static List<X509Certificate> chain(int last) throws Exception {
        return lab.chainFor(host(last), name(last));
    }

    private static List<byte[]> der(List<X509Certificate> certificates) throws CertificateEncodingException {
        List<byte[]> out = new ArrayList<>();
        for (X509Certificate c : certificates) {
            out.add(c.getEncoded());
        }
        return out;
    }

    private static String sha(X509Certificate c) throws CertificateEncodingException {
        return CertificateAnalyzer.sha256Hex(c.getEncoded());
    }

    private static CertificateAnalysis analyze(CertificateAnalyzer analyzer, int last) throws Exception {
        return analyzer.analyze(der(chain(last)), name(last), Instant.now());
    }

    @Test
    void defaultChainTrustingTheLabCaIsValidWithoutFindings() throws Exception {
        List<X509Certificate> chain = chain(1);
        CertificateAnalysis analysis = analyze(labTrust, 1);

        assertThat(analysis.failed()).isFalse();
        assertThat(analysis.flags()).containsExactly(CertificateFlag.CHAIN_VALID);
        assertThat(analysis.findings()).isEmpty();
        assertThat(analysis.trustAnchorSha256()).isEqualTo(sha(lab.caCertificate()));
        assertThat(analysis.trustAnchorSubject()).contains("CN=TLSXtractor Lab Root CA");
        assertThat(analysis.path()).containsExactly(sha(chain.get(0)), sha(chain.get(1)), sha(lab.caCertificate()));
        assertThat(analysis.leafSha256()).isEqualTo(sha(chain.get(0)));

        CertificateInfo leaf = analysis.certificates().get(0);
        assertThat(leaf.position()).isZero();
        assertThat(leaf.pathIndex()).isZero();
        assertThat(leaf.issuerSha256()).isEqualTo(sha(chain.get(1)));
        assertThat(leaf.subjectDn()).contains("CN=" + name(1));
        assertThat(leaf.issuerDn()).contains("CN=TLSXtractor Lab Intermediate CA 1");
        assertThat(leaf.dnsNames()).containsExactly(name(1), "www." + name(1));
        assertThat(leaf.keyAlgorithm()).isEqualTo("RSA");
        assertThat(leaf.keyBits()).isEqualTo(2048);
        assertThat(leaf.certificateAuthority()).isFalse();
        assertThat(leaf.notAfter()).isEqualTo(chain.get(0).getNotAfter().toInstant());
        CertificateInfo intermediate = analysis.certificates().get(1);
        assertThat(intermediate.pathIndex()).isEqualTo(1);
        assertThat(intermediate.certificateAuthority()).isTrue();
        assertThat(intermediate.issuerSha256()).isEqualTo(sha(lab.caCertificate()));
    }

    @Test
    void chainsOfOneAndThreeCertificatesReachTheLabRoot() throws Exception {
        CertificateAnalysis one = analyze(labTrust, 7);
        CertificateAnalysis three = analyze(labTrust, 8);

        assertThat(one.chainValid()).isTrue();
        assertThat(one.path()).hasSize(2);
        assertThat(three.chainValid()).isTrue();
        assertThat(three.path()).hasSize(4).endsWith(sha(lab.caCertificate()));
        assertThat(three.findings()).isEmpty();
    }

    @Test
    void outOfOrderChainIsReorderedFromTheLeafUp() throws Exception {
        List<X509Certificate> chain = chain(8);   // leaf, intermediate 2, intermediate 1
        List<X509Certificate> shuffled = List.of(chain.get(2), chain.get(0), chain.get(1));

        CertificateAnalysis analysis = labTrust.analyze(der(shuffled), name(8), Instant.now());

        assertThat(analysis.chainValid()).isTrue();
        assertThat(analysis.leafSha256()).isEqualTo(sha(chain.get(0)));
        assertThat(analysis.path()).containsExactly(sha(chain.get(0)), sha(chain.get(1)), sha(chain.get(2)),
                sha(lab.caCertificate()));
        assertThat(analysis.certificates()).extracting(CertificateInfo::position, CertificateInfo::pathIndex)
                .containsExactly(tuple(0, 2), tuple(1, 0), tuple(2, 1));
        assertThat(analysis.findings()).isEmpty();
    }

    @Test
    void missingIntermediateMakesTheChainIncomplete() throws Exception {
        List<X509Certificate> chain = chain(8);   // leaf (issued by intermediate 2), intermediate 2, intermediate 1
        CertificateAnalysis analysis = labTrust.analyze(der(List.of(chain.get(0), chain.get(2))), name(8), Instant.now());

        assertThat(analysis.chainValid()).isFalse();
        assertThat(analysis.flags()).contains(CertificateFlag.INCOMPLETE_CHAIN)
                .doesNotContain(CertificateFlag.UNTRUSTED_ROOT);
        assertThat(analysis.trustAnchorSha256()).isNull();
        Finding finding = analysis.findings().stream().filter(f -> f.code().equals("incomplete_chain")).findFirst()
                .orElseThrow();
        assertThat(finding.certificateSha256()).isEqualTo(sha(chain.get(0)));
        assertThat(finding.message()).contains("TLSXtractor Lab Intermediate CA 2").contains("not presented");
        // The intermediate that was presented but links to nothing is reported, outside the path.
        assertThat(analysis.certificates().get(1).pathIndex()).isEqualTo(-1);
    }

    @Test
    void labChainIsNotTrustedByTheJdkStore() throws Exception {
        assertThat(jdkTrust.trustAnchorCount()).isGreaterThan(10);
        CertificateAnalysis analysis = analyze(jdkTrust, 1);

        assertThat(analysis.chainValid()).isFalse();
        assertThat(analysis.trustAnchorSha256()).isNull();
        // The lab root is not presented and unknown to the JDK: a link is missing.
        assertThat(analysis.flags()).contains(CertificateFlag.INCOMPLETE_CHAIN);
        assertThat(analysis.findings()).extracting(Finding::message).anyMatch(m -> m.contains("the JDK trust store"));
    }

    @Test
    void presentedRootIsUntrustedByTheJdkStoreAndTrustedWithTheLabBundle() throws Exception {
        List<X509Certificate> withRoot = new ArrayList<>(chain(1));
        withRoot.add(lab.caCertificate());

        CertificateAnalysis jdk = jdkTrust.analyze(der(withRoot), name(1), Instant.now());
        assertThat(jdk.chainValid()).isFalse();
        assertThat(jdk.flags()).contains(CertificateFlag.UNTRUSTED_ROOT).doesNotContain(CertificateFlag.INCOMPLETE_CHAIN);
        assertThat(jdk.findings()).filteredOn(f -> f.code().equals("untrusted_root"))
                .extracting(Finding::certificateSha256).containsExactly(sha(lab.caCertificate()));

        CertificateAnalysis trusted = labTrust.analyze(der(withRoot), name(1), Instant.now());
        assertThat(trusted.chainValid()).isTrue();
        assertThat(trusted.trustAnchorSha256()).isEqualTo(sha(lab.caCertificate()));
        assertThat(trusted.path()).hasSize(3);
        assertThat(trusted.findings()).isEmpty();
    }

    @Test
    void expiredLeafIsFlaggedOnTheLeafAndTheChainStaysValid() throws Exception {
        CertificateAnalysis analysis = analyze(labTrust, 2);

        assertThat(analysis.flags()).containsExactlyInAnyOrder(CertificateFlag.EXPIRED, CertificateFlag.CHAIN_VALID);
        assertThat(analysis.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("expired");
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.certificateSha256()).isEqualTo(analysis.leafSha256());
            assertThat(f.message()).contains(name(2)).contains("expired at");
        });
    }

    @Test
    void expiryIsJudgedAtTheGivenInstant() throws Exception {
        X509Certificate leaf = chain(1).get(0);
        Instant afterExpiry = leaf.getNotAfter().toInstant().plusSeconds(1);

        CertificateAnalysis analysis = labTrust.analyze(der(chain(1)), name(1), afterExpiry);

        assertThat(analysis.has(CertificateFlag.EXPIRED)).isTrue();
    }

    @Test
    void notYetValidLeafIsFlagged() throws Exception {
        CertificateAnalysis analysis = analyze(labTrust, 3);

        assertThat(analysis.flags()).containsExactlyInAnyOrder(CertificateFlag.NOT_YET_VALID, CertificateFlag.CHAIN_VALID);
        assertThat(analysis.findingCodes()).containsExactly("not_yet_valid");
    }

    @Test
    void selfSignedLeafIsSelfSignedAndUntrusted() throws Exception {
        CertificateAnalysis analysis = analyze(labTrust, 4);

        assertThat(analysis.chainValid()).isFalse();
        assertThat(analysis.flags()).contains(CertificateFlag.SELF_SIGNED, CertificateFlag.UNTRUSTED_ROOT)
                .doesNotContain(CertificateFlag.INCOMPLETE_CHAIN);
        assertThat(analysis.certificates().get(0).selfSigned()).isTrue();
        assertThat(analysis.certificates().get(0).issuerSha256()).isEqualTo(analysis.leafSha256());
    }

    @Test
    void sha1SignedLeafIsFlagged() throws Exception {
        CertificateAnalysis analysis = analyze(labTrust, 5);

        assertThat(analysis.flags()).containsExactlyInAnyOrder(CertificateFlag.SHA1_SIGNATURE, CertificateFlag.CHAIN_VALID);
        assertThat(analysis.findings()).singleElement().satisfies(f -> {
            assertThat(f.certificateSha256()).isEqualTo(analysis.leafSha256());
            assertThat(f.message()).contains("SHA1WITHRSA");
        });
    }

    @Test
    void rsa1024LeafHasAWeakKeyAndEcdsaP256DoesNot() throws Exception {
        CertificateAnalysis weak = analyze(labTrust, 6);
        CertificateAnalysis ec = analyze(labTrust, 10);

        assertThat(weak.flags()).containsExactlyInAnyOrder(CertificateFlag.WEAK_KEY, CertificateFlag.CHAIN_VALID);
        assertThat(weak.findings()).singleElement().extracting(Finding::message).asString().contains("RSA key of 1024 bits");
        assertThat(ec.flags()).containsExactly(CertificateFlag.CHAIN_VALID);
        assertThat(ec.leaf().orElseThrow().keyAlgorithm()).isEqualTo("EC");
        assertThat(ec.leaf().orElseThrow().keyBits()).isEqualTo(256);
    }

    @Test
    void hostNameIsCheckedAgainstTheSansOfTheLeaf() throws Exception {
        List<byte[]> chain = der(chain(1));

        assertThat(labTrust.analyze(chain, "www." + name(1), Instant.now()).has(CertificateFlag.HOSTNAME_MISMATCH)).isFalse();
        assertThat(labTrust.analyze(chain, name(1).toUpperCase() + ".", Instant.now()).has(CertificateFlag.HOSTNAME_MISMATCH))
                .isFalse();
        CertificateAnalysis other = labTrust.analyze(chain, "shop.example.com", Instant.now());
        assertThat(other.has(CertificateFlag.HOSTNAME_MISMATCH)).isTrue();
        assertThat(other.chainValid()).isTrue();
        assertThat(other.findings()).singleElement().extracting(Finding::message).asString()
                .contains("'shop.example.com'").contains(name(1));
        // Without a host, there is nothing to compare with.
        assertThat(labTrust.analyze(chain, null, Instant.now()).findings()).isEmpty();
    }

    @Test
    void wildcardMatchesExactlyOneLabel() throws Exception {
        List<byte[]> chain = der(chain(9));   // SAN *.host and host

        assertThat(labTrust.analyze(chain, "api." + name(9), Instant.now()).has(CertificateFlag.HOSTNAME_MISMATCH)).isFalse();
        assertThat(labTrust.analyze(chain, name(9), Instant.now()).has(CertificateFlag.HOSTNAME_MISMATCH)).isFalse();
        assertThat(labTrust.analyze(chain, "a.b." + name(9), Instant.now()).has(CertificateFlag.HOSTNAME_MISMATCH)).isTrue();
        assertThat(labTrust.analyze(chain, "api.lab.test", Instant.now()).has(CertificateFlag.HOSTNAME_MISMATCH)).isTrue();
    }

    @Test
    void commonNameCountsOnlyWithoutSansAndIpHostsMatchIpSans() throws Exception {
        List<byte[]> cnOnly = der(chain(12));
        assertThat(labTrust.analyze(cnOnly, name(12), Instant.now()).has(CertificateFlag.HOSTNAME_MISMATCH)).isFalse();
        assertThat(labTrust.analyze(cnOnly, "www." + name(12), Instant.now()).has(CertificateFlag.HOSTNAME_MISMATCH)).isTrue();

        List<byte[]> ipSan = der(chain(11));   // CN = the address, SAN IP = the address + DNS host
        assertThat(labTrust.analyze(ipSan, "127.88.0.11", Instant.now()).has(CertificateFlag.HOSTNAME_MISMATCH)).isFalse();
        assertThat(labTrust.analyze(ipSan, "127.88.0.99", Instant.now()).has(CertificateFlag.HOSTNAME_MISMATCH)).isTrue();
        assertThat(labTrust.analyze(ipSan, "127.88.0.11", Instant.now()).leaf().orElseThrow().ipAddresses())
                .containsExactly("127.88.0.11");
    }

    @Test
    void garbageBytesAreAFailureWithAClearReason() {
        byte[] garbage = "this is not a certificate".getBytes(StandardCharsets.US_ASCII);

        CertificateAnalysis analysis = labTrust.analyze(List.of(garbage), "example.test", Instant.now());

        assertThat(analysis.failed()).isTrue();
        assertThat(analysis.failureReason()).contains("position 0").contains("cannot be parsed").contains("example.test");
        assertThat(analysis.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("unparseable_certificate");
            assertThat(f.certificateSha256()).isEqualTo(CertificateAnalyzer.sha256Hex(garbage));
        });
        assertThat(labTrust.analyze(List.of(), "example.test", Instant.now()).failureReason())
                .isEqualTo("no certificate was presented");
    }

    @Test
    void unparseableIntermediateIsAFindingAndTheRestIsStillAnalysed() throws Exception {
        List<byte[]> chain = new ArrayList<>(der(chain(1)));
        byte[] truncated = java.util.Arrays.copyOf(chain.get(1), 100);
        chain.set(1, truncated);

        CertificateAnalysis analysis = labTrust.analyze(chain, name(1), Instant.now());

        assertThat(analysis.failed()).isFalse();
        assertThat(analysis.flags()).contains(CertificateFlag.UNPARSEABLE_CERTIFICATE, CertificateFlag.INCOMPLETE_CHAIN);
        assertThat(analysis.findings()).filteredOn(f -> f.code().equals("unparseable_certificate"))
                .singleElement().extracting(Finding::certificateSha256).isEqualTo(CertificateAnalyzer.sha256Hex(truncated));
        assertThat(analysis.certificates()).hasSize(1);
    }

    @Test
    void tamperedSignatureIsReportedAsInvalid() throws Exception {
        List<byte[]> chain = new ArrayList<>(der(chain(1)));
        byte[] leaf = chain.get(0).clone();
        leaf[leaf.length - 1] ^= 0x01;   // the last byte belongs to the signature value
        chain.set(0, leaf);

        CertificateAnalysis analysis = labTrust.analyze(chain, name(1), Instant.now());

        assertThat(analysis.chainValid()).isFalse();
        assertThat(analysis.flags()).contains(CertificateFlag.SIGNATURE_INVALID);
        assertThat(analysis.findings()).filteredOn(f -> f.code().equals("signature_invalid")).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.CRITICAL));
    }

    @Test
    void unreadableTrustBundleIsRefusedNamingTheFile() throws Exception {
        Path missing = dir.resolve("nope.pem");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "no PEM here\n");

        assertThatThrownBy(() -> CertificateAnalyzer.create(TrustSettings.fromPemBundle(missing)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing.toString());
        assertThatThrownBy(() -> CertificateAnalyzer.create(TrustSettings.fromPemBundle(empty)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds no PEM certificate");
    }
}
