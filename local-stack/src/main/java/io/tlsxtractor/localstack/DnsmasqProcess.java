package io.tlsxtractor.localstack;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real DNS server for tests: dnsmasq on 127.0.0.1:&lt;free port&gt;, answering only for the records given as dnsmasq
 * options ({@code --host-record=…}, {@code --cname=…}), NXDOMAIN for every other name under {@code .test}. Started as a
 * child process, stopped by its PID. Debian's {@code dnsmasq-base} provides the binary ({@code .ci/run} installs it).
 */
public final class DnsmasqProcess implements AutoCloseable {

    private static final List<Path> LOCATIONS = List.of(Path.of("/usr/sbin/dnsmasq"), Path.of("/usr/bin/dnsmasq"),
            Path.of("/sbin/dnsmasq"), Path.of("/usr/local/sbin/dnsmasq"));

    private final Process process;
    private final int port;
    private final Path log;

    private DnsmasqProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The dnsmasq executable; a missing one is an error that says how to install it (tests fail, never skip). */
    public static Path executable() {
        for (Path p : LOCATIONS) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException("dnsmasq is not installed (looked in " + LOCATIONS + "). The DNS tests need a real "
                + "DNS server on loopback: .ci/run installs it; by hand: apt-get install -y dnsmasq-base");
    }

    /** Starts dnsmasq with its log in {@code dir}, retrying on another port if the one picked was taken meanwhile. */
    public static DnsmasqProcess start(Path dir, List<String> recordOptions) throws IOException, InterruptedException {
        Path exe = executable();
        IOException last = null;
        for (int tries = 0; tries < 3; tries++) {
            int port = freePort();
            Path log = dir.resolve("dnsmasq-" + port + ".log");
            List<String> command = new ArrayList<>(List.of(exe.toString(), "--no-daemon", "--port=" + port,
                    "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
                    "--conf-file=/dev/null", "--local=/test/", "--log-queries", "--log-facility=-"));
            command.addAll(recordOptions);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            DnsmasqProcess server = new DnsmasqProcess(process, port, log);
            if (server.awaitReady(Duration.ofSeconds(10))) {
                return server;
            }
            server.close();
            last = new IOException("dnsmasq did not answer on 127.0.0.1:" + port + "; its output: "
                    + Files.readString(log));
        }
        throw last;
    }

    public int port() {
        return port;
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    private boolean awaitReady(Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        SimpleResolver probe = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        probe.setTimeout(Duration.ofMillis(300));
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                return false;
            }
            try {
                probe.send(Message.newQuery(Record.newRecord(Name.fromString("ready.test."), Type.A, DClass.IN)));
                return true;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        return false;
    }

    /** A port free for both UDP and TCP on 127.0.0.1 at the time of asking (dnsmasq binds both). */
    private static int freePort() throws IOException {
        for (int i = 0; i < 20; i++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                    return udp.getLocalPort();
                } catch (IOException taken) {
                    // UDP side in use: try another.
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP on 127.0.0.1");
    }

    @Override
    public void close() {
        // Process.destroy() signals this child's PID only (SIGTERM), never other dnsmasq instances.
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
