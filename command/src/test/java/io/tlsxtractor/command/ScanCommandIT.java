package io.tlsxtractor.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real scan command end to end: the embedded pipeline (a real broker as a child process, ingest, a worker, the
 * collector) against the TLS lab on 127.x, started by {@code --lab}. Each input form of the CLI is scanned and the
 * 1.x document compared field by field; the jsonl and csv formats, the file mode, an unwritable output and Ctrl-C are
 * checked too. Scans run one after the other (they share one embedded broker directory).
 */
class ScanCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    static Path config;
    static int port;

    /** The last scan's broker may still be stopping: the temporary directory is deleted once it is gone. */
    @org.junit.jupiter.api.AfterAll
    static void awaitTheLastBroker() {
        io.tlsxtractor.command.scan.EmbeddedPipeline.awaitBrokerStopped(work.resolve("data"));
    }

    @BeforeAll
    static void configure() throws IOException {
        config = work.resolve("tlsxtractor.yaml");
        Files.writeString(config, "local:\n  data_dir: " + work.resolve("data") + "\n");
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
    }

    private static String[] scan(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--port", Integer.toString(port), "--allow-private", "--lab", "--config", config.toString()));
        return all.toArray(String[]::new);
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

    private static String labName(String ip) {
        return "h-" + ip.replace('.', '-') + ".lab.test";
    }

    /** One successful {@code <result>} of the lab's default host at {@code ip}, field by field. */
    private static void assertLabResult(Map<String, Object> r, String ip) {
        assertThat(r).containsOnlyKeys("ip", "port", "status", "sni", "domains", "domain_sources", "tls_version",
                "certificate", "error", "error_code", "error_category", "error_details", "retry_count", "successful_attempt");
        assertThat(r.get("ip")).isEqualTo(ip);
        assertThat(r.get("port")).isEqualTo(port);
        assertThat(r.get("status")).isEqualTo("success");
        assertThat(r.get("sni")).isNull();
        assertThat(list(r.get("domains"))).containsExactlyInAnyOrder(labName(ip), "www." + labName(ip));
        Map<String, Object> sources = map(r.get("domain_sources"));
        assertThat(list(sources.get("san"))).containsExactlyInAnyOrder(labName(ip), "www." + labName(ip));
        assertThat(list(sources.get("cn"))).containsExactly(labName(ip));
        assertThat((String) r.get("tls_version")).matches("TLSv1\\.[23]");
        Map<String, Object> cert = map(r.get("certificate"));
        assertThat(map(cert.get("subject"))).containsEntry("commonName", labName(ip));
        assertThat(list(cert.get("san"))).containsExactlyInAnyOrder(labName(ip), "www." + labName(ip));
        assertThat(map(cert.get("issuer"))).containsKey("commonName");
        assertThat(map(cert.get("validity"))).containsKeys("not_before", "not_after");
        assertThat(r.get("error")).isNull();
        assertThat(r.get("error_code")).isNull();
        assertThat(r.get("error_category")).isNull();
        assertThat(r.get("retry_count")).isEqualTo(0);
        assertThat(r.get("successful_attempt")).isEqualTo(1);
    }

    private static void assertStatistics(Map<String, Object> stats, int total) {
        assertThat(stats).containsKeys("elapsed_seconds", "scan_rate", "domains_filtered");
        assertThat(stats.get("total_targets")).isEqualTo(total);
        assertThat(stats.get("scanned")).isEqualTo(total);
        assertThat(stats.get("successful")).isEqualTo(total);
        assertThat(stats.get("failed")).isEqualTo(0);
        assertThat(stats.get("unique_domains")).isEqualTo(2 * total);
        assertThat(map(stats.get("error_breakdown"))).containsOnlyKeys("by_category", "by_code", "retry_success_distribution");
        assertThat(map(map(stats.get("error_breakdown")).get("retry_success_distribution"))).containsEntry("1", total);
    }

    private static void assertDiscovered(Map<String, Object> hosts, String... ips) {
        List<String> expected = new ArrayList<>();
        for (String ip : ips) {
            expected.add(labName(ip));
            expected.add("www." + labName(ip));
        }
        expected.sort(null);
        assertThat(list(hosts.get("hostnames"))).containsExactlyElementsOf(expected);
        // lab.test is under no public suffix, so the lab's names have no registrable domain.
        assertThat(list(hosts.get("tlds"))).isEmpty();
        assertThat(hosts.get("total_hostnames")).isEqualTo(expected.size());
        assertThat(map(hosts.get("source_breakdown"))).containsEntry("san", expected.size()).containsEntry("cn", ips.length);
    }

    @Test
    void cidrScanWritesThe1xDocumentWithMode0600() throws Exception {
        Path out = work.resolve("cidr.json");
        assertThat(Main.run(scan("--cidr", "127.77.1.0/30", "-o", out.toString()))).isZero();

        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Map<String, Object> doc = read(out);
        assertThat(doc).containsOnlyKeys("metadata", "results", "discovered_hosts");
        Map<String, Object> meta = map(doc.get("metadata"));
        assertThat(meta.get("version")).isEqualTo("1.0");
        assertThat(meta.get("mode")).isEqualTo("ip_scan");
        assertThat((String) meta.get("scan_timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?Z");
        assertThat(map(meta.get("parameters"))).containsEntry("cidr", "127.77.1.0/30").containsEntry("port", port)
                .containsEntry("timeout", 5).containsEntry("threads", 50).containsEntry("retry", 3);
        assertStatistics(map(meta.get("statistics")), 2);
        List<Object> results = list(doc.get("results"));
        assertThat(results).hasSize(2);
        results.stream().map(ScanCommandIT::map)
                .forEach(r -> assertLabResult(r, (String) r.get("ip")));
        assertThat(results).extracting(r -> map(r).get("ip")).containsExactlyInAnyOrder("127.77.1.1", "127.77.1.2");
        assertDiscovered(map(doc.get("discovered_hosts")), "127.77.1.1", "127.77.1.2");
    }

    @Test
    void fileScanReadsAMixedFileSkippingTheGarbageLine() throws Exception {
        Path targets = work.resolve("targets.txt");
        Files.writeString(targets, "# lab hosts\n127.77.2.1\n127.77.2.2:" + port + "\n\nhttps://127.77.2.3:" + port
                + "/\nthis is not a target\n");
        Path out = work.resolve("file.json");
        assertThat(Main.run(scan("--file", targets.toString(), "-o", out.toString()))).isZero();

        Map<String, Object> doc = read(out);
        Map<String, Object> meta = map(doc.get("metadata"));
        assertThat(meta.get("mode")).isEqualTo("mixed_scan");
        assertThat(map(meta.get("parameters"))).containsEntry("input", targets.toString());
        Map<String, Object> stats = map(meta.get("statistics"));
        assertStatistics(stats, 3);
        assertThat(stats).containsEntry("total_ips", 2).containsEntry("total_urls", 1);
        Map<String, Object> results = map(doc.get("results"));
        List<Object> ips = list(results.get("ips"));
        assertThat(ips).extracting(r -> map(r).get("ip")).containsExactlyInAnyOrder("127.77.2.1", "127.77.2.2");
        ips.stream().map(ScanCommandIT::map).forEach(r -> assertLabResult(r, (String) r.get("ip")));
        List<Object> urls = list(results.get("urls"));
        assertThat(urls).hasSize(1);
        Map<String, Object> entry = map(urls.get(0));
        assertThat(entry.get("url")).isEqualTo("https://127.77.2.3:" + port + "/");
        assertThat(entry.get("port")).isEqualTo(port);
        assertThat(entry.get("dns_status")).isEqualTo("success");
        assertThat(list(entry.get("resolved_ips"))).containsExactly("127.77.2.3");
        assertThat(list(entry.get("connections"))).hasSize(1);
        assertLabResult(map(list(entry.get("connections")).get(0)), "127.77.2.3");
        assertDiscovered(map(doc.get("discovered_hosts")), "127.77.2.1", "127.77.2.2", "127.77.2.3");
    }

    @Test
    void fileDashReadsTheTargetsFromStandardInputAndKeepsThemForAResume() throws Exception {
        Path out = work.resolve("stdin.json");
        java.io.InputStream stdin = System.in;
        int exit;
        try {
            System.setIn(new java.io.ByteArrayInputStream(("127.77.6.1\n# a comment\n127.77.6.2:" + port + "\n")
                    .getBytes(StandardCharsets.UTF_8)));
            exit = Main.run(scan("-f", "-", "-o", out.toString()));
        } finally {
            System.setIn(stdin);
        }
        assertThat(exit).isZero();

        Map<String, Object> doc = read(out);
        Map<String, Object> meta = map(doc.get("metadata"));
        assertStatistics(map(meta.get("statistics")), 2);
        assertDiscovered(map(doc.get("discovered_hosts")), "127.77.6.1", "127.77.6.2");
        // The copy the scan read is in the data directory, private, and the recorded command line names it.
        Path copy = Path.of((String) map(meta.get("parameters")).get("input"));
        assertThat(copy.getParent()).isEqualTo(work.resolve("data").resolve("scans"));
        assertThat(Files.getPosixFilePermissions(copy)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(copy)).contains("127.77.6.1");
        assertThat(io.tlsxtractor.command.scan.ScanRecords.find(work.resolve("data"), out.toString()).args())
                .containsSubsequence("-f", copy.toString()).doesNotContain("-");
    }

    @Test
    void urlScanGroupsTheConnectionsUnderTheUrl() throws Exception {
        Path out = work.resolve("url.json");
        String url = "https://127.77.3.4:" + port + "/";
        assertThat(Main.run(scan("--url", url, "-o", out.toString()))).isZero();

        Map<String, Object> doc = read(out);
        Map<String, Object> meta = map(doc.get("metadata"));
        assertThat(meta.get("mode")).isEqualTo("url_scan");
        assertThat(map(meta.get("parameters"))).containsEntry("url", url);
        assertStatistics(map(meta.get("statistics")), 1);
        List<Object> results = list(doc.get("results"));
        assertThat(results).hasSize(1);
        Map<String, Object> entry = map(results.get(0));
        assertThat(entry.get("url")).isEqualTo(url);
        assertThat(list(entry.get("connections"))).hasSize(1);
        assertLabResult(map(list(entry.get("connections")).get(0)), "127.77.3.4");
        assertDiscovered(map(doc.get("discovered_hosts")), "127.77.3.4");
    }

    @Test
    void jsonlStreamsOneResultPerLineAndCsvOneRowPerResult() throws Exception {
        Path lines = work.resolve("results.jsonl");
        assertThat(Main.run(scan("--cidr", "127.77.4.0/30", "--format", "jsonl", "-o", lines.toString()))).isZero();
        List<String> jsonl = Files.readAllLines(lines, StandardCharsets.UTF_8);
        assertThat(jsonl).hasSize(2);
        for (String line : jsonl) {
            Map<String, Object> r = JSON.readValue(line, new TypeReference<Map<String, Object>>() { });
            assertLabResult(r, (String) r.get("ip"));
        }
        assertThat(Files.getPosixFilePermissions(lines)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        Path csv = work.resolve("results.csv");
        assertThat(Main.run(scan("--cidr", "127.77.4.0/30", "--format", "csv", "-o", csv.toString()))).isZero();
        List<String> rows = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertThat(rows.get(0)).isEqualTo("ip,port,status,sni,domains,tls_version,subject_cn,issuer_cn,not_after,"
                + "error_code,error_category,retry_count");
        assertThat(rows).hasSize(3);
        assertThat(rows.subList(1, 3)).allSatisfy(row -> assertThat(row).startsWith("127.77.4.")
                .contains("," + port + ",success,,").contains(".lab.test"));
        assertThat(Files.getPosixFilePermissions(csv)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void anUnwritableOutputIsAClearErrorBeforeAnythingStarts() throws Exception {
        Path locked = work.resolve("locked");
        Files.createDirectories(locked);
        Path out = locked.resolve("missing-dir").resolve("results.json");
        long start = System.nanoTime();
        Result r = runJar(work, Duration.ofSeconds(60), "--cidr", "127.77.5.0/30", "--port", Integer.toString(port),
                "--allow-private", "-o", out.toString(), "--config", config.toString());
        assertThat(r.exit).as(r.output).isEqualTo(1);
        assertThat(r.output).contains("Error: cannot write the results to " + out + ": no such directory");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void theLauncherRunsTheReadmeScanAgainstTheLab() throws Exception {
        Path project = Path.of(System.getProperty("tlsxtractor.project.dir", "..")).toAbsolutePath().normalize();
        // The jar was built by this very build: the launcher must run it, not rebuild the whole working tree (which
        // other modules' edits in progress could make newer than the jar).
        Files.setLastModifiedTime(project.resolve("command/target/tlsxtractor.jar"), FileTime.from(Instant.now()));
        Path out = work.resolve("launcher.json");
        Result r = run(work, Duration.ofMinutes(5), project.resolve("tlsxtractor").toString(), "--cidr", "127.77.6.0/29",
                "--port", Integer.toString(port), "--allow-private", "--lab", "-o", out.toString(),
                "--config", config.toString());
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).doesNotContain("building").contains("Scan complete: 6 targets", "[+] h-127-77-6-1.lab.test");
        Map<String, Object> doc = read(out);
        assertStatistics(map(map(doc.get("metadata")).get("statistics")), 6);
        assertDiscovered(map(doc.get("discovered_hosts")), "127.77.6.1", "127.77.6.2", "127.77.6.3", "127.77.6.4",
                "127.77.6.5", "127.77.6.6");
    }

    /**
     * Without {@code --config}, with the data directory from the environment, the command launches the broker before
     * its own set-up (once an earlier scan wrote the broker's class-data archive): the scan runs on that broker, and a
     * run that fails before its scan starts leaves no broker behind.
     */
    @Test
    void theBrokerLaunchedAtTheCommandsStartServesTheScanAndAFailedRunStopsIt() throws Exception {
        Path data = work.resolve("head-start-data");
        Map<String, String> env = Map.of("TLSXTRACTOR_LOCAL_DATA_DIR", data.toString());
        List<String> scan = List.of("--cidr", "127.77.9.0/30", "--port", Integer.toString(port), "--allow-private",
                "--lab");
        try {
            // The first scan of a data directory writes the broker's class-data archive: no launch at start yet.
            Path firstLog = work.resolve("head-start-1.log");
            Result first = runJar(work, env, Duration.ofMinutes(3), with(scan, "-o", work.resolve("hs-1.json").toString(),
                    "--log-file", firstLog.toString()));
            assertThat(first.exit).as(first.output).isZero();
            assertThat(Files.readString(firstLog)).doesNotContain("launched at the command's start");

            Path secondLog = work.resolve("head-start-2.log");
            Result second = runJar(work, env, Duration.ofMinutes(3), with(scan, "-o", work.resolve("hs-2.json").toString(),
                    "--log-file", secondLog.toString()));
            assertThat(second.exit).as(second.output).isZero();
            assertThat(second.output).contains("Scan complete: 2 targets");
            String log = Files.readString(secondLog);
            assertThat(log).contains("launched at the command's start, before its set-up");
            // One broker served the scan: the one launched first (its pid is in both lines).
            String pid = log.replaceAll("(?s).*Embedded broker \\(pid (\\d+)\\) launched.*", "$1");
            assertThat(pid).matches("\\d+");
            assertThat(log).containsPattern("Kafka broker ready on 127\\.0\\.0\\.1:\\d+ \\(pid " + pid + "\\)");
            assertStatistics(map(map(read(work.resolve("hs-2.json")).get("metadata")).get("statistics")), 2);

            Result failed = runJar(work, env, Duration.ofSeconds(60), with(scan, "-o",
                    work.resolve("no-such-dir").resolve("hs-3.json").toString()));
            assertThat(failed.exit).as(failed.output).isEqualTo(1);
            assertThat(failed.output).contains("Error: cannot write the results to");
            assertThat(brokersOf(data)).as("brokers left running on " + data).isEmpty();
        } finally {
            io.tlsxtractor.command.scan.EmbeddedPipeline.awaitBrokerStopped(data);
        }
    }

    /** Live broker processes whose command line names {@code dataDir} (their log configuration lives there). */
    private static List<ProcessHandle> brokersOf(Path dataDir) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(h -> h.info().commandLine().map(c -> c.contains(
                        io.tlsxtractor.localstack.KafkaBrokerProcess.COMMAND_MARKER) && c.contains(dataDir.toString()))
                        .orElse(false))
                .toList();
    }

    private static String[] with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void ctrlCStopsTheScanWritesThePartialDocumentAndExits130() throws Exception {
        Path out = work.resolve("partial.json");
        Path log = work.resolve("interrupt.log");
        Process p = start(work, log, "--cidr", "127.77.8.0/24", "--rate-limit", "4", "--port", Integer.toString(port),
                "--allow-private", "--lab", "-o", out.toString(), "--config", config.toString());
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            while (!Files.readString(log).contains("[+] ") && System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(200);
            }
            assertThat(Files.readString(log)).as("a first result before the interrupt").contains("[+] ");
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(log)).isEqualTo(130);
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        assertThat(Files.readString(log)).contains("Interrupted: writing the", "Scan interrupted");
        Map<String, Object> doc = read(out);
        Map<String, Object> stats = map(map(doc.get("metadata")).get("statistics"));
        assertThat(stats.get("total_targets")).isEqualTo(254);
        assertThat((Integer) stats.get("scanned")).isBetween(1, 253);
        assertThat(list(doc.get("results"))).hasSize((Integer) stats.get("scanned"));
    }

    private record Result(int exit, String output) {
    }

    private static Result runJar(Path dir, Duration timeout, String... args) throws IOException, InterruptedException {
        return runJar(dir, Map.of(), timeout, args);
    }

    private static Result runJar(Path dir, Map<String, String> env, Duration timeout, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = javaCommand(args);
        return run(dir, env, timeout, cmd.toArray(String[]::new));
    }

    private static List<String> javaCommand(String... args) {
        Path project = Path.of(System.getProperty("tlsxtractor.project.dir", "..")).toAbsolutePath().normalize();
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                project.resolve("command/target/tlsxtractor.jar").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Process start(Path dir, Path log, String... args) throws IOException {
        return new ProcessBuilder(javaCommand(args)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    private static Result run(Path dir, Duration timeout, String... command) throws IOException, InterruptedException {
        return run(dir, Map.of(), timeout, command);
    }

    private static Result run(Path dir, Map<String, String> env, Duration timeout, String... command)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile(work, "run", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
