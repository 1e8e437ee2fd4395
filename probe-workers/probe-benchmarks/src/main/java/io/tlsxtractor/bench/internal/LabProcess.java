package io.tlsxtractor.bench.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS lab ({@code io.tlsxtractor.tlslab.LabMain}) as a child JVM, so that its CPU is not this
 * process's. Started on this JVM's class path; stopped by its PID.
 */
public final class LabProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LabProcess.class);
    private static final String READY = "TLS lab listening on port ";

    private final Process process;
    private final int port;

    private LabProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the lab and waits until it listens.
     *
     * @param specFile a lab spec file, or {@code null}
     */
    public static LabProcess start(String range, int port, Path specFile) throws IOException, InterruptedException {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.tlsxtractor.tlslab.LabMain", "--range", range, "--port", Integer.toString(port)));
        if (specFile != null) {
            cmd.add("--spec");
            cmd.add(specFile.toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        StringBuilder head = new StringBuilder();
        Thread drain = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!ready.isDone()) {
                        head.append(line).append('\n');
                        if (line.startsWith(READY)) {
                            ready.complete(true);
                        }
                    }
                }
            } catch (IOException e) {
                // The child went away; the wait below reports it.
            }
            ready.complete(false);
        }, "tls-lab-output");
        drain.setDaemon(true);
        drain.start();
        boolean ok;
        try {
            ok = ready.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            ok = false;
        }
        if (!ok) {
            p.destroyForcibly();
            throw new IllegalStateException("the TLS lab child (" + String.join(" ", cmd.subList(3, cmd.size()))
                    + ") did not start listening within 60 s; its output:\n" + head);
        }
        LOG.info("TLS lab child PID {} listening on port {} for {}", p.pid(), port, range);
        return new LabProcess(p, port);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** A TCP port free on loopback now. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port: " + e.getMessage(), e);
        }
    }

    /** SIGTERM to the child's PID, then SIGKILL if it has not gone after 10 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
