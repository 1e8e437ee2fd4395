package io.tlsxtractor.tlslab;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.tlsxtractor.tlslab.LabClient.ip;
import static org.assertj.core.api.Assertions.assertThat;

/** The certificate profiles, each checked with a real JDK TLS client against what the lab reports. */
class CertificateProfilesTest {

    private static TlsLab lab;

    @BeforeAll
    static void start() {
        lab = TlsLab.start(LabSpec.parse(String.join("\n",
                "range 127.77.1.0/24",
                "127.77.1.0/28 default     # overridden below, address by address",
                "127.77.1.2 multi-san:6",
                "127.77.1.3 wildcard",
                "127.77.1.4 idn",
                "127.77.1.5 cn-only",
                "127.77.1.6 ip-san",
                "127.77.1.7 expired",
                "127.77.1.8 not-yet-valid",
                "127.77.1.9 self-signed",
                "127.77.1.10 chain:1",
                "127.77.1.11 chain:3",
                "127.77.1.12 rsa:1024",
                "127.77.1.13 rsa:4096",
                "127.77.1.14 ecdsa:p256",
                "127.77.1.15 ecdsa:p384",
                "127.77.1.16 ed25519",
                "127.77.1.17 sha1",
                "127.77.1.18 many-sans",
                "127.77.1.19 rsa:2048")), 0);
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    private static List<X509Certificate> presented(String address) throws Exception {
        InetAddress ip = ip(address);
        List<X509Certificate> chain = LabClient.chain(ip, lab.port(), null);
        assertThat(chain).as("what the client received is what the lab says it presents")
                .containsExactlyElementsOf(lab.chainFor(ip, null));
        return chain;
    }

    private static Set<String> dnsSans(X509Certificate cert) throws Exception {
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        if (sans == null) {
            return Set.of();
        }
        return sans.stream().filter(s -> (Integer) s.get(0) == 2).map(s -> (String) s.get(1)).collect(Collectors.toSet());
    }

    private static void assertChainsToLabRoot(List<X509Certificate> chain) throws Exception {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(lab.caCertificate(), null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), params);
    }

