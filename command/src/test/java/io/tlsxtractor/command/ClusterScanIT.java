package io.tlsxtractor.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsxtractor.localstack.BrokerSettings;
import io.tlsxtractor.localstack.KafkaBrokerProcess;
import io.tlsxtractor.localstack.RegistrySettings;
import io.tlsxtractor.localstack.SchemaRegistryProcess;
import io.tlsxtractor.tlslab.LabSpec;
import io.tlsxtractor.tlslab.TlsLab;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distributed path end to end, every role its own process of the real jar: a broker (child JVM) and the schema
 * registry (Apicurio) started here, {@code tlsxtractor topics create}, {@code tlsxtractor ingest} and
 * {@code tlsxtractor worker}; then {@code tlsxtractor --cidr … --bootstrap-servers … --schema-registry-url …} submits
 * the scan to them, follows it there (no local broker) and writes the 1.x document of the lab's hosts.
 */
class ClusterScanIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    static KafkaBrokerProcess broker;
    static SchemaRegistryProcess registry;
    static TlsLab lab;
    static int port;
    static final List<Process> roles = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        lab = TlsLab.start(LabSpec.builder().build().withRange("127.78.9.0/24"), port);
        broker = KafkaBrokerProcess.start(new BrokerSettings(work.resolve("kafka"), 0, 0, "512m", Duration.ofMinutes(3)));
        registry = SchemaRegistryProcess.start(new RegistrySettings(work.resolve("registry"), 0, Duration.ofMinutes(3)));
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        for (Process p : roles) {
            p.destroy();
        }
        for (Process p : roles) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    private static String[] cluster(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", broker.bootstrapServers(), "--schema-registry-url", registry.url()));
        return all.toArray(String[]::new);
    }

    @Test
    void theCommandSubmitsToTheClusterWithItsTargetsOrAnUploadedFileAndWritesTheDocumentFromItsIngestAndWorker() throws Exception {
        Result topics = run(Duration.ofMinutes(2), "topics", "create", "--bootstrap-servers",
                broker.bootstrapServers());
        assertThat(topics.exit).as(topics.output).isZero();
        roles.add(start(work.resolve("ingest.log"), cluster("ingest")));
        roles.add(start(work.resolve("worker.log"), cluster("worker", "--max-in-flight", "20")));
        Path config = work.resolve("cli.yaml");
        Files.writeString(config, "local:\n  data_dir: " + work.resolve("cli-data") + "\n");
        Path out = work.resolve("cluster.json");

        Result scan = run(Duration.ofMinutes(4), cluster("--cidr", "127.78.9.0/29", "--port", Integer.toString(port),
                "--allow-private", "-o", out.toString(), "--config", config.toString()));

        assertThat(scan.exit).as(scan.output + logs()).isZero();
        assertThat(scan.output).doesNotContain("Starting the embedded pipeline").contains("Scan complete: 6 targets");
        assertThat(Files.exists(work.resolve("cli-data").resolve("embedded"))).as("no local broker").isFalse();
        Map<String, Object> doc = JSON.readValue(out.toFile(), new TypeReference<Map<String, Object>>() { });
        Map<String, Object> meta = map(doc.get("metadata"));
        assertThat(meta.get("mode")).isEqualTo("ip_scan");
        Map<String, Object> stats = map(meta.get("statistics"));
        assertThat(stats).containsEntry("total_targets", 6).containsEntry("scanned", 6).containsEntry("successful", 6);
        List<Object> results = list(doc.get("results"));
        assertThat(results).extracting(r -> map(r).get("ip")).containsExactlyInAnyOrder("127.78.9.1", "127.78.9.2",
                "127.78.9.3", "127.78.9.4", "127.78.9.5", "127.78.9.6");
        for (Object o : results) {
            Map<String, Object> r = map(o);
            String name = "h-" + ((String) r.get("ip")).replace('.', '-') + ".lab.test";
            assertThat(r).containsEntry("status", "success").containsEntry("port", port);
            assertThat(list(r.get("domains"))).containsExactlyInAnyOrder(name, "www." + name);
        }
        assertThat(list(map(doc.get("discovered_hosts")).get("hostnames"))).hasSize(12);

        // A file of targets goes to the cluster's ingest uploaded in chunks (this one is over 1 MiB of comments, more
        // than one Kafka record holds), and its bad line is reported with its line number.
        Path targets = work.resolve("targets.txt");
        StringBuilder text = new StringBuilder("# cluster file scan\r\n127.78.9.9\r\n");
        for (int i = 0; i < 12_000; i++) {
            text.append("# ").append("padding ".repeat(12)).append("\r\n");
        }
        text.append("not a target\r\n127.78.9.10:").append(port).append("\r\n");
        Files.writeString(targets, text.toString());
        assertThat(Files.size(targets)).isGreaterThan(1L << 20);
        Path fileOut = work.resolve("cluster-file.json");

        Result fileScan = run(Duration.ofMinutes(4), cluster("--file", targets.toString(), "--port",
                Integer.toString(port), "--allow-private", "-o", fileOut.toString(), "--config", config.toString()));

        assertThat(fileScan.exit).as(fileScan.output + logs()).isZero();
        assertThat(fileScan.output).contains("Uploading " + targets).contains("tlsx.scan-inputs.v1")
                .contains("1 invalid target line(s) skipped").contains(":12003: ").contains("'not a target'")
                .contains("Scan complete: 2 targets");
        Map<String, Object> fileDoc = JSON.readValue(fileOut.toFile(), new TypeReference<Map<String, Object>>() { });
        assertThat(map(fileDoc.get("metadata")).get("mode")).isEqualTo("mixed_scan");
        assertThat(map(fileDoc.get("metadata")).get("parameters")).satisfies(p -> assertThat(map(p))
                .containsEntry("input", targets.toString()));
        List<Object> ips = list(map(fileDoc.get("results")).get("ips"));
        assertThat(ips).extracting(r -> map(r).get("ip")).containsExactlyInAnyOrder("127.78.9.9", "127.78.9.10");
        assertThat(ips).allSatisfy(r -> assertThat(map(r)).containsEntry("status", "success"));
    }

    private static String logs() throws IOException {
        return "\ningest:\n" + Files.readString(work.resolve("ingest.log")) + "\nworker:\n"
                + Files.readString(work.resolve("worker.log"));
    }

    private record Result(int exit, String output) {
    }

    private static List<String> javaCommand(String... args) {
        Path project = Path.of(System.getProperty("tlsxtractor.project.dir", "..")).toAbsolutePath().normalize();
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-jar", project.resolve("command/target/tlsxtractor.jar").toString()));
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
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", args) + " did not finish within " + timeout + ":\n"
                    + Files.readString(log, StandardCharsets.UTF_8) + logs());
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
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
