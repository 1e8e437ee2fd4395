package io.tlsxtractor.streams;

import io.tlsxtractor.localstack.DnsmasqProcess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.tlsxtractor.localstack.EmbeddedKafkaBroker;
import io.tlsxtractor.probe.CertificateParser;
import io.tlsxtractor.probe.ProbeEngine;
import io.tlsxtractor.probe.ProbeSettings;
import io.tlsxtractor.schemas.TopicProvisioner;
import io.tlsxtractor.schemas.TopicSpec;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.AddressRange;
import io.tlsxtractor.schemas.avro.Certificate;
import io.tlsxtractor.schemas.avro.DnsAnswer;
import io.tlsxtractor.schemas.avro.DomainRecord;
import io.tlsxtractor.schemas.avro.Event;
import io.tlsxtractor.schemas.avro.EventType;
import io.tlsxtractor.schemas.avro.ProbeOptions;
import io.tlsxtractor.schemas.avro.TargetBlock;
import io.tlsxtractor.schemas.registry.InMemorySchemaRegistryClient;
import io.tlsxtractor.tlslab.LabSpec;
import io.tlsxtractor.tlslab.TlsLab;
import io.tlsxtractor.worker.WorkerService;
import io.tlsxtractor.worker.WorkerSettings;
import java.net.InetAddress;
import java.nio.file.Files;
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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application built by {@link StreamsApp#fromSettings} (so with the real {@link Enrichment#dns} over a
 * {@code DnsEnricher} and the real {@link Enrichment#inspector} over a {@code CertificateAnalyzer}) on a real broker:
 * a worker probes TLS lab hosts, a real dnsmasq on loopback knows the lab's host names, and the analyzer trusts the
 * lab CA (written as a PEM bundle, as {@code streams.trust-bundle} would name it).
 */
class EnrichedStreamsIT {
    private static final String SCOPE = "enriched-streams-it";
    private static final String SCAN = "scan-enriched-it";
    private static final String NET = "127.81.0.";
    private static final int HOSTS = 16;
    /** The one lab host dnsmasq is not told about. */
    private static final int UNKNOWN_TO_DNS = 15;
    private static final List<Integer> EXPIRED = List.of(4, 5, 6, 7);
    private static final List<Integer> SELF_SIGNED = List.of(8, 9, 10, 11);

    @TempDir
    static Path dir;
    private static EmbeddedKafkaBroker broker;
    private static TlsLab lab;
    private static DnsmasqProcess dnsmasq;
    private static final InMemorySchemaRegistryClient REGISTRY = InMemorySchemaRegistryClient.scoped(SCOPE);

    @BeforeAll
    static void start() throws Exception {
        ProbeEngine.enableLegacyJdkTls();
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"));
        try (Admin admin = TopicProvisioner.createAdmin(broker.bootstrapServers(), Duration.ofSeconds(30))) {
            new TopicProvisioner(admin, broker.bootstrapServers(), TopicProvisioner.Options.defaults()
                    .withReplicationFactor((short) 1).withPartitions(3)).provisionCatalog();
        }
        lab = TlsLab.start(LabSpec.builder().range(NET + "0/28")
                .rule(NET + "4/30", "expired")
                .rule(NET + "8/30", "self-signed")
                .build(), 0);
        List<String> records = new ArrayList<>();
        for (int i = 0; i < HOSTS; i++) {
            if (i != UNKNOWN_TO_DNS) {
                records.add("--host-record=" + host(i) + "," + NET + i + ",300");
            }
        }
        dnsmasq = DnsmasqProcess.start(dir, records);
    }

    @AfterAll
    static void stop() {
        if (dnsmasq != null) {
            dnsmasq.close();
        }
        if (lab != null) {
            lab.close();
        }
        if (broker != null) {
            broker.close();
        }
        InMemorySchemaRegistryClient.dropScope(SCOPE);
    }

    private static String host(int i) throws Exception {
        return lab.hostName(InetAddress.getByName(NET + i));
    }

    private static String leafSha(int i) throws Exception {
        return CertificateParser.sha256Hex(lab.chainFor(InetAddress.getByName(NET + i), null).get(0).getEncoded());
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void dnsAnswersAndCertificateAnalysisComeFromTheRealEnrichers() throws Exception {
        String bootstrap = broker.bootstrapServers();
        Path bundle = Files.writeString(dir.resolve("lab-ca.pem"), lab.caCertificatePem());
        send(bootstrap, Topics.TARGETS, SCAN + ":0", TargetBlock.newBuilder().setBlockId(SCAN + ":0").setScanId(SCAN)
                .setRange(AddressRange.newBuilder().setFirst(NET + "0").setLast(NET + (HOSTS - 1)).setCount(HOSTS)
                        .build())
                .setPorts(List.of(lab.port()))
                .setOptions(ProbeOptions.newBuilder().setConnectTimeoutMs(3000).setRetries(0).build())
                .setCreatedAt(Instant.now()).build());

        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < HOSTS; i++) {
            expected.addAll(lab.expectedNames(InetAddress.getByName(NET + i), null));
        }
        WorkerSettings workerSettings = WorkerSettings.builder(bootstrap, "mock://" + SCOPE).workerId("enriched-it")
                .maxInFlight(16).probe(ProbeSettings.builder().timeout(Duration.ofSeconds(3)).retries(0).build())
                .pollTimeout(Duration.ofMillis(200)).drainTimeout(Duration.ofSeconds(10)).build();
        StreamsSettings settings = StreamsSettings.fromProperties(Map.of(
                "streams.bootstrap-servers", bootstrap, "streams.registry-url", "mock://" + SCOPE,
                "streams.state-dir", dir.resolve("state").toString(),
                "streams.dns.enabled", "true", "streams.dns.resolvers", dnsmasq.address(),
                "streams.trust-bundle", bundle.toString()));
        try (WorkerService worker = new WorkerService(workerSettings);
                StreamsApp app = StreamsApp.fromSettings(settings)) {
            worker.start();
            app.start();
            assertThat(app.awaitRunning(Duration.ofSeconds(90))).as("streams state %s", app.state()).isTrue();

            // Every discovered name ends up resolved by dnsmasq: addresses, or the status of the lookup.
            InventoryQueries queries = app.queries();
            Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() ->
                    expected.stream().allMatch(d -> queries.domain(d)
                            .map(r -> !r.getDnsAnswers().isEmpty() || r.getDnsStatus() != null).orElse(false)));

            for (int i = 0; i < HOSTS; i++) {
                DomainRecord record = queries.domain(host(i)).orElseThrow();
                if (i == UNKNOWN_TO_DNS) {
                    assertThat(record.getDnsStatus()).as("%s is unknown to dnsmasq", host(i)).isEqualTo("NXDOMAIN");
                    assertThat(record.getDnsAnswers()).as(host(i)).isEmpty();
                } else {
                    assertThat(record.getDnsAnswers()).as(host(i)).extracting(DnsAnswer::getType, DnsAnswer::getValue,
                            DnsAnswer::getTtl).containsExactly(tuple("A", NET + i, 300L));
                    assertThat(record.getDnsStatus()).as(host(i)).isNull();
                }
            }
            // The lab's leaves also name www.<host>, which dnsmasq does not know either.
            String www = "www." + host(0);
            assertThat(expected).contains(www);
            assertThat(queries.domain(www).orElseThrow().getDnsStatus()).isEqualTo("NXDOMAIN");
            assertThat(queries.domain(www).orElseThrow().getDnsAnswers()).isEmpty();

            // The compacted inventory topic carries the same answers and statuses (exactly-once output only). The
            // store shows an update as it is made, the topic (read_committed) once its transaction commits: the last
            // answers may reach the topic a commit interval after the store.
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Map<String, DomainRecord> inventory = latest(readAll(bootstrap, Topics.DOMAIN_INVENTORY));
                for (String domain : expected) {
                    DomainRecord queried = queries.domain(domain).orElseThrow();
                    assertThat(inventory.get(domain)).as(domain).isNotNull();
                    assertThat(inventory.get(domain).getDnsAnswers()).as(domain).isEqualTo(queried.getDnsAnswers());
                    assertThat(inventory.get(domain).getDnsStatus()).as(domain).isEqualTo(queried.getDnsStatus());
                }
            });

            // Certificates: judged by the analyzer, which builds the path to the lab CA of the bundle.
            Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() ->
                    queries.certificate(leafSha(0)).isPresent() && queries.certificate(leafSha(EXPIRED.get(0)))
                            .isPresent() && queries.certificate(leafSha(SELF_SIGNED.get(0))).isPresent());
            Certificate good = queries.certificate(leafSha(0)).orElseThrow();
            assertThat(good.getChainValid()).as("path to the trusted lab CA").isTrue();
            assertThat(good.getTrustAnchor()).isNotBlank();
            assertThat(good.getExpired()).isFalse();
            assertThat(good.getSelfSigned()).isFalse();
            Certificate expired = queries.certificate(leafSha(EXPIRED.get(0))).orElseThrow();
            assertThat(expired.getExpired()).isTrue();
            assertThat(expired.getSelfSigned()).isFalse();
            Certificate selfSigned = queries.certificate(leafSha(SELF_SIGNED.get(0))).orElseThrow();
            assertThat(selfSigned.getSelfSigned()).isTrue();
            assertThat(selfSigned.getChainValid()).as("a self-signed leaf is no trust anchor").isFalse();

            Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    findings(bootstrap).containsKey(leafSha(SELF_SIGNED.get(0)))
                            && findings(bootstrap).containsKey(leafSha(EXPIRED.get(0))));
            Map<String, Set<String>> findings = findings(bootstrap);
            // The analyzer's codes (self_signed, untrusted_root), not the built-in inspector's (self-signed).
            assertThat(findings.get(leafSha(SELF_SIGNED.get(0)))).contains("self_signed", "untrusted_root");
            assertThat(findings.get(leafSha(EXPIRED.get(0)))).contains("expired");
            assertThat(findings).as("a valid lab leaf has no finding").doesNotContainKey(leafSha(0));
        }
    }

    /** Findings of the vulnerability.detected events, by certificate. */
    private static Map<String, Set<String>> findings(String bootstrap) {
        return readAll(bootstrap, Topics.EVENTS).stream().map(ConsumerRecord::value)
                .filter(e -> e.getType() == EventType.VULNERABILITY_DETECTED)
                .collect(Collectors.groupingBy(e -> e.getData().get("certificate"),
                        Collectors.mapping(e -> e.getData().get("finding"), Collectors.toCollection(TreeSet::new))));
    }

    private static <V> Map<String, V> latest(List<ConsumerRecord<String, V>> records) {
        Map<String, V> out = new LinkedHashMap<>();
        records.forEach(r -> out.put(r.key(), r.value()));
        return out;
    }

    private static <V> void send(String bootstrap, TopicSpec<String, V> spec, String key, V value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(spec.name(), spec.keySerde().serializer().serialize(spec.name(), key),
                    spec.valueSerde(REGISTRY, true).serializer().serialize(spec.name(), value)))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** Every committed record of a topic now, from the start. */
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
