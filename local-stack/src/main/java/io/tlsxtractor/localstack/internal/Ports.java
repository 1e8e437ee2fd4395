package io.tlsxtractor.localstack.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Loopback ports: every local service binds to 127.0.0.1 only. */
public final class Ports {

    public static final String LOOPBACK_HOST = "127.0.0.1";

    private Ports() {
    }

    public static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(LOOPBACK_HOST, new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A port that was free on 127.0.0.1 a moment ago. The socket is closed before the service binds
     * it, so another process may take it in between: services that fail to bind report it clearly.
     */
    public static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, loopback())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on " + LOOPBACK_HOST, e);
        }
    }

    /** Whether {@code port} can be bound on 127.0.0.1 now. */
    public static boolean isFree(int port) {
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("Not a TCP port: " + port);
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(loopback(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether something accepts TCP connections on 127.0.0.1:{@code port}. */
    public static boolean accepts(int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(loopback(), port), timeoutMillis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Fails with a message naming the port and its purpose when it cannot be bound. */
    public static void requireFree(int port, String purpose) {
        if (!isFree(port)) {
            throw new IllegalStateException(
                    "Port " + port + " on " + LOOPBACK_HOST + " (" + purpose + ") is already in use");
        }
    }
}
