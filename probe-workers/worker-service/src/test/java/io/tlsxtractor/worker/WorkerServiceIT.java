package io.tlsxtractor.worker;

import static io.tlsxtractor.worker.ItSupport.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tlsxtractor.localstack.EmbeddedKafkaBroker;
import io.tlsxtractor.probe.CertificateParser;
import io.tlsxtractor.probe.ProbeEngine;
import io.tlsxtractor.probe.ProbeSettings;
import io.tlsxtractor.schemas.DlqHeaders;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.BlockTarget;
import io.tlsxtractor.schemas.avro.ErrorCategory;
import io.tlsxtractor.schemas.avro.ErrorCode;
import io.tlsxtractor.schemas.avro.Event;
import io.tlsxtractor.schemas.avro.EventType;
import io.tlsxtractor.schemas.avro.NameSource;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.ProbeStatus;
import io.tlsxtractor.schemas.avro.TargetBlock;
import io.tlsxtractor.schemas.registry.InMemorySchemaRegistryClient;
import io.tlsxtractor.tlslab.LabSpec;
import io.tlsxtractor.tlslab.TlsLab;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One worker in this JVM against a real Kafka broker and the TLS lab: 516 endpoints over a range
 * block, a list block and a block of refused ports, with successes and every kind of failure, and a
 * poison record in front of a block on the same partition.
 */
class WorkerServiceIT {
    private static final String SCOPE = "worker-service-it";
    private static final String SCAN = "scan-it";
    private static final int BUDGET = 64;

    @TempDir
    static Path dir;
    private static EmbeddedKafkaBroker broker;
    private static TlsLab lab;
    private static final InMemorySchemaRegistryClient REGISTRY = InMemorySchemaRegistryClient.scoped(SCOPE);

    @BeforeAll
    static void start() {
        ProbeEngine.enableLegacyJdkTls();
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"));
        ItSupport.provisionTopics(broker.bootstrapServers());
        lab = TlsLab.start(LabSpec.builder().range("127.78.0.0/23")
                .rule("127.78.0.16/28", "multi-san")
                .rule("127.78.0.32/29", "wildcard")
                .rule("127.78.0.40/29", "cn-only")
                .rule("127.78.1.48/29", "vhosts")
                .rule("127.78.1.200/29", "tarpit")
                .rule("127.78.1.208/29", "garbage")
                .rule("127.78.1.216/29", "reset")
                .rule("127.78.1.224/29", "plain-http")
                .build(), 0);
        // Certificates are made on first use: make them now so that probe deadlines measure TLS.
        for (int i = 0; i < 512; i++) {
            lab.chainFor(ip("127.78." + (i / 256) + "." + (i % 256)), null);
        }
        for (int i = 48; i < 56; i++) {
            lab.chainFor(ip("127.78.1." + i), vhost(ip("127.78.1." + i)));
        }
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
        if (broker != null) {
            broker.close();
        }
        InMemorySchemaRegistryClient.dropScope(SCOPE);
    }

    private static String vhost(InetAddress address) {
        return "vh1." + lab.hostName(address);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void probesEveryTargetOnceWritesResultsEventsAndMetricsAndDeadLettersPoison() throws Exception {
        int port = lab.port();
        int closed = ItSupport.closedPort();
        List<BlockTarget> list = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            InetAddress a = ip("127.78.1." + i);
            boolean named = i >= 48 && i < 56;
            list.add(BlockTarget.newBuilder().setAddress(a.getHostAddress()).setPort(null)
                    .setHostname(named ? vhost(a) : null).setUrl(null).build());
        }
        List<BlockTarget> refused = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            refused.add(BlockTarget.newBuilder().setAddress("127.78.1." + i).setPort(closed).setHostname(null)
                    .setUrl(null).build());
        }
        TargetBlock range = ItSupport.rangeBlock(SCAN, "127.78.0.0", "127.78.0.255", port, ItSupport.options(2000));
        TargetBlock explicit = ItSupport.listBlock(SCAN, list, port, ItSupport.options(2000));
        TargetBlock refusedBlock = ItSupport.listBlock(SCAN, refused, port, ItSupport.options(2000));
        // The poison record goes first on partition 0, in front of the range block (blocks go round-robin from 0).
        byte[] poison = "this is not an Avro target block".getBytes(StandardCharsets.UTF_8);
        ItSupport.produceRaw(broker.bootstrapServers(), Topics.TARGETS.name(), 0,
                "poison".getBytes(StandardCharsets.UTF_8), poison);
        ItSupport.produceBlocks(broker.bootstrapServers(), REGISTRY, List.of(range, explicit, refusedBlock));

