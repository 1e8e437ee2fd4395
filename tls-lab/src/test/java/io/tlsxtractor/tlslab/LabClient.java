package io.tlsxtractor.tlslab;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/** A JDK TLS client that trusts everything (the tests assert on what was presented instead). */
final class LabClient {

    private LabClient() {
    }

    static InetAddress ip(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    static SSLContext trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {new TrustAll()}, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Connects, handshakes and returns the open socket (the caller closes it). */
    static SSLSocket handshake(InetAddress address, int port, String sni, String[] protocols, String... alpn)
            throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(address, port), 3000);
        plain.setSoTimeout(20_000);
        SSLSocket socket = (SSLSocket) trustAll().getSocketFactory()
                .createSocket(plain, address.getHostAddress(), port, true);
        SSLParameters params = socket.getSSLParameters();
        params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        if (protocols != null) {
            params.setProtocols(protocols);
        }
        if (alpn.length > 0) {
            params.setApplicationProtocols(alpn);
        }
        socket.setSSLParameters(params);
        try {
            socket.startHandshake();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    static SSLSession session(InetAddress address, int port, String sni, String... protocols) throws IOException {
        try (SSLSocket socket = handshake(address, port, sni, protocols.length == 0 ? null : protocols)) {
            return socket.getSession();
        }
    }

    static List<X509Certificate> chain(InetAddress address, int port, String sni) throws IOException {
        SSLSession session = session(address, port, sni);
        return Arrays.stream(session.getPeerCertificates()).map(c -> (X509Certificate) c).toList();
    }

    /** Sends one HTTP/1.1 request over TLS and returns the whole response (the lab closes after it). */
    static String http(InetAddress address, int port, String sni, String method, String path) throws IOException {
        try (SSLSocket socket = handshake(address, port, sni, null)) {
            String host = sni != null ? sni : LabSpec.hostName(address);
            socket.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: " + host
                    + "\r\nUser-Agent: lab-test\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The bytes of a real JDK ClientHello record (TLS 1.2/1.3), for raw-socket tests. */
    static byte[] clientHello(String sni) {
        try {
            SSLEngine engine = trustAll().createSSLEngine();
            engine.setUseClientMode(true);
            SSLParameters params = engine.getSSLParameters();
            params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
            engine.setSSLParameters(params);
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), out);
            if (result.bytesProduced() == 0) {
                throw new IllegalStateException("the JDK produced no ClientHello: " + result);
            }
            out.flip();
            byte[] bytes = new byte[out.remaining()];
            out.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A plain TCP socket to a lab host with a read timeout. */
    static Socket raw(InetAddress address, int port, int readTimeoutMillis) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(address, port), 3000);
        socket.setSoTimeout(readTimeoutMillis);
        return socket;
    }

    /** Reads until EOF (or the read timeout, which then propagates). */
    static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
