package io.tlsxtractor.enrichment;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A misbehaving "DNS server" on 127.0.0.1: it reads every datagram and answers whatever the reply function
 * makes of it (null = stay silent). Stands in for a slow or broken resolver.
 */
final class FakeUdpServer implements AutoCloseable {

    private final DatagramSocket socket;
    private final Thread thread;
    private final AtomicInteger received = new AtomicInteger();

    private FakeUdpServer(UnaryOperator<byte[]> reply) throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(() -> serve(reply), "fake-dns-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** Reads queries and never answers. */
    static FakeUdpServer silent() throws SocketException {
        return new FakeUdpServer(query -> null);
    }

    /**
     * Answers with the query's id (so the answer is not dropped as someone else's) followed by bytes that
     * are no DNS message: flags and counts all ones, then nothing.
     */
    static FakeUdpServer garbage() throws SocketException {
        return new FakeUdpServer(query -> {
            byte[] answer = new byte[40];
            Arrays.fill(answer, (byte) 0xFF);
            answer[0] = query[0];
            answer[1] = query[1];
            return answer;
        });
    }

    /** Answers every query with five random-looking bytes: shorter than a DNS header. */
    static FakeUdpServer shortAnswers() throws SocketException {
        return new FakeUdpServer(query -> new byte[] {0x13, 0x37, 0x00, 0x42, 0x7F});
    }

    String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    int received() {
        return received.get();
    }

    private void serve(UnaryOperator<byte[]> reply) {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                received.incrementAndGet();
                byte[] answer = reply.apply(Arrays.copyOf(packet.getData(), packet.getLength()));
                if (answer != null) {
                    socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
