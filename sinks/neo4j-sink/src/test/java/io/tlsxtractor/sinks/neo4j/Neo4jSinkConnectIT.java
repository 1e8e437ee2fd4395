package io.tlsxtractor.sinks.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tlsxtractor.localstack.EmbeddedKafkaBroker;
import io.tlsxtractor.localstack.Neo4jProcess;
import io.tlsxtractor.localstack.Neo4jSettings;
import io.tlsxtractor.localstack.RegistrySettings;
import io.tlsxtractor.localstack.SchemaRegistryProcess;
import io.tlsxtractor.schemas.TopicProvisioner;
import io.tlsxtractor.schemas.TopicSpec;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.DomainObservation;
import io.tlsxtractor.schemas.avro.ExtractedName;
import io.tlsxtractor.schemas.avro.NameSource;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.registry.RestSchemaRegistryClient;
import io.tlsxtractor.schemas.registry.SchemaRegistryClient;
import io.tlsxtractor.schemas.registry.SchemaRegistrySettings;
import io.tlsxtractor.schemas.serde.AvroSerializer;
import io.tlsxtractor.sinks.connect.ConnectWorkerProcess;
import io.tlsxtractor.sinks.connect.ConnectWorkerSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector in a real Connect worker (child JVM, plugin from {@code plugin.path}) on a real broker, registry and
 * Neo4j server. One load goes through every fault (Neo4j stopped mid-load, the worker killed with SIGKILL mid-batch,
 * bad records); a second, undisturbed load of the same topics into an emptied graph must give the identical graph.
 */
class Neo4jSinkConnectIT {

    private static final Logger LOG = LoggerFactory.getLogger(Neo4jSinkConnectIT.class);
    private static final String DLQ = Topics.deadLetterName(Topics.PROBE_RESULTS.name());
    private static final List<String> TOPICS = List.of(Topics.PROBE_RESULTS.name(), Topics.DOMAINS.name(),
            Topics.CERTIFICATES.name());
    private static final String HUGE_NAME = "x".repeat(40_000) + ".example.com";

    @TempDir
    static Path dir;
    static EmbeddedKafkaBroker broker;
    static SchemaRegistryProcess registry;
    static Neo4jProcess neo4j;
    static ConnectWorkerProcess worker;
    static SchemaRegistryClient registryClient;
    static KafkaProducer<String, byte[]> producer;
    static Admin admin;

