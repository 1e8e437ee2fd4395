package io.tlsxtractor.tlslab;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import static io.tlsxtractor.tlslab.LabClient.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A /22 lab: every address answers with its own name, and one host holds hundreds of open connections. */
class LabScaleTest {

    @Test
    void everyAddressOfASlash22AnswersWithItsOwnName() throws Exception {
        try (TlsLab lab = TlsLab.start(LabSpec.builder().range("127.78.0.0/22").build(), 0)) {
            for (int i = 0; i < 1024; i += 37) {
                InetAddress ip = ip("127.78." + (i / 256) + "." + (i % 256));
                List<X509Certificate> chain = LabClient.chain(ip, lab.port(), null);
                assertThat(chain.get(0).getSubjectX500Principal().getName()).startsWith("CN=" + lab.hostName(ip) + ",");
            }
            // An address outside the range is turned away without a handshake.
            assertThatThrownBy(() -> LabClient.chain(ip("127.78.4.1"), lab.port(), null)).isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void aTarpitHoldsHundredsOfConnectionsAtOnce() throws Exception {
        try (TlsLab lab = TlsLab.start(LabSpec.builder().range("127.78.8.0/24").rule("127.78.8.1", "tarpit").build(), 0)) {
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 500; i++) {
                    sockets.add(LabClient.raw(ip("127.78.8.1"), lab.port(), 50));
                }
                long deadline = System.currentTimeMillis() + 5000;
                while (lab.connectionsAccepted() < 500 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(lab.connectionsAccepted()).isEqualTo(500);
                Socket last = sockets.get(sockets.size() - 1);
                assertThatThrownBy(() -> last.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            } finally {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        }
    }
}
