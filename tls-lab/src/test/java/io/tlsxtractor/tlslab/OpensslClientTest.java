package io.tlsxtractor.tlslab;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A second, non-JDK client: {@code openssl s_client} verifies lab chains against the exported CA PEM. */
class OpensslClientTest {

    private static TlsLab lab;
    private static Path caFile;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        assumeTrue(new File("/usr/bin/openssl").canExecute(), "openssl is not installed");
        lab = TlsLab.start(LabSpec.parse(String.join("\n",
                "range 127.77.6.0/24",
                "127.77.6.2 chain:3,ecdsa:p384",
                "127.77.6.3 ed25519",
                "127.77.6.4 tls10",
                "127.77.6.5 expired")), 0);
        caFile = dir.resolve("lab-ca.pem");
        Files.writeString(caFile, lab.caCertificatePem());
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    private static String sClient(String address, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", address + ":" + lab.port(),
                "-servername", LabSpec.hostName(LabClient.ip(address)), "-CAfile", caFile.toString(), "-brief"));
        command.addAll(List.of(extra));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("openssl finished").isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void defaultChainVerifiesAgainstTheExportedCa() throws Exception {
        String out = sClient("127.77.6.1", "-verify_return_error", "-verify_hostname", "www.h-127-77-6-1.lab.test");
        assertThat(out).contains("Verification: OK").contains("Protocol version: TLSv1.3");
    }

    @Test
    void threeCertificateEcdsaChainVerifies() throws Exception {
        String out = sClient("127.77.6.2", "-verify_return_error");
        assertThat(out).contains("Verification: OK").contains("Signature type: ECDSA");
    }

    @Test
    void ed25519HostSignsWithEd25519() throws Exception {
        String out = sClient("127.77.6.3", "-verify_return_error");
        assertThat(out).contains("Verification: OK").contains("Signature type: ed25519");
    }

    @Test
    void tls10HostSpeaksTls11ToOpenssl() throws Exception {
        // OpenSSL 3 allows TLS 1.0/1.1 only at security level 0.
        String out = sClient("127.77.6.4", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
        assertThat(out).contains("Protocol version: TLSv1.1");
    }

    @Test
    void expiredCertificateFailsVerification() throws Exception {
        String out = sClient("127.77.6.5", "-verify_return_error");
        assertThat(out).contains("certificate has expired");
    }
}
