package io.tlsxtractor.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tlsxtractor.localstack.EmbeddedKafkaBroker;
import io.tlsxtractor.probe.ProbeEngine;
import io.tlsxtractor.probe.ProbeSettings;
import io.tlsxtractor.schemas.DlqHeaders;
import io.tlsxtractor.schemas.TopicProvisioner;
import io.tlsxtractor.schemas.TopicSpec;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.AddressRange;
import io.tlsxtractor.schemas.avro.Certificate;
import io.tlsxtractor.schemas.avro.DomainRecord;
import io.tlsxtractor.schemas.avro.Event;
import io.tlsxtractor.schemas.avro.EventType;
import io.tlsxtractor.schemas.avro.ProbeOptions;
import io.tlsxtractor.schemas.avro.ScanState;
import io.tlsxtractor.schemas.avro.ScanStatus;
import io.tlsxtractor.schemas.avro.TargetBlock;
import io.tlsxtractor.schemas.registry.InMemorySchemaRegistryClient;
import io.tlsxtractor.tlslab.LabSpec;
import io.tlsxtractor.tlslab.TlsLab;
import io.tlsxtractor.worker.WorkerService;
import io.tlsxtractor.worker.WorkerSettings;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on a real broker, exactly-once: the TLS lab, a worker in this JVM probing 64 lab addresses, and the
 * streams application turning its results into the inventory, certificates, the scan's status and events.
 */
class StreamsAppIT {
    private static final String SCOPE = "streams-app-it";
    private static final String SCAN = "scan-streams-it";
    private static final int HOSTS = 64;

    @TempDir
    static Path dir;
    private static EmbeddedKafkaBroker broker;
    private static TlsLab lab;
    private static final InMemorySchemaRegistryClient REGISTRY = InMemorySchemaRegistryClient.scoped(SCOPE);

