package io.tlsxtractor.sinks.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tlsxtractor.localstack.ClickHouseProcess;
import io.tlsxtractor.schemas.serde.AvroSerializer;
import io.tlsxtractor.sinks.connect.ConnectWorkerProcess;
import io.tlsxtractor.sinks.connect.ConnectWorkerSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The connector in the real Connect runtime (a child worker JVM that loads it from plugin.path), on the real broker,
 * registry and ClickHouse, through the faults of the sinks issue: a record that cannot be decoded goes to the DLQ
 * with headers saying why; ClickHouse down for 60 s mid-load; the worker killed with SIGKILL mid-load. After each,
 * every row is there and FINAL shows none twice.
 */
class ClickHouseConnectorIT {

    private static LocalServices services;
    private static ConnectWorkerProcess worker;
    private static Admin admin;
    private static AvroSerializer<Object> serializer;

    @BeforeAll
    static void startWorker() throws Exception {
        services = LocalServices.get();
        Path dir = Files.createTempDirectory(services.dataDir, "connect-");
        ConnectWorkerSettings settings = ConnectWorkerSettings.of(services.broker.bootstrapServers(), dir)
                .withPluginPath(List.of(Path.of("target/connect-plugin").toAbsolutePath()))
                .withOffsetFlushInterval(Duration.ofSeconds(2));
        worker = ConnectWorkerProcess.start(settings, ConnectWorkerProcess.currentClassPathWithout(Path.of("target/classes")),
                Duration.ofSeconds(180));
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, services.broker.bootstrapServers()));
        serializer = new AvroSerializer<>(services.registryClient, true, false);
    }

    @AfterAll
    static void stopWorker() {
        if (admin != null) {
            admin.close();
        }
        if (worker != null) {
            worker.close();
        }
    }

    private static String setUp(String name, String topic) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1), new NewTopic(topic + ".dlq", 1, (short) 1)))
                .all().get();
        String db = services.newDatabase(name);
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", ClickHouseSinkConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("topics", topic);
        config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", topic + ".dlq");
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        config.put(ClickHouseSinkConfig.URL, services.clickHouse.url());
        config.put(ClickHouseSinkConfig.DATABASE, db);
        config.put(ClickHouseSinkConfig.TOPIC_TABLES, topic + "=probe_results");
        config.put(ClickHouseSinkConfig.SCHEMA_REGISTRY_URL, services.registry.url());
        config.put(ClickHouseSinkConfig.BATCH_MAX_ROWS, "2000");
        config.put(ClickHouseSinkConfig.BATCH_MAX_WAIT_MS, "500");
        config.put(ClickHouseSinkConfig.RETRY_BACKOFF_MS, "1000");
        worker.createConnector(name, config);
        worker.awaitRunning(name, Duration.ofSeconds(90));
        return db;
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, services.broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, "5"),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Produces probes 0..count-1 of {@code scanId} at about {@code perSecond}, in a background thread. */
    private static Thread produceInBackground(String topic, String scanId, int count, int perSecond, AtomicInteger sent) {
        Thread thread = new Thread(() -> {
            try (KafkaProducer<String, byte[]> producer = producer()) {
                long started = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    String ip = TestRecords.ip(i);
                    producer.send(new ProducerRecord<>(topic, ip + ":443", serializer.serialize(topic, TestRecords.probe(scanId, i))));
                    sent.incrementAndGet();
                    long due = started + (long) i * 1_000_000_000L / perSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                producer.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "producer-" + topic);
        thread.start();
        return thread;
    }

    private static long finalCount(String db) {
        return services.count("SELECT count() FROM " + db + ".probe_results FINAL");
    }

    private static void assertEveryRowOnce(String db, int count) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(finalCount(db)).isEqualTo(count));
        assertThat(services.count("SELECT uniqExact(scan_id, ip, port, sni) FROM " + db + ".probe_results")).isEqualTo(count);
        assertThat(services.count("SELECT uniqExactMerge(endpoints) FROM " + db + ".tls_versions_per_day"))
                .isEqualTo(count - count / 5);
        assertThat(services.count("SELECT uniqExactMerge(probes) FROM " + db + ".errors_by_category_per_day"))
                .isEqualTo(count / 5);
    }

    @Test
    void anUndecodableRecordGoesToTheDeadLetterTopicWithTheReasonAndTheRestLoads() throws Exception {
        String topic = "it-dlq.probe-results";
        String db = setUp("ch_dlq", topic);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < 500; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, serializer.serialize(topic, TestRecords.probe("scan-dlq", i))));
                if (i == 250) {
                    producer.send(new ProducerRecord<>(topic, 0, "broken", "not avro at all".getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();
        }
        assertEveryRowOnce(db, 500);

        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, services.broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-dlq-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic + ".dlq"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(dead::add);
                return !dead.isEmpty();
            });
        }
        assertThat(dead).hasSize(1);
        ConsumerRecord<byte[], byte[]> record = dead.get(0);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("broken");
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("not avro at all");
        assertThat(header(record, "__connect.errors.topic")).isEqualTo(topic);
        assertThat(header(record, "__connect.errors.offset")).isEqualTo("251");
        assertThat(header(record, "__connect.errors.exception.message"))
                .contains("Cannot decode " + topic + "-0@251 as ProbeResult").contains("magic byte");
        worker.deleteConnector("ch_dlq");
    }

    @Test
    void clickHouseStoppedForAMinuteMidLoadLosesNothingAndDoublesNothing() throws Exception {
        String topic = "it-outage.probe-results";
        String db = setUp("ch_outage", topic);
        int count = 20_000;
        AtomicInteger sent = new AtomicInteger();
        Thread producer = produceInBackground(topic, "scan-outage", count, 250, sent);
        await().atMost(Duration.ofMinutes(1)).until(() -> finalCount(db) > 1000);
        long before = finalCount(db);
        ClickHouseProcess stopped = services.clickHouse;
        stopped.close();
        Thread.sleep(60_000);
        services.clickHouse = ClickHouseProcess.start(services.clickHouseSettings());
        assertThat(sent.get()).as("records were produced while ClickHouse was down").isGreaterThan((int) before + 5000);
        producer.join();
        assertEveryRowOnce(db, count);
        assertThat(worker.taskStates("ch_outage")).containsOnly("RUNNING");
        worker.deleteConnector("ch_outage");
    }

    @Test
    void theWorkerKilledMidLoadAndRestartedLosesNothingAndDoublesNothing() throws Exception {
        String topic = "it-kill.probe-results";
        String db = setUp("ch_kill", topic);
        int count = 20_000;
        AtomicInteger sent = new AtomicInteger();
        Thread producer = produceInBackground(topic, "scan-kill", count, 1000, sent);
        await().atMost(Duration.ofMinutes(1)).until(() -> finalCount(db) > 3000);
        worker.kill();
        long atKill = finalCount(db);
        worker.restart();
        worker.awaitRunning("ch_kill", Duration.ofSeconds(120));
        producer.join();
        assertThat(atKill).as("the kill came in the middle of the load").isLessThan(count);
        assertEveryRowOnce(db, count);
        worker.deleteConnector("ch_kill");
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