    @Test
    void defaultHostPresentsRsa2048LeafForItsNameAndWwwIssuedByTheIntermediate() throws Exception {
        String host = "h-127-77-1-1.lab.test";
        long before = lab.connectionsAccepted();
        List<X509Certificate> chain = presented("127.77.1.1");
        X509Certificate leaf = chain.get(0);

        assertThat(lab.hostName(ip("127.77.1.1"))).isEqualTo(host);
        assertThat(chain).hasSize(2);
        assertThat(dnsSans(leaf)).containsExactlyInAnyOrder(host, "www." + host);
        assertThat(leaf.getSubjectX500Principal().getName()).contains("CN=" + host);
        assertThat(lab.expectedNames(ip("127.77.1.1"), null)).containsExactlyInAnyOrder(host, "www." + host);
        assertThat(leaf.getPublicKey()).isInstanceOf(RSAPublicKey.class);
        assertThat(((RSAPublicKey) leaf.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(chain.get(1)).isEqualTo(lab.intermediateCertificates().get(0));
        leaf.checkValidity();
        assertChainsToLabRoot(chain);
        assertThat(lab.connectionsAccepted()).isGreaterThan(before);
    }

    @Test
    void addressesWithoutARuleGetTheDefaultProfile() throws Exception {
        List<X509Certificate> chain = presented("127.77.1.200");
        assertThat(lab.behaviourFor(ip("127.77.1.200"))).isEqualTo(HostBehaviour.DEFAULT);
        assertThat(dnsSans(chain.get(0))).containsExactlyInAnyOrder("h-127-77-1-200.lab.test", "www.h-127-77-1-200.lab.test");
    }

    @Test
    void certificatesAreMadeOnceAndReused() throws Exception {
        List<X509Certificate> first = presented("127.77.1.19");
        List<X509Certificate> second = presented("127.77.1.19");
        assertThat(second.get(0)).isEqualTo(first.get(0));
    }

    @Test
    void multiSanListsTheRequestedNumberOfNames() throws Exception {
        Set<String> sans = dnsSans(presented("127.77.1.2").get(0));
        assertThat(sans).hasSize(6).contains("h-127-77-1-2.lab.test", "www.h-127-77-1-2.lab.test",
                "svc1.h-127-77-1-2.lab.test", "site2-127-77-1-2.example.com");
    }

    @Test
    void wildcardCoversTheHostsSubdomains() throws Exception {
        X509Certificate leaf = presented("127.77.1.3").get(0);
        assertThat(dnsSans(leaf)).containsExactlyInAnyOrder("*.h-127-77-1-3.lab.test", "h-127-77-1-3.lab.test");
        assertThat(leaf.getSubjectX500Principal().getName()).contains("CN=*.h-127-77-1-3.lab.test");
    }

    @Test
    void idnHasPunycodeSansAndAUnicodeCommonName() throws Exception {
        X509Certificate leaf = presented("127.77.1.4").get(0);
        assertThat(dnsSans(leaf)).contains("xn--bcher-kva.h-127-77-1-4.lab.test", "xn--mnchen-3ya.h-127-77-1-4.lab.test");
        assertThat(lab.expectedNames(ip("127.77.1.4"), null)).contains("bücher.h-127-77-1-4.lab.test");
        assertThat(leaf.getSubjectX500Principal().getName()).contains("CN=bücher.h-127-77-1-4.lab.test");
    }

    @Test
    void cnOnlyHasNoSubjectAltNameExtension() throws Exception {
        X509Certificate leaf = presented("127.77.1.5").get(0);
        assertThat(leaf.getSubjectAlternativeNames()).isNull();
        assertThat(leaf.getExtensionValue("2.5.29.17")).isNull();
        assertThat(lab.expectedNames(ip("127.77.1.5"), null)).containsExactly("h-127-77-1-5.lab.test");
    }

    @Test
    void ipSanCarriesTheHostsAddress() throws Exception {
        X509Certificate leaf = presented("127.77.1.6").get(0);
        Set<String> ips = leaf.getSubjectAlternativeNames().stream().filter(s -> (Integer) s.get(0) == 7)
                .map(s -> (String) s.get(1)).collect(Collectors.toSet());
        assertThat(ips).containsExactly("127.77.1.6");
        assertThat(dnsSans(leaf)).containsExactly("h-127-77-1-6.lab.test");
    }

    @Test
    void expiredAndNotYetValidCertificatesHaveThoseValidityWindows() throws Exception {
        X509Certificate expired = presented("127.77.1.7").get(0);
        X509Certificate future = presented("127.77.1.8").get(0);
        Date now = Date.from(Instant.now());
        assertThat(expired.getNotAfter()).isBefore(now);
        assertThat(future.getNotBefore()).isAfter(now);
    }

    @Test
    void selfSignedLeafIsItsOwnIssuerAndComesAlone() throws Exception {
        List<X509Certificate> chain = presented("127.77.1.9");
        assertThat(chain).hasSize(1);
        X509Certificate leaf = chain.get(0);
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(leaf.getSubjectX500Principal());
        leaf.verify(leaf.getPublicKey());
    }

    @Test
    void chainLengthsOneAndThreeBothLeadToTheLabRoot() throws Exception {
        List<X509Certificate> one = presented("127.77.1.10");
        List<X509Certificate> three = presented("127.77.1.11");
        assertThat(one).hasSize(1);
        assertThat(one.get(0).getIssuerX500Principal()).isEqualTo(lab.caCertificate().getSubjectX500Principal());
        assertThat(three).hasSize(3);
        assertChainsToLabRoot(one);
        assertChainsToLabRoot(three);
    }

    @Test
    void rsaKeySizesAreAsRequested() throws Exception {
        assertThat(((RSAPublicKey) presented("127.77.1.12").get(0).getPublicKey()).getModulus().bitLength()).isEqualTo(1024);
        assertThat(((RSAPublicKey) presented("127.77.1.13").get(0).getPublicKey()).getModulus().bitLength()).isEqualTo(4096);
    }

    @Test
    void ecdsaLeavesUseTheRequestedCurve() throws Exception {
        X509Certificate p256 = presented("127.77.1.14").get(0);
        X509Certificate p384 = presented("127.77.1.15").get(0);
        assertThat(((ECPublicKey) p256.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(((ECPublicKey) p384.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(384);
    }

    @Test
    void ed25519LeafIsServed() throws Exception {
        X509Certificate leaf = presented("127.77.1.16").get(0);
        assertThat(leaf.getPublicKey().getAlgorithm()).isIn("Ed25519", "EdDSA");
    }

    @Test
    void sha1LeafIsSignedWithSha1() throws Exception {
        X509Certificate leaf = presented("127.77.1.17").get(0);
        assertThat(leaf.getSigAlgName()).isEqualTo("SHA1withRSA");
    }

    @Test
    void manySansCertificateOfHundredsOfKilobytesStillHandshakes() throws Exception {
        X509Certificate leaf = presented("127.77.1.18").get(0);
        assertThat(dnsSans(leaf)).hasSize(10_000).contains("n9999.h-127-77-1-18.lab.test");
        assertThat(leaf.getEncoded().length).isGreaterThan(200_000);
    }
}