    @BeforeAll
    static void start() throws Exception {
        ProbeEngine.enableLegacyJdkTls();
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"));
        try (Admin admin = TopicProvisioner.createAdmin(broker.bootstrapServers(), Duration.ofSeconds(30))) {
            new TopicProvisioner(admin, broker.bootstrapServers(), TopicProvisioner.Options.defaults()
                    .withReplicationFactor((short) 1).withPartitions(3)).provisionCatalog();
        }
        lab = TlsLab.start(LabSpec.builder().range("127.79.0.0/26")
                .rule("127.79.0.8/29", "multi-san")
                .rule("127.79.0.16/29", "wildcard")
                .rule("127.79.0.24/29", "expired")
                .build(), 0);
        for (int i = 0; i < HOSTS; i++) {
            lab.chainFor(InetAddress.getByName("127.79.0." + i), null);
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

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void probeResultsBecomeInventoryCertificatesStatusAndEventsExactlyOnce() throws Exception {
        String bootstrap = broker.bootstrapServers();
        Instant now = Instant.now();
        // What ingest writes for a scan of 64 addresses, then the block itself.
        send(bootstrap, Topics.SCAN_STATUS, SCAN, ScanStatus.newBuilder().setScanId(SCAN).setState(ScanState.RUNNING)
                .setTotalTargets(HOSTS).setExpansionComplete(true).setStartedAt(now).setUpdatedAt(now).build());
        send(bootstrap, Topics.TARGETS, SCAN + ":0", TargetBlock.newBuilder().setBlockId(SCAN + ":0").setScanId(SCAN)
                .setRange(AddressRange.newBuilder().setFirst("127.79.0.0").setLast("127.79.0.63").setCount(HOSTS)
                        .build())
                .setPorts(List.of(lab.port()))
                .setOptions(ProbeOptions.newBuilder().setConnectTimeoutMs(3000).setRetries(0).build())
                .setCreatedAt(now).build());
        // A poison probe result: the application dead-letters it and goes on.
        byte[] poison = "not an avro probe result".getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> p = rawProducer(bootstrap)) {
            p.send(new ProducerRecord<>(Topics.PROBE_RESULTS.name(), 0, "poison".getBytes(StandardCharsets.UTF_8),
                    poison)).get(30, TimeUnit.SECONDS);
        }

        WorkerSettings workerSettings = WorkerSettings.builder(bootstrap, "mock://" + SCOPE).workerId("streams-it")
                .maxInFlight(32).probe(ProbeSettings.builder().timeout(Duration.ofSeconds(3)).retries(0).build())
                .pollTimeout(Duration.ofMillis(200)).drainTimeout(Duration.ofSeconds(10)).build();
        StreamsSettings settings = StreamsSettings.builder(bootstrap, "mock://" + SCOPE)
                .stateDir(dir.resolve("state")).progressInterval(Duration.ofMillis(500))
                .applicationServer("127.0.0.1:7070")
                .extraction(ExtractionSettings.defaults()).build();
        try (WorkerService worker = new WorkerService(workerSettings);
                StreamsApp app = StreamsApp.create(settings, null, null)) {
            worker.start();
            app.start();
            assertThat(app.awaitRunning(Duration.ofSeconds(90))).as("streams state %s", app.state()).isTrue();

            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    ownStatus(bootstrap).map(s -> s.getState() == ScanState.COMPLETED).orElse(false));
            ScanStatus status = ownStatus(bootstrap).orElseThrow();
            assertThat(status.getDone()).isEqualTo(HOSTS);
            assertThat(status.getTotalTargets()).isEqualTo(HOSTS);
            assertThat(status.getSucceeded() + status.getFailed()).isEqualTo(HOSTS);
            assertThat(status.getSucceeded()).isPositive();
            assertThat(status.getFinishedAt()).isNotNull();

            // Let late domain records and events settle: the status completes on targets, domains follow.
            Thread.sleep(2000);
            Map<String, DomainRecord> inventory = latest(readAll(bootstrap, Topics.DOMAIN_INVENTORY));
            assertThat(inventory).isNotEmpty();
            Set<String> expected = new TreeSet<>();
            for (int i = 0; i < HOSTS; i++) {
                lab.expectedNames(InetAddress.getByName("127.79.0." + i), null).forEach(n -> expected.add(
                        NameNormalizer.normalize(n) instanceof NameNormalizer.Accepted a ? a.domain() : n));
            }
            assertThat(inventory.keySet()).containsAll(expected);

            List<Event> events = readAll(bootstrap, Topics.EVENTS).stream().map(ConsumerRecord::value).toList();
            Map<String, Long> discovered = events.stream().filter(e -> e.getType() == EventType.DOMAIN_DISCOVERED)
                    .collect(Collectors.groupingBy(Event::getSubjectId, Collectors.counting()));
            assertThat(discovered.keySet()).isEqualTo(inventory.keySet());
            assertThat(discovered.values()).as("domain.discovered exactly once per domain").containsOnly(1L);
            assertThat(events.stream().filter(e -> e.getType() == EventType.SCAN_COMPLETED)).hasSize(1);
            assertThat(events.stream().filter(e -> e.getType() == EventType.VULNERABILITY_DETECTED)
                    .map(e -> e.getData().get("finding"))).contains("expired");

            Map<String, Certificate> certificates = latest(readAll(bootstrap, Topics.CERTIFICATES));
            for (DomainRecord r : inventory.values()) {
                assertThat(certificates.keySet()).containsAll(r.getCertificates());
            }
            Map<String, Long> found = events.stream().filter(e -> e.getType() == EventType.CERTIFICATE_FOUND)
                    .collect(Collectors.groupingBy(Event::getSubjectId, Collectors.counting()));
            assertThat(found.keySet()).isEqualTo(certificates.keySet());
            assertThat(found.values()).containsOnly(1L);

            // Interactive queries: a single instance owns every key.
            InventoryQueries queries = app.queries();
            String some = expected.iterator().next();
            assertThat(queries.domain(some)).isPresent();
            assertThat(queries.route(StreamsTopologies.INVENTORY_STORE, some))
                    .isInstanceOf(InventoryQueries.Local.class);
            String prefix = some.substring(0, Math.min(3, some.length()));
            assertThat(queries.domainsWithPrefix(prefix, 1000)).extracting(DomainRecord::getDomain)
                    .allMatch(d -> d.startsWith(prefix)).contains(some);

            List<ConsumerRecord<byte[], byte[]>> dead = readAll(bootstrap, Topics.PROBE_RESULTS.dlq());
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).value()).isEqualTo(poison);
            assertThat(DlqHeaders.read(dead.get(0).headers()).orElseThrow().sourceTopic())
                    .isEqualTo(Topics.PROBE_RESULTS.name());
        }
    }

    private static java.util.Optional<ScanStatus> ownStatus(String bootstrap) {
        ScanStatus last = null;
        for (ConsumerRecord<String, ScanStatus> r : readAll(bootstrap, Topics.SCAN_STATUS)) {
            if (r.key().equals(SCAN) && r.headers().lastHeader("tlsx.origin") != null) {
                last = r.value();
            }
        }
        return java.util.Optional.ofNullable(last);
    }

    private static <V> Map<String, V> latest(List<ConsumerRecord<String, V>> records) {
        Map<String, V> out = new LinkedHashMap<>();
        records.forEach(r -> out.put(r.key(), r.value()));
        return out;
    }

    private static <V> void send(String bootstrap, TopicSpec<String, V> spec, String key, V value) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = rawProducer(bootstrap)) {
            p.send(new ProducerRecord<>(spec.name(), spec.keySerde().serializer().serialize(spec.name(), key),
                    spec.valueSerde(REGISTRY, true).serializer().serialize(spec.name(), value)))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static KafkaProducer<byte[], byte[]> rawProducer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Every committed record of a topic now, from the start (read_committed: exactly-once output only). */
    private static <K, V> List<ConsumerRecord<K, V>> readAll(String bootstrap, TopicSpec<K, V> spec) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        try (KafkaConsumer<K, V> c = new KafkaConsumer<>(props, spec.keySerde().deserializer(),
                spec.valueSerde(REGISTRY, false).deserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo info : c.partitionsFor(spec.name(), Duration.ofSeconds(30))) {
                parts.add(new TopicPartition(spec.name(), info.partition()));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(parts, Duration.ofSeconds(30)));
            List<ConsumerRecord<K, V>> out = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + spec.name() + " to its end within 60 s");
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }
}
