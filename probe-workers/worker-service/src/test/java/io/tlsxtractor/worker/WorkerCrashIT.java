package io.tlsxtractor.worker;

import static io.tlsxtractor.worker.ItSupport.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tlsxtractor.localstack.EmbeddedKafkaBroker;
import io.tlsxtractor.localstack.RegistrySettings;
import io.tlsxtractor.localstack.SchemaRegistryProcess;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.Event;
import io.tlsxtractor.schemas.avro.EventType;
import io.tlsxtractor.schemas.avro.ProbeOptions;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.TargetBlock;
import io.tlsxtractor.schemas.registry.RestSchemaRegistryClient;
import io.tlsxtractor.schemas.registry.SchemaRegistrySettings;
import io.tlsxtractor.tlslab.LabSpec;
import io.tlsxtractor.tlslab.TlsLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers as child JVMs ({@link WorkerMain}) against a real broker and the real schema registry
 * (Apicurio): a worker killed with SIGKILL in the middle of its blocks loses nothing (its blocks are
 * redone by the next worker), and a worker stopped with SIGTERM writes the results of the probes
 * it had in flight before it exits.
 */
class WorkerCrashIT {
    /** 256 targets in 8 blocks; every fourth host never answers, so a worker with a budget of 8 is mid-block for a while. */
    private static final int TARGETS = 256;
    private static final int BLOCKS = 8;

    @TempDir
    static Path dir;
    private static SchemaRegistryProcess registryProcess;
    private static RestSchemaRegistryClient registry;
    private static TlsLab lab;
    private EmbeddedKafkaBroker broker;
    private final List<Process> children = new ArrayList<>();

    @BeforeAll
    static void startServices() {
        registryProcess = SchemaRegistryProcess.start(new RegistrySettings(dir.resolve("registry"), 0, Duration.ofMinutes(3)));
        registry = new RestSchemaRegistryClient(SchemaRegistrySettings.of(registryProcess.url()));
        LabSpec.Builder spec = LabSpec.builder().range("127.79.0.0/24");
        for (int i = 0; i < TARGETS; i += 4) {
            spec.rule("127.79.0." + i, "tarpit");
        }
        lab = TlsLab.start(spec.build(), 0);
        for (int i = 0; i < TARGETS; i++) {
            lab.chainFor(ip("127.79.0." + i), null);
        }
    }

    @AfterAll
    static void stopServices() {
        if (lab != null) {
            lab.close();
        }
        if (registryProcess != null) {
            registryProcess.close();
        }
    }

    @BeforeEach
    void startBroker(@TempDir Path brokerDir) {
        // One broker per test: each test's group reads the targets topic from its start.
        broker = EmbeddedKafkaBroker.start(brokerDir);
        ItSupport.provisionTopics(broker.bootstrapServers());
    }

    @AfterEach
    void stopChildrenAndBroker() throws InterruptedException {
        for (Process p : children) {
            p.toHandle().destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        children.clear();
        if (broker != null) {
            broker.close();
        }
    }

    private Set<String> produceTargets(String scan) {
        return produceTargets(scan, ItSupport.options(1500));
    }

    private Set<String> produceTargets(String scan, ProbeOptions options) {
        List<TargetBlock> blocks = new ArrayList<>();
        int per = TARGETS / BLOCKS;
        for (int b = 0; b < BLOCKS; b++) {
            blocks.add(ItSupport.rangeBlock(scan, "127.79.0." + (b * per), "127.79.0." + (b * per + per - 1),
                    lab.port(), options));
        }
        ItSupport.produceBlocks(broker.bootstrapServers(), registry, blocks);
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < TARGETS; i++) {
            keys.add("127.79.0." + i + ":" + lab.port());
        }
        return keys;
    }

