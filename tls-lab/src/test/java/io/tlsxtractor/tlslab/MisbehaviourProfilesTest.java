package io.tlsxtractor.tlslab;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.tlsxtractor.tlslab.LabClient.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hosts that misbehave on the wire, probed with raw sockets carrying a real JDK ClientHello. */
class MisbehaviourProfilesTest {

    private static TlsLab lab;

    @BeforeAll
    static void start() {
        lab = TlsLab.start(LabSpec.parse(String.join("\n",
                "range 127.77.4.0/24",
                "127.77.4.1 tarpit",
                "127.77.4.2 slow",
                "127.77.4.3 reset",
                "127.77.4.4 close-after-hello",
                "127.77.4.5 garbage",
                "127.77.4.6 plain-http",
                "127.77.4.7 close-after-hello,tls12")), 0);
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    private static Socket helloSent(String address, int readTimeoutMillis) throws Exception {
        Socket socket = LabClient.raw(ip(address), lab.port(), readTimeoutMillis);
        socket.getOutputStream().write(LabClient.clientHello("h-" + address.replace('.', '-') + ".lab.test"));
        socket.getOutputStream().flush();
        return socket;
    }

    @Test
    void tarpitSendsNothingAndKeepsTheConnectionOpen() throws Exception {
        try (Socket socket = helloSent("127.77.4.1", 2000)) {
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            // Still open: a second wait times out again instead of reading EOF.
            socket.setSoTimeout(300);
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(lab.chainFor(ip("127.77.4.1"), null)).isEmpty();
    }

    @Test
    void slowHostAnswersAboutOneBytePerSecond() throws Exception {
        List<Long> arrivals = new ArrayList<>();
        int first = -1;
        try (Socket socket = helloSent("127.77.4.2", 1500)) {
            InputStream in = socket.getInputStream();
            long start = System.nanoTime();
            while (System.nanoTime() - start < 3_300_000_000L) {
                int b;
                try {
                    b = in.read();
                } catch (SocketTimeoutException e) {
                    continue;
                }
                if (b < 0) {
                    break;
                }
                if (first < 0) {
                    first = b;
                }
                arrivals.add((System.nanoTime() - start) / 1_000_000);
            }
        }
        assertThat(first).as("the trickle is a real TLS handshake record").isEqualTo(0x16);
        // Bytes at ~0 s, 1 s, 2 s, 3 s: three or four within 3.3 s, never two within 0.5 s.
        assertThat(arrivals).hasSizeBetween(3, 5);
        for (int i = 1; i < arrivals.size(); i++) {
            assertThat(arrivals.get(i) - arrivals.get(i - 1)).isGreaterThan(500);
        }
    }

    @Test
    void resetHostResetsTheConnectionAfterTheClientHello() throws Exception {
        try (Socket socket = helloSent("127.77.4.3", 3000)) {
            assertThatThrownBy(() -> LabClient.readToEnd(socket.getInputStream()))
                    .isInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
        assertThatThrownBy(() -> LabClient.session(ip("127.77.4.3"), lab.port(), null)).isInstanceOf(SocketException.class);
    }

    private static byte[] afterHello(String address) throws Exception {
        try (Socket socket = helloSent(address, 3000)) {
            return LabClient.readToEnd(socket.getInputStream());
        }
    }

    @Test
    void closeAfterHelloSendsOneServerHelloRecordThenCloses() throws Exception {
        for (String address : List.of("127.77.4.4", "127.77.4.7")) {
            byte[] received = afterHello(address);
            assertThat(received.length).as(address).isGreaterThan(40);
            assertThat(received[0]).as("handshake record").isEqualTo((byte) 0x16);
            assertThat(received[5]).as("ServerHello").isEqualTo((byte) 0x02);
            int recordLength = ((received[3] & 0xFF) << 8) | (received[4] & 0xFF);
            assertThat(received).as("exactly one record, then EOF").hasSize(5 + recordLength);
            // Depending on timing the JDK sees EOF (SSLException) or a reset/broken pipe.
            assertThatThrownBy(() -> LabClient.session(ip(address), lab.port(), null)).isInstanceOf(IOException.class);
        }
        assertThat(lab.chainFor(ip("127.77.4.4"), null)).as("the certificate never reaches the client").isEmpty();
    }

    @Test
    void garbageHostAnswersWithBytesThatAreNoTlsRecord() throws Exception {
        byte[] received;
        try (Socket socket = helloSent("127.77.4.5", 3000)) {
            received = LabClient.readToEnd(socket.getInputStream());
        }
        assertThat(received).hasSize(512);
        assertThat(received[0] & 0xFF).as("not a TLS content type").isNotIn(0x14, 0x15, 0x16, 0x17, 0x18);
        assertThatThrownBy(() -> LabClient.session(ip("127.77.4.5"), lab.port(), null)).isInstanceOf(SSLException.class);
    }

    @Test
    void plainHttpHostAnswersAClientHelloWithHttp400() throws Exception {
        String response;
        try (Socket socket = helloSent("127.77.4.6", 3000)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(LabClient.readToEnd(socket.getInputStream()));
            response = out.toString(StandardCharsets.ISO_8859_1);
        }
        assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("Content-Length: ");
        assertThatThrownBy(() -> LabClient.session(ip("127.77.4.6"), lab.port(), null)).isInstanceOf(SSLException.class);
        InetAddress ip = ip("127.77.4.6");
        assertThat(lab.expectedNames(ip, null)).isEmpty();
    }
}