        Set<String> expectedKeys = new HashSet<>();
        for (int i = 0; i < 512; i++) {
            expectedKeys.add("127.78." + (i / 256) + "." + (i % 256) + ":" + port);
        }
        for (int i = 1; i <= 4; i++) {
            expectedKeys.add("127.78.1." + i + ":" + closed);
        }

        int metricsPort = ItSupport.closedPort();
        WorkerSettings settings = WorkerSettings.builder(broker.bootstrapServers(), "mock://" + SCOPE)
                .workerId("it-worker").maxInFlight(BUDGET).metricsPort(metricsPort)
                .probe(ProbeSettings.builder().timeout(Duration.ofSeconds(2)).retries(0).build())
                .pollTimeout(Duration.ofMillis(200)).drainTimeout(Duration.ofSeconds(10)).build();
        AtomicInteger maxSeen = new AtomicInteger();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        WorkerService worker = new WorkerService(settings);
        try {
            // The engine of the blocks' options, started before the worker (as the embedded pipeline does): the blocks
            // use it, no other is started.
            worker.prepareEngine(ItSupport.options(2000));
            assertThat(worker.stats().enginesStarted()).isEqualTo(1);
            worker.start();
            assertThatThrownBy(() -> worker.prepareEngine(ItSupport.options(2000)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("before start()");
            sampler.scheduleAtFixedRate(() -> maxSeen.accumulateAndGet(worker.inFlight(), Math::max), 0, 5,
                    TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    ItSupport.readAll(broker.bootstrapServers(), Topics.PROBE_RESULTS, REGISTRY).size() >= expectedKeys.size());

            // The metrics endpoint answers while the worker runs.
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("tlsx_worker_in_flight{")
                    .contains("tlsx_worker_probes_total{error_category=\"timeout\",status=\"failed\"")
                    .contains("tlsx_worker_probes_total{error_category=\"none\",status=\"success\"")
                    .contains("tlsx_worker_handshake_seconds_bucket{")
                    .contains("tlsx_worker_probe_duration_seconds_bucket{")
                    .containsPattern("tlsx_worker_dead_letters_total\\{[^}]*} 1\\.0");

            // Every block done means every offset committed, the poison record's included.
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    ItSupport.committed(broker.bootstrapServers(), WorkerSettings.DEFAULT_GROUP_ID)
                            .equals(ItSupport.targetEndOffsets(broker.bootstrapServers())));
        } finally {
            sampler.shutdownNow();
            worker.close();
        }
        assertThat(worker.stats().enginesStarted()).as("the prepared engine served every block").isEqualTo(1);

        // Exactly one result per target: nothing missing, nothing twice.
        List<ConsumerRecord<String, ProbeResult>> results =
                ItSupport.readAll(broker.bootstrapServers(), Topics.PROBE_RESULTS, REGISTRY);
        Map<String, ProbeResult> byKey = new HashMap<>();
        results.forEach(r -> byKey.put(r.key(), r.value()));
        assertThat(results).hasSize(expectedKeys.size());
        assertThat(byKey.keySet()).isEqualTo(expectedKeys);

        for (Map.Entry<String, ProbeResult> e : byKey.entrySet()) {
            ProbeResult r = e.getValue();
            assertThat(r.getIp() + ":" + r.getPort()).isEqualTo(e.getKey());
            assertThat(r.getScanId()).isEqualTo(SCAN);
            assertThat(r.getWorkerId()).isEqualTo("it-worker");
            InetAddress a = ip(r.getIp());
            if (r.getPort() == closed) {
                assertThat(r.getBlockId()).isEqualTo(refusedBlock.getBlockId());
                assertThat(r.getStatus()).isEqualTo(ProbeStatus.FAILED);
                assertThat(r.getErrorCode()).isEqualTo(ErrorCode.CONN_REFUSED);
                assertThat(r.getErrorCategory()).isEqualTo(ErrorCategory.REFUSED);
                continue;
            }
            assertThat(r.getBlockId()).isEqualTo(r.getIp().startsWith("127.78.0.") ? range.getBlockId() : explicit.getBlockId());
            int last = Integer.parseInt(r.getIp().substring(r.getIp().lastIndexOf('.') + 1));
            boolean second = r.getIp().startsWith("127.78.1.");
            if (second && last >= 200 && last < 232) {
                assertThat(r.getStatus()).as(e.getKey()).isEqualTo(ProbeStatus.FAILED);
                assertThat(r.getChain()).isEmpty();
                assertThat(r.getLeaf()).isNull();
                assertThat(r.getErrorCode()).isNotNull();
                if (last < 208) {
                    assertThat(r.getErrorCategory()).as("tarpit " + e.getKey()).isEqualTo(ErrorCategory.TIMEOUT);
                } else if (last < 216) {
                    assertThat(r.getErrorCode()).as("garbage " + e.getKey()).isEqualTo(ErrorCode.TLS_PROTOCOL_ERROR);
                }
                continue;
            }
            String sni = second && last >= 48 && last < 56 ? vhost(a) : null;
            assertThat(r.getStatus()).as("%s: %s %s %s", e.getKey(), r.getErrorCode(), r.getError(), r.getErrorDetails())
                    .isEqualTo(ProbeStatus.SUCCESS);
            assertThat(r.getSni()).isEqualTo(sni);
            assertThat(r.getHostname()).isEqualTo(sni);
            Set<String> certNames = r.getNames().stream()
                    .filter(n -> n.getSource() == NameSource.SAN || n.getSource() == NameSource.CN)
                    .map(n -> n.getName()).collect(Collectors.toSet());
            assertThat(certNames).as(e.getKey()).isEqualTo(lab.expectedNames(a, sni));
            if (sni != null) {
                assertThat(r.getNames()).anyMatch(n -> n.getSource() == NameSource.SNI && n.getName().equals(sni));
            }
            byte[] leafDer = lab.chainFor(a, sni).get(0).getEncoded();
            assertThat(r.getChain().get(0).getSha256()).isEqualTo(CertificateParser.sha256Hex(leafDer));
            assertThat(r.getLeaf().getSha256()).isEqualTo(CertificateParser.sha256Hex(leafDer));
            assertThat(r.getTlsVersion()).startsWith("TLSv1.");
            assertThat(r.getCipherSuite()).isNotBlank();
            assertThat(r.getSuccessfulAttempt()).isEqualTo(1);
        }

        // The poison record is in the dead-letter topic with the reason, and the worker went on.
        List<ConsumerRecord<byte[], byte[]>> dlq = ItSupport.readAll(broker.bootstrapServers(), Topics.TARGETS.dlq(), REGISTRY);
        assertThat(dlq).hasSize(1);
        assertThat(dlq.get(0).value()).isEqualTo(poison);
        DlqHeaders.Failure failure = DlqHeaders.read(dlq.get(0).headers()).orElseThrow();
        assertThat(failure.reason()).isEqualTo(WorkerService.REASON_UNREADABLE);
        assertThat(failure.sourceTopic()).isEqualTo(Topics.TARGETS.name());
        assertThat(failure.sourcePartition()).isZero();
        assertThat(failure.sourceOffset()).isZero();
        assertThat(failure.exceptionMessage()).isNotBlank();

        // Backpressure: the budget was used and never exceeded.
        assertThat(maxSeen.get()).isPositive().isLessThanOrEqualTo(BUDGET);
        assertThat(worker.metrics().registry().get("tlsx.worker.pauses").counter().count()).isPositive();
        WorkerService.Stats stats = worker.stats();
        assertThat(stats.blocksDone()).isEqualTo(3);
        assertThat(stats.deadLetters()).isEqualTo(1);
        assertThat(stats.resultsWritten()).isEqualTo(expectedKeys.size());
        assertThat(stats.inFlight()).isZero();

        // worker.started and worker.stopped, keyed by the worker id.
        List<ConsumerRecord<String, Event>> events = ItSupport.readAll(broker.bootstrapServers(), Topics.EVENTS, REGISTRY);
        Event started = events.stream().map(ConsumerRecord::value).filter(ev -> ev.getType() == EventType.WORKER_STARTED)
                .findFirst().orElseThrow();
        Event stopped = events.stream().map(ConsumerRecord::value).filter(ev -> ev.getType() == EventType.WORKER_STOPPED)
                .findFirst().orElseThrow();
        assertThat(events).allMatch(ev -> ev.key().equals("it-worker"));
        assertThat(started.getSubjectId()).isEqualTo("it-worker");
        assertThat(started.getSource()).isEqualTo("worker-it-worker");
        assertThat(started.getData()).containsEntry("max_in_flight", Integer.toString(BUDGET))
                .containsEntry("pid", Long.toString(ProcessHandle.current().pid())).containsKey("host");
        assertThat(stopped.getData()).containsEntry("results_written", Integer.toString(expectedKeys.size()))
                .containsEntry("blocks_done", "3").containsEntry("dead_letters", "1")
                .containsEntry("abandoned_in_flight", "0").containsKey("host");
    }
}