    @BeforeAll
    static void startServices() throws Exception {
        CompletableFuture<Neo4jProcess> neo = CompletableFuture.supplyAsync(
                () -> Neo4jProcess.start(Neo4jSettings.defaults(dir.resolve("neo4j"))));
        CompletableFuture<SchemaRegistryProcess> reg = CompletableFuture.supplyAsync(
                () -> SchemaRegistryProcess.start(new RegistrySettings(dir.resolve("registry"), 0, Duration.ofSeconds(180))));
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"));
        admin = TopicProvisioner.createAdmin(broker.bootstrapServers(), Duration.ofSeconds(30));
        List<TopicSpec<?, ?>> specs = new ArrayList<>();
        for (String topic : TOPICS) {
            specs.add(Topics.byName(topic).orElseThrow());
        }
        specs.add(Topics.PROBE_RESULTS.dlq());
        new TopicProvisioner(admin, broker.bootstrapServers(), TopicProvisioner.Options.defaults()
                .withReplicationFactor((short) 1).withPartitions(2)).provision(specs);
        worker = ConnectWorkerProcess.start(ConnectWorkerSettings.of(broker.bootstrapServers(), dir.resolve("connect"))
                        .withPluginPath(List.of(Path.of("target/connect-plugin")))
                        .withOffsetFlushInterval(Duration.ofMillis(500)),
                ConnectWorkerProcess.currentClassPathWithout(Path.of("target/classes")), Duration.ofSeconds(180));
        registry = reg.get();
        neo4j = neo.get();
        registryClient = new RestSchemaRegistryClient(SchemaRegistrySettings.of(registry.url()));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stopServices() {
        for (AutoCloseable c : new AutoCloseable[] {producer, admin, worker, neo4j, registry, broker}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("Closing {} failed", c, e);
                }
            }
        }
    }

    @Test
    void aLoadThroughNeo4jDowntimeAWorkerKillAndBadRecordsEndsIdenticalToAnUndisturbedLoad() throws Exception {
        // Part A, with three bad records: undecodable bytes, a probe without IP, a name too large for Neo4j's index.
        produceProbes(0, 600);
        long undecodable = send(Topics.PROBE_RESULTS.name(), "bad:1", "not avro at all".getBytes(StandardCharsets.UTF_8));
        long unmappable = send(Topics.PROBE_RESULTS.name(), "bad:2",
                serialize(Topics.PROBE_RESULTS, ProbeResult.newBuilder(GraphTestData.probe(0)).setIp(" ").build()));
        ProbeResult huge = ProbeResult.newBuilder(GraphTestData.probe(1)).setIp("192.0.2.99")
                .setNames(List.of(ExtractedName.newBuilder().setName(HUGE_NAME).setSource(NameSource.SAN).build()))
                .build();
        long refused = send(Topics.PROBE_RESULTS.name(), "bad:3", serialize(Topics.PROBE_RESULTS, huge));
        producer.flush();

        worker.createConnector("neo4j-live", connectorConfig());
        worker.awaitRunning("neo4j-live", Duration.ofSeconds(120));
        awaitConsumed("neo4j-live");
        long afterA;
        try (Driver driver = driver()) {
            afterA = count(driver, "MATCH ()-[r]->() RETURN count(r)");
        }
        assertThat(afterA).isPositive();

        // Neo4j stopped for ~60 s while part B arrives; started again on the same directory and Bolt port.
        Instant stopped = Instant.now();
        neo4j.close();
        produceProbes(600, 1200);
        Thread.sleep(Math.max(0, Duration.ofSeconds(60).minus(Duration.between(stopped, Instant.now())).toMillis()));
        assertThat(worker.taskStates("neo4j-live")).as("a transient outage must not fail the task").containsOnly("RUNNING");
        neo4j = Neo4jProcess.start(Neo4jSettings.defaults(dir.resolve("neo4j")));
        awaitConsumed("neo4j-live");

        // Part C is large; the worker is killed with SIGKILL while its task is writing, then restarted.
        long afterB;
        try (Driver driver = driver()) {
            afterB = count(driver, "MATCH ()-[r]->() RETURN count(r)");
            produceProbes(1200, 5200);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .until(() -> count(driver, "MATCH ()-[r]->() RETURN count(r)") > afterB);
        }
        worker.kill();
        worker.restart();
        worker.awaitRunning("neo4j-live", Duration.ofSeconds(120));
        awaitConsumed("neo4j-live");
        GraphSnapshot disturbed;
        try (Driver driver = driver()) {
            disturbed = GraphSnapshot.of(driver);
        }
        assertThat(dlqOffsets("neo4j-live")).containsExactlyInAnyOrder(undecodable, unmappable, refused);

        // The reference: the same topics loaded again, undisturbed, into an emptied graph by a fresh consumer group.
        worker.deleteConnector("neo4j-live");
        try (Driver driver = driver(); Session session = driver.session()) {
            session.run("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume();
            assertThat(count(driver, "MATCH (n) RETURN count(n)")).isZero();
        }
        worker.createConnector("neo4j-ref", connectorConfig());
        worker.awaitRunning("neo4j-ref", Duration.ofSeconds(120));
        awaitConsumed("neo4j-ref");
        try (Driver driver = driver()) {
            GraphSnapshot reference = GraphSnapshot.of(driver);
            assertThat(reference.nodeCounts()).isEqualTo(disturbed.nodeCounts());
            assertThat(reference.relationshipCounts()).isEqualTo(disturbed.relationshipCounts());
            assertThat(reference.nodes()).isEqualTo(disturbed.nodes());
            assertThat(reference.relationships()).isEqualTo(disturbed.relationships());
            // 5,200 probes: 2,600 sites with www/api names and certificates, 5 intermediates, 13 organisations.
            assertThat(reference.nodeCounts()).containsEntry("IP", 5200L).containsEntry("Certificate", 2605L)
                    .containsEntry("Organization", 13L);
            assertThat(count(driver, "MATCH (d:Domain) WHERE size(d.name) > 1000 RETURN count(d)")).isZero();
        }
        assertThat(dlqOffsets("neo4j-ref")).containsExactlyInAnyOrder(undecodable, unmappable, refused);
        Map<String, String> why = dlqReasons("neo4j-ref");
        assertThat(why.get(Long.toString(undecodable))).contains("cannot decode the value");
        assertThat(why.get(Long.toString(unmappable))).contains("cannot map the ProbeResult").contains("IP address is empty");
        assertThat(why.get(Long.toString(refused))).contains("Neo4j refused the record's graph facts");

        // Out of order and replayed: an older observation lowers firstSeen only; sending it twice changes nothing more.
        String domain = "www." + GraphTestData.site(0);
        Instant older = GraphTestData.T0.minus(Duration.ofDays(1));
        DomainObservation old = DomainObservation.newBuilder(GraphTestData.observations(0).get(0)).setObservedAt(older).build();
        try (Driver driver = driver()) {
            long lastSeenBefore = count(driver, "MATCH (d:Domain {name: '" + domain + "'}) RETURN d.lastSeen");
            send(Topics.DOMAINS.name(), domain, serialize(Topics.DOMAINS, old));
            send(Topics.DOMAINS.name(), domain, serialize(Topics.DOMAINS, old));
            producer.flush();
            awaitConsumed("neo4j-ref");
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    count(driver, "MATCH (d:Domain {name: '" + domain + "'}) RETURN d.firstSeen") == older.toEpochMilli());
            assertThat(count(driver, "MATCH (d:Domain {name: '" + domain + "'}) RETURN d.lastSeen")).isEqualTo(lastSeenBefore);
            assertThat(GraphSnapshot.of(driver).relationshipCounts()).isEqualTo(disturbed.relationshipCounts());
        }
    }

    private static Map<String, String> connectorConfig() {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", Neo4jSinkConnector.class.getName());
        c.put("tasks.max", "1");
        c.put("topics", String.join(",", TOPICS));
        c.put("value.converter", Neo4jSinkConfig.BYTE_ARRAY_CONVERTER);
        c.put(Neo4jSinkConfig.URI_CONFIG, neo4j.boltUri());
        c.put(Neo4jSinkConfig.PASSWORD_CONFIG, neo4j.password());
        c.put(Neo4jSinkConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url());
        c.put(Neo4jSinkConfig.BATCH_SIZE_CONFIG, "500");
        c.put(Neo4jSinkConfig.RETRY_BACKOFF_MS_CONFIG, "2000");
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", DLQ);
        c.put("errors.deadletterqueue.topic.replication.factor", "1");
        c.put("errors.deadletterqueue.context.headers.enable", "true");
        return c;
    }

    private static void produceProbes(int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            ProbeResult probe = GraphTestData.probe(i);
            producer.send(new ProducerRecord<>(Topics.PROBE_RESULTS.name(), probe.getIp() + ":443",
                    serialize(Topics.PROBE_RESULTS, probe)));
            for (DomainObservation o : GraphTestData.observations(i)) {
                producer.send(new ProducerRecord<>(Topics.DOMAINS.name(), o.getDomain(), serialize(Topics.DOMAINS, o)));
            }
            if (i % 2 == 0) {
                producer.send(new ProducerRecord<>(Topics.CERTIFICATES.name(), GraphTestData.leafSha(i),
                        serialize(Topics.CERTIFICATES, GraphTestData.certificate(i))));
            }
        }
        producer.flush();
    }

    private static <V> byte[] serialize(TopicSpec<String, V> topic, V value) {
        try (AvroSerializer<V> serializer = new AvroSerializer<>(registryClient, true, false)) {
            return serializer.serialize(topic.name(), value);
        }
    }

    /** Sends to partition 0 and returns the offset. */
    private static long send(String topic, String key, byte[] value) throws Exception {
        return producer.send(new ProducerRecord<>(topic, 0, key, value)).get().offset();
    }

    /** Waits until the connector's consumer group has committed the end offset of every partition it reads. */
    private static void awaitConsumed(String connector) {
        String group = ConnectWorkerSettings.sinkGroupId(connector);
        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (String topic : TOPICS) {
                for (int p = 0; p < 2; p++) {
                    latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
                }
            }
            var ends = admin.listOffsets(latest).all().get();
            return ends.entrySet().stream().allMatch(e -> {
                OffsetAndMetadata c = committed.get(e.getKey());
                return e.getValue().offset() == 0 || (c != null && c.offset() >= e.getValue().offset());
            });
        });
    }

    private static List<ConsumerRecord<byte[], byte[]>> dlqRecords(String connector) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(DLQ).stream()
                    .map(info -> new TopicPartition(DLQ, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out.stream().filter(r -> connector.equals(header(r, "__connect.errors.connector.name"))).toList();
    }

    /** The source offsets of the connector's dead-letter records, each once (a replay may report a record again). */
    private static Set<Long> dlqOffsets(String connector) {
        return dlqRecords(connector).stream().map(r -> Long.parseLong(header(r, "__connect.errors.offset")))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, String> dlqReasons(String connector) {
        Map<String, String> out = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : dlqRecords(connector)) {
            assertThat(header(r, "__connect.errors.topic")).isEqualTo(Topics.PROBE_RESULTS.name());
            out.put(header(r, "__connect.errors.offset"), header(r, "__connect.errors.exception.message"));
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static Driver driver() {
        return GraphDatabase.driver(neo4j.boltUri(), AuthTokens.basic(neo4j.user(), neo4j.password()));
    }

    static long count(Driver driver, String query) {
        try (Session session = driver.session()) {
            return session.run(query).single().get(0).asLong();
        }
    }

    /** Everything a query sees: counts per label and type, and every node and relationship with its properties. */
    record GraphSnapshot(Map<String, Long> nodeCounts, Map<String, Long> relationshipCounts, List<String> nodes,
            List<String> relationships) {

        static GraphSnapshot of(Driver driver) {
            try (Session session = driver.session()) {
                Map<String, Long> nodeCounts = new TreeMap<>();
                List<String> nodes = new ArrayList<>();
                for (Record r : session.run("MATCH (n) RETURN labels(n)[0] AS l, properties(n) AS p").list()) {
                    nodeCounts.merge(r.get("l").asString(), 1L, Long::sum);
                    nodes.add(r.get("l").asString() + new TreeMap<>(r.get("p").asMap()));
                }
                Map<String, Long> relCounts = new TreeMap<>();
                List<String> rels = new ArrayList<>();
                for (Record r : session.run("MATCH (a)-[x]->(b) RETURN type(x) AS t, "
                        + "coalesce(a.name, a.address, a.sha256) AS a, coalesce(b.name, b.address, b.sha256) AS b, "
                        + "properties(x) AS p").list()) {
                    relCounts.merge(r.get("t").asString(), 1L, Long::sum);
                    rels.add(r.get("a").asString() + "-" + r.get("t").asString() + "->" + r.get("b").asString()
                            + new TreeMap<>(r.get("p").asMap()));
                }
                nodes.sort(null);
                rels.sort(null);
                return new GraphSnapshot(nodeCounts, relCounts, nodes, rels);
            }
        }
    }
}
