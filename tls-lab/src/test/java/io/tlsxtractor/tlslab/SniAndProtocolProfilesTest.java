package io.tlsxtractor.tlslab;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import java.io.InputStream;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.List;

import static io.tlsxtractor.tlslab.LabClient.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SNI profiles (virtual hosts, aborts) and protocol profiles (versions, ALPN) with a real JDK client. */
class SniAndProtocolProfilesTest {

    private static TlsLab lab;

    @BeforeAll
    static void start() {
        lab = TlsLab.start(LabSpec.builder()
                .range("127.77.2.0/24")
                .rule("127.77.2.1", "vhosts:3")
                .rule("127.77.2.2", "sni-required")
                .rule("127.77.2.3", "unknown-sni-abort")
                .rule("127.77.2.4", "wildcard,unknown-sni-abort")
                .rule("127.77.2.5", "vhosts:2,unknown-sni-abort")
                .rule("127.77.2.10", "tls13")
                .rule("127.77.2.11", "tls12")
                .rule("127.77.2.12", "tls10")
                .rule("127.77.2.13", "alpn-h2")
                .build(), 0);
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    private static String leafCn(InetAddress ip, String sni) throws Exception {
        List<X509Certificate> chain = LabClient.chain(ip, lab.port(), sni);
        assertThat(chain).containsExactlyElementsOf(lab.chainFor(ip, sni));
        return chain.get(0).getSubjectX500Principal().getName();
    }

    @Test
    void vhostsPresentsADefaultCertificateWithoutSniAndOnePerVirtualHostName() throws Exception {
        InetAddress ip = ip("127.77.2.1");
        String host = "h-127-77-2-1.lab.test";
        assertThat(leafCn(ip, null)).contains("CN=" + host + ",");
        assertThat(leafCn(ip, "vh1." + host)).contains("CN=vh1." + host + ",");
        assertThat(leafCn(ip, "vh3." + host)).contains("CN=vh3." + host + ",");
        assertThat(lab.expectedNames(ip, "vh2." + host)).containsExactly("vh2." + host);
        // vh4 is beyond vhosts:3, and an unrelated name is no virtual host: both get the default certificate.
        assertThat(leafCn(ip, "vh4." + host)).contains("CN=" + host + ",");
        assertThat(leafCn(ip, "other.example.com")).contains("CN=" + host + ",");
    }

    @Test
    void sniRequiredAbortsWithUnrecognizedNameWhenNoSniIsSent() throws Exception {
        InetAddress ip = ip("127.77.2.2");
        assertThatThrownBy(() -> LabClient.session(ip, lab.port(), null))
                .isInstanceOf(SSLException.class).hasMessageContaining("unrecognized_name");
        assertThat(lab.chainFor(ip, null)).isEmpty();
        assertThat(lab.expectedNames(ip, null)).isEmpty();
        assertThat(LabClient.session(ip, lab.port(), "h-127-77-2-2.lab.test").getPeerCertificates()).hasSize(2);
    }

    @Test
    void unknownSniAbortRefusesNamesTheHostDoesNotHave() throws Exception {
        InetAddress ip = ip("127.77.2.3");
        String host = "h-127-77-2-3.lab.test";
        assertThatThrownBy(() -> LabClient.session(ip, lab.port(), "other.example.com"))
                .isInstanceOf(SSLException.class).hasMessageContaining("unrecognized_name");
        assertThat(lab.chainFor(ip, "other.example.com")).isEmpty();
        assertThat(LabClient.session(ip, lab.port(), host).getProtocol()).startsWith("TLS");
        assertThat(LabClient.session(ip, lab.port(), "WWW." + host).getProtocol()).startsWith("TLS");
        assertThat(LabClient.session(ip, lab.port(), null).getProtocol()).startsWith("TLS");
    }

    @Test
    void unknownSniAbortAcceptsNamesCoveredByItsWildcardOnly() throws Exception {
        InetAddress ip = ip("127.77.2.4");
        assertThat(LabClient.session(ip, lab.port(), "anything.h-127-77-2-4.lab.test").getProtocol()).startsWith("TLS");
        assertThatThrownBy(() -> LabClient.session(ip, lab.port(), "a.b.h-127-77-2-4.lab.test"))
                .isInstanceOf(SSLException.class).hasMessageContaining("unrecognized_name");
    }

    @Test
    void unknownSniAbortKnowsTheVirtualHostNames() throws Exception {
        InetAddress ip = ip("127.77.2.5");
        assertThat(leafCn(ip, "vh2.h-127-77-2-5.lab.test")).contains("CN=vh2.h-127-77-2-5.lab.test,");
        assertThatThrownBy(() -> LabClient.session(ip, lab.port(), "vh3.h-127-77-2-5.lab.test"))
                .isInstanceOf(SSLException.class).hasMessageContaining("unrecognized_name");
    }

    @Test
    void defaultHostsSpeakTls13AndTls12() throws Exception {
        InetAddress ip = ip("127.77.2.100");
        assertThat(LabClient.session(ip, lab.port(), null).getProtocol()).isEqualTo("TLSv1.3");
        assertThat(LabClient.session(ip, lab.port(), null, "TLSv1.2").getProtocol()).isEqualTo("TLSv1.2");
    }

    @Test
    void tls13HostRefusesTls12() throws Exception {
        InetAddress ip = ip("127.77.2.10");
        assertThat(LabClient.session(ip, lab.port(), null).getProtocol()).isEqualTo("TLSv1.3");
        assertThatThrownBy(() -> LabClient.session(ip, lab.port(), null, "TLSv1.2")).isInstanceOf(SSLException.class);
    }

    @Test
    void tls12HostNegotiatesTls12AndRefusesTls13Only() throws Exception {
        InetAddress ip = ip("127.77.2.11");
        assertThat(LabClient.session(ip, lab.port(), null).getProtocol()).isEqualTo("TLSv1.2");
        assertThatThrownBy(() -> LabClient.session(ip, lab.port(), null, "TLSv1.3")).isInstanceOf(SSLException.class);
    }

    @Test
    void tls10HostSpeaksOnlyTls10And11() throws Exception {
        InetAddress ip = ip("127.77.2.12");
        assertThat(LabClient.session(ip, lab.port(), null, "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3").getProtocol())
                .isEqualTo("TLSv1.1");
        assertThat(LabClient.session(ip, lab.port(), null, "TLSv1").getProtocol()).isEqualTo("TLSv1");
        assertThatThrownBy(() -> LabClient.session(ip, lab.port(), null, "TLSv1.2", "TLSv1.3")).isInstanceOf(SSLException.class);
    }

    @Test
    void alpnH2HostNegotiatesH2OrHttp11() throws Exception {
        InetAddress ip = ip("127.77.2.13");
        try (SSLSocket socket = LabClient.handshake(ip, lab.port(), null, null, "h2", "http/1.1")) {
            assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
            InputStream in = socket.getInputStream();
            byte[] settingsHeader = in.readNBytes(9);
            assertThat(settingsHeader[3]).as("HTTP/2 SETTINGS frame type").isEqualTo((byte) 0x04);
        }
        try (SSLSocket socket = LabClient.handshake(ip, lab.port(), null, null, "http/1.1")) {
            assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
        }
        try (SSLSocket socket = LabClient.handshake(ip("127.77.2.100"), lab.port(), null, null, "h2", "http/1.1")) {
            assertThat(socket.getApplicationProtocol()).as("hosts without alpn-h2 select no protocol").isEmpty();
        }
    }
}