    private Process startWorker(String workerId, Duration drainTimeout) throws IOException {
        Path log = dir.resolve(workerId + ".log");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"),
                WorkerMain.class.getName(),
                "--bootstrap-servers", broker.bootstrapServers(),
                "--registry-url", registryProcess.url(),
                "--worker-id", workerId,
                "--max-in-flight", "8",
                "--drain-timeout", drainTimeout.toMillis() + "ms",
                "--poll-timeout", "200ms",
                "--timeout", "1500ms",
                "--retries", "0",
                "--io-threads", "1",
                // The group notices the killed worker after the session timeout: keep it short for the test.
                "--property", "session.timeout.ms=8000",
                "--property", "heartbeat.interval.ms=2000");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        children.add(p);
        return p;
    }

    private List<ConsumerRecord<String, ProbeResult>> results() {
        return ItSupport.readAll(broker.bootstrapServers(), Topics.PROBE_RESULTS, registry);
    }

    private static Set<String> keys(List<ConsumerRecord<String, ProbeResult>> results) {
        return results.stream().map(ConsumerRecord::key).collect(Collectors.toSet());
    }

    private static String logOf(String workerId) {
        Path log = dir.resolve(workerId + ".log");
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aWorkerKilledMidBlockLosesNoTarget() throws Exception {
        Set<String> targets = produceTargets("scan-crash");
        Process first = startWorker("crash-1", Duration.ofSeconds(5));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .until(() -> results().size() >= 20 || !first.isAlive());
        assertThat(first.isAlive()).as("worker crash-1 died on its own:%n%s", logOf("crash-1")).isTrue();
        first.toHandle().destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

        List<ConsumerRecord<String, ProbeResult>> beforeCrash = results();
        assertThat(keys(beforeCrash)).as("killed mid-scan: some targets have no result yet")
                .hasSizeGreaterThanOrEqualTo(20).hasSizeLessThan(TARGETS);
        assertThat(ItSupport.readAll(broker.bootstrapServers(), Topics.EVENTS, registry))
                .as("a killed worker writes no worker.stopped event")
                .noneMatch(e -> e.value().getType() == EventType.WORKER_STOPPED);

        Process second = startWorker("crash-2", Duration.ofSeconds(5));
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> keys(results()).size() >= TARGETS || !second.isAlive());
        assertThat(second.isAlive()).as("worker crash-2 died:%n%s", logOf("crash-2")).isTrue();

        List<ConsumerRecord<String, ProbeResult>> all = results();
        assertThat(keys(all)).as("every target has a result; duplicates are allowed").isEqualTo(targets);
        assertThat(all).allMatch(r -> r.value().getWorkerId().equals("crash-1") || r.value().getWorkerId().equals("crash-2"));
        assertThat(all).anyMatch(r -> r.value().getWorkerId().equals("crash-2"));
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aWorkerStoppedWithSigtermWritesTheResultsOfItsProbesInFlight() throws Exception {
        Set<String> targets = produceTargets("scan-drain");
        Process worker = startWorker("drain-1", Duration.ofSeconds(30));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .until(() -> results().size() >= 20 || !worker.isAlive());
        assertThat(worker.isAlive()).as("worker drain-1 died on its own:%n%s", logOf("drain-1")).isTrue();
        worker.toHandle().destroy();
        assertThat(worker.waitFor(90, TimeUnit.SECONDS)).as("drain-1 exits after draining").isTrue();

        Event stopped = ItSupport.readAll(broker.bootstrapServers(), Topics.EVENTS, registry).stream()
                .map(ConsumerRecord::value)
                .filter(e -> e.getType() == EventType.WORKER_STOPPED && e.getSubjectId().equals("drain-1"))
                .findFirst().orElseThrow(() -> new AssertionError("no worker.stopped event; log:\n" + logOf("drain-1")));
        List<ConsumerRecord<String, ProbeResult>> written = results();
        long fromWorker = written.stream().filter(r -> r.value().getWorkerId().equals("drain-1")).count();
        assertThat(Integer.parseInt(stopped.getData().get("drained"))).as("probes were in flight at SIGTERM").isPositive();
        assertThat(stopped.getData()).as("nothing was abandoned").containsEntry("abandoned_in_flight", "0");
        assertThat(Long.parseLong(stopped.getData().get("probes")))
                .as("every probe the worker finished, the drained ones included, has its result written")
                .isEqualTo(Long.parseLong(stopped.getData().get("results_written")))
                .isEqualTo(fromWorker);
        assertThat(keys(written)).hasSizeLessThan(TARGETS);

        Process next = startWorker("drain-2", Duration.ofSeconds(5));
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> keys(results()).size() >= TARGETS || !next.isAlive());
        assertThat(keys(results())).as("the next worker finishes the scan; log:%n%s", logOf("drain-2")).isEqualTo(targets);
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aStoppedWorkerStartsNoProbeThatWaitsForTheRateLimitAndLeavesItsBlockToTheNextWorker() throws Exception {
        // One probe a second for a budget of 8: at SIGTERM the endpoints handed to the engine mostly wait for the rate
        // limit. Started during the 5 s drain, they would add connections after the stop (and the last ones would be
        // dropped at its end, then probed again); only the probe in progress (1.5 s at most) may still connect.
        ProbeOptions slow = ProbeOptions.newBuilder(ItSupport.options(1500)).setRateLimitPerSecond(1.0).build();
        ItSupport.produceBlocks(broker.bootstrapServers(), registry, List.of(
                ItSupport.rangeBlock("scan-rate", "127.79.0.0", "127.79.0.15", lab.port(), slow),
                ItSupport.rangeBlock("scan-rate", "127.79.0.16", "127.79.0.31", lab.port(), slow)));
        Set<String> targets = new HashSet<>();
        for (int i = 0; i < 32; i++) {
            targets.add("127.79.0." + i + ":" + lab.port());
        }
        long connectionsBefore = lab.connectionsAccepted();
        Process worker = startWorker("rate-1", Duration.ofSeconds(5));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> results().size() >= 6 || !worker.isAlive());
        assertThat(worker.isAlive()).as("worker rate-1 died on its own:%n%s", logOf("rate-1")).isTrue();
        long atStop = lab.connectionsAccepted();
        worker.toHandle().destroy();
        assertThat(worker.waitFor(90, TimeUnit.SECONDS)).as("rate-1 exits after draining").isTrue();

        assertThat(lab.connectionsAccepted() - atStop).as("connections after SIGTERM; log:%n%s", logOf("rate-1"))
                .isLessThanOrEqualTo(2);
        List<ConsumerRecord<String, ProbeResult>> written = results();
        assertThat(lab.connectionsAccepted() - connectionsBefore)
                .as("every connection the lab saw is a probe whose result was written; log:%n%s", logOf("rate-1"))
                .isEqualTo(written.size());
        assertThat(keys(written)).hasSizeLessThan(targets.size());

        Process next = startWorker("rate-2", Duration.ofSeconds(5));
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> keys(results()).size() >= targets.size() || !next.isAlive());
        assertThat(keys(results())).as("the block left unfinished is redone; log:%n%s", logOf("rate-2"))
                .isEqualTo(targets);
    }
}
