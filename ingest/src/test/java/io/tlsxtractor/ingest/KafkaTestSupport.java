package io.tlsxtractor.ingest;

import io.tlsxtractor.schemas.TopicProvisioner;
import io.tlsxtractor.schemas.TopicSpec;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.ScanRequest;
import io.tlsxtractor.schemas.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Producing requests and reading what ingest wrote, for the real-broker tests. */
final class KafkaTestSupport {

    private final String bootstrap;
    private final SchemaRegistryClient registry;

    KafkaTestSupport(String bootstrap, SchemaRegistryClient registry) {
        this.bootstrap = bootstrap;
        this.registry = registry;
    }

    void provision() {
        try (Admin admin = TopicProvisioner.createAdmin(bootstrap, Duration.ofSeconds(30))) {
            new TopicProvisioner(admin, bootstrap, TopicProvisioner.Options.defaults().withReplicationFactor((short) 1))
                    .provisionCatalog();
        }
    }

    private Properties producerProps() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return props;
    }

    void submit(ScanRequest request) throws Exception {
        byte[] value = Topics.SCAN_REQUESTS.valueSerde(registry, true).serializer().serialize(Topics.SCAN_REQUESTS.name(), request);
        sendRaw(request.getScanId(), value);
    }

    void sendRaw(String key, byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.SCAN_REQUESTS.name(), key.getBytes(), value)).get();
        }
    }

    /** Reads {@code spec} from the beginning until {@code done} holds for what was read (kept by {@code keep}). */
    <V> List<ConsumerRecord<String, V>> readUntil(TopicSpec<String, V> spec, Predicate<ConsumerRecord<String, V>> keep,
            Predicate<List<ConsumerRecord<String, V>>> done, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        var keys = spec.keySerde().deserializer();
        var values = spec.valueSerde(registry, false).deserializer();
        List<ConsumerRecord<String, V>> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(spec.name()));
            while (!done.test(out)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Not all expected records on " + spec.name() + " within " + timeout + "; got " + out.size());
                }
                for (ConsumerRecord<byte[], byte[]> raw : consumer.poll(Duration.ofMillis(200))) {
                    ConsumerRecord<String, V> record = new ConsumerRecord<>(raw.topic(), raw.partition(), raw.offset(),
                            keys.deserialize(raw.topic(), raw.key()), values.deserialize(raw.topic(), raw.value()));
                    if (keep.test(record)) {
                        out.add(record);
                    }
                }
            }
        }
        return out;
    }

    /** Raw records of a dead-letter topic until {@code count} are read. */
    List<ConsumerRecord<byte[], byte[]>> readDeadLetters(TopicSpec<byte[], byte[]> dlq, int count, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-dlq-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(dlq.name()));
            while (out.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
