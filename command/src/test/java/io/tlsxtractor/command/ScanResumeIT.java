package io.tlsxtractor.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsxtractor.localstack.KafkaBrokerProcess;
import io.tlsxtractor.tlslab.LabSpec;
import io.tlsxtractor.tlslab.TlsLab;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code tlsxtractor} command (the shaded jar, as its own process) on the embedded pipeline, against a TLS lab
 * that this test runs, so that the lab's connection count tells how often targets were probed: a scan interrupted by
 * SIGINT and continued with {@code --resume} probes every target exactly once and writes the whole document; a disk
 * that fills up under the results file is a clear error that names where the results are kept, and a resume writes
 * them without probing again; a broker killed mid-scan stops the scan with a clear error in bounded time.
 */
class ScanResumeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RESUME = Pattern.compile("tlsxtractor --resume (\\S+)");

    @TempDir
    static Path work;

    static int port;
    static TlsLab lab;

    @BeforeAll
    static void startLab() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        // One lab for every range the tests scan; each test scans its own range.
        lab = TlsLab.start(LabSpec.builder().build().withRange("127.78.0.0/16"), port);
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    /** A config file with its own embedded data directory, so that a test's broker is its own. */
    private static Path config(String name) throws IOException {
        Path config = work.resolve(name + ".yaml");
        Files.writeString(config, "local:\n  data_dir: " + work.resolve(name + "-data") + "\n");
        return config;
    }

    @Test
    void aScanInterruptedByCtrlCAndResumedProbesEveryTargetOnceAndWritesTheWholeDocument() throws Exception {
        Path config = config("resume");
        Path out = work.resolve("resumed.json");
        Path log = work.resolve("interrupted.log");
        long before = lab.connectionsAccepted();
        Process p = start(log, "--cidr", "127.78.1.0/26", "--rate-limit", "4", "--timeout", "20", "--port", Integer.toString(port),
                "--allow-private", "-o", out.toString(), "--config", config.toString());
        try {
            awaitOrFail(() -> lab.connectionsAccepted() - before >= 10 || !p.isAlive(), Duration.ofMinutes(3), log);
            assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
            assertThat(new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor()).isZero();
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(log)).isEqualTo(130);
        } finally {
            kill(p);
        }
        String interrupted = Files.readString(log);
        Matcher m = RESUME.matcher(interrupted);
        assertThat(m.find()).as(interrupted).isTrue();
        String scanId = m.group(1);
        assertThat(interrupted).contains("Scan " + scanId + " interrupted; continue it with: tlsxtractor --resume "
                + scanId + " --config " + config);
        Map<String, Object> partial = read(out);
        assertThat(map(map(partial.get("metadata")).get("parameters"))).containsEntry("scan_id", scanId);
        int firstRun = list(partial.get("results")).size();
        assertThat(firstRun).as("a partial document").isLessThan(62);

        // Resumed by its output file, from another directory, without the rate limit: the recorded command line runs
        // again, the flags typed now win.
        Result r = run(Duration.ofMinutes(4), "--resume", out.toString(), "--rate-limit", "0", "--config", config.toString());
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).contains("Resuming scan " + scanId, "Scan complete: 62 targets");
        Map<String, Object> doc = read(out);
        Map<String, Object> stats = map(map(doc.get("metadata")).get("statistics"));
        assertThat(stats.get("total_targets")).isEqualTo(62);
        assertThat(stats.get("scanned")).isEqualTo(62);
        assertThat(stats.get("successful")).isEqualTo(62);
        assertThat(map(map(doc.get("metadata")).get("parameters"))).containsEntry("scan_id", scanId);
        List<Object> ips = list(doc.get("results")).stream().map(x -> map(x).get("ip")).toList();
        assertThat(ips).hasSize(62).doesNotHaveDuplicates();
        // Every target once: the lab saw, over both runs, exactly the connections of each target's final result (one,
        // or more when a handshake timed out on this loaded machine and was retried), none for a target already done.
        int attempts = list(doc.get("results")).stream().mapToInt(x -> (Integer) map(x).get("successful_attempt")).sum();
        assertThat(lab.connectionsAccepted() - before).as("connections vs attempts; retries %s",
                map(map(stats.get("error_breakdown")).get("retry_success_distribution"))).isEqualTo(attempts);
    }

    @Test
    void aFullDiskIsAClearErrorThatNamesWhereTheResultsAreAndAResumeWritesThemWithoutProbing() throws Exception {
        Path config = config("full");
        Path mount = Files.createDirectories(work.resolve("small-disk"));
        assertThat(new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount.toString())
                .inheritIO().start().waitFor()).as("mount a 64k tmpfs (needs root)").isZero();
        try {
            Path filler = mount.resolve("filler");
            try (OutputStream o = Files.newOutputStream(filler)) {
                byte[] chunk = new byte[4096];
                while (true) {
                    o.write(chunk);
                    o.flush();
                }
            } catch (IOException full) {
                assertThat(full.getMessage()).contains("No space left");
            }
            Path out = mount.resolve("results.json");
            long before = lab.connectionsAccepted();
            Result failed = run(Duration.ofMinutes(4), "--cidr", "127.78.2.0/29", "--timeout", "20", "--port", Integer.toString(port),
                    "--allow-private", "-o", out.toString(), "--config", config.toString());
            assertThat(failed.exit).as(failed.output).isEqualTo(1);
            assertThat(failed.output).contains("Error: cannot write the results to " + out + ": No space left on device",
                    "The scan's results are kept on topic tlsx.probe-results.v1 at 127.0.0.1:");
            Matcher m = RESUME.matcher(failed.output);
            assertThat(m.find()).as(failed.output).isTrue();
            long probed = lab.connectionsAccepted() - before;
            assertThat(probed).isEqualTo(6);

            Files.delete(filler);
            Result resumed = run(Duration.ofMinutes(4), "--resume", m.group(1), "--config", config.toString());
            assertThat(resumed.exit).as(resumed.output).isZero();
            Map<String, Object> doc = read(out);
            assertThat(map(map(doc.get("metadata")).get("statistics"))).containsEntry("scanned", 6)
                    .containsEntry("successful", 6);
            assertThat(list(doc.get("results"))).hasSize(6);
            assertThat(lab.connectionsAccepted() - before).as("the resume probed nothing again").isEqualTo(6);
        } finally {
            new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void aBrokerKilledMidScanStopsTheScanWithAClearErrorInBoundedTime() throws Exception {
        Path config = config("broker-dies");
        Path log = work.resolve("broker-dies.log");
        long before = lab.connectionsAccepted();
        Process p = start(log, "--cidr", "127.78.3.0/24", "--rate-limit", "4", "--port", Integer.toString(port),
                "--allow-private", "-o", work.resolve("never.json").toString(), "--config", config.toString());
        try {
            awaitOrFail(() -> lab.connectionsAccepted() - before >= 3 || !p.isAlive(), Duration.ofMinutes(3), log);
            Optional<ProcessHandle> broker = p.descendants().filter(h -> h.info().commandLine()
                    .map(c -> c.contains(KafkaBrokerProcess.COMMAND_MARKER)).orElse(false)).findFirst();
            assertThat(broker).as("the embedded broker among %s", p.descendants().toList()).isPresent();
            assertThat(new ProcessBuilder("kill", "-9", Long.toString(broker.get().pid())).start().waitFor()).isZero();
            long killed = System.nanoTime();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exits within 60 s of the broker's death: "
                    + Files.readString(log)).isTrue();
            String output = Files.readString(log);
            assertThat(p.exitValue()).as(output).isEqualTo(1);
            assertThat(output).contains("Error: scan ", "failed: the embedded Kafka broker (pid " + broker.get().pid()
                    + ") exited", "resume with 'tlsxtractor --resume ");
            System.out.printf("broker killed -> command exited in %.1f s%n", (System.nanoTime() - killed) / 1e9);
        } finally {
            kill(p);
        }
    }

    private record Result(int exit, String output) {
    }

    private static void awaitOrFail(BooleanSupplier condition, Duration timeout, Path log) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + ":\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }

    private static List<String> javaCommand(String... args) {
        Path project = Path.of(System.getProperty("tlsxtractor.project.dir", "..")).toAbsolutePath().normalize();
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                project.resolve("command/target/tlsxtractor.jar").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Process start(Path log, String... args) throws IOException {
        return new ProcessBuilder(javaCommand(args)).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    private static Result run(Duration timeout, String... args) throws Exception {
        Path log = Files.createTempFile(work, "run", ".log");
        Process p = start(log, args);
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(String.join(" ", args) + " did not finish within " + timeout + ":\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
        } finally {
            kill(p);
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static Map<String, Object> read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }
}
