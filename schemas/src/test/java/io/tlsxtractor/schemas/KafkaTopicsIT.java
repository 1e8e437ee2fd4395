package io.tlsxtractor.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlsxtractor.localstack.EmbeddedKafkaBroker;
import io.tlsxtractor.localstack.RegistrySettings;
import io.tlsxtractor.localstack.SchemaRegistryProcess;
import io.tlsxtractor.schemas.avro.Event;
import io.tlsxtractor.schemas.registry.RestSchemaRegistryClient;
import io.tlsxtractor.schemas.registry.SchemaRegistryClient;
import io.tlsxtractor.schemas.registry.SchemaRegistrySettings;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Provisioning and the catalog's serdes against a real broker and the real registry. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaTopicsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;

    private static EmbeddedKafkaBroker broker;
    private static SchemaRegistryProcess registry;
    private static SchemaRegistryClient registryClient;
    private static Admin admin;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"));
        registry = SchemaRegistryProcess.start(new RegistrySettings(dataDir.resolve("registry"), 0, Duration.ofMinutes(2)));
        registryClient = new RestSchemaRegistryClient(SchemaRegistrySettings.of(registry.url()));
        admin = TopicProvisioner.createAdmin(broker.bootstrapServers(), TIMEOUT);
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static TopicProvisioner provisioner() {
        return new TopicProvisioner(admin, broker.bootstrapServers(),
                TopicProvisioner.Options.defaults().withReplicationFactor((short) 1).withTimeout(TIMEOUT));
    }

    @Test
    @Order(1)
    void provisioningCreatesEveryCatalogTopicWithItsSettings() throws Exception {
        TopicProvisioner.Report report = provisioner().provisionCatalog();

        List<String> expected = Topics.allWithDeadLetters().stream().map(TopicSpec::name).toList();
        assertThat(report.created()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(report.drift()).isEmpty();
        Map<String, TopicDescription> described = admin.describeTopics(expected).allTopicNames().get();
        List<ConfigResource> resources = expected.stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
        for (TopicSpec<?, ?> spec : Topics.allWithDeadLetters()) {
            assertThat(described.get(spec.name()).partitions()).as(spec.name()).hasSize(spec.partitions());
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
            assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).as(spec.name())
                    .isEqualTo(spec.cleanupPolicy().configValue());
            spec.retention().ifPresent(retention -> assertThat(config.get(TopicConfig.RETENTION_MS_CONFIG).value())
                    .isEqualTo(Long.toString(retention.toMillis())));
        }
    }

    @Test
    @Order(2)
    void provisioningTwiceChangesNothingAndFindsNoDrift() {
        TopicProvisioner.Report again = provisioner().provisionCatalog();

        assertThat(again.created()).isEmpty();
        assertThat(again.existing()).hasSize(Topics.allWithDeadLetters().size());
        assertThat(again.hasDrift()).isFalse();
    }

    @Test
    @Order(3)
    void aTopicCreatedWithOtherSettingsIsReportedAndLeftAlone() throws Exception {
        TopicSpec<String, Event> spec = TopicSpec.avro("tlsx.drift-check.v1", Event.class, CleanupPolicy.DELETE, 3,
                Duration.ofDays(1));
        admin.createTopics(List.of(new NewTopic(spec.name(), 1, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact")))).all().get();

        TopicProvisioner.Report report = provisioner().provision(List.of(spec));

        assertThat(report.created()).isEmpty();
        assertThat(report.drift()).extracting(TopicProvisioner.Drift::setting)
                .containsExactlyInAnyOrder("partitions", "cleanup.policy", "retention.ms");
        assertThat(report.drift()).filteredOn(d -> d.setting().equals("partitions")).singleElement()
                .satisfies(d -> {
                    assertThat(d.expected()).isEqualTo("3");
                    assertThat(d.actual()).isEqualTo("1");
                });
        assertThat(admin.describeTopics(List.of(spec.name())).allTopicNames().get().get(spec.name()).partitions())
                .as("the provisioner never alters an existing topic").hasSize(1);
    }

    @Test
    @Order(4)
    void withoutTheExistingCheckOnlyMissingTopicsAreCreatedWithTheOverriddenPartitions() throws Exception {
        TopicSpec<String, Event> existing = TopicSpec.avro("tlsx.drift-check.v1", Event.class, CleanupPolicy.DELETE, 3,
                Duration.ofDays(1));
        TopicSpec<String, Event> missing = TopicSpec.avro("tlsx.new-check.v1", Event.class, CleanupPolicy.DELETE, 3,
                Duration.ofDays(1));

        TopicProvisioner.Report report = new TopicProvisioner(admin, broker.bootstrapServers(),
                TopicProvisioner.Options.defaults().withReplicationFactor((short) 1).withTimeout(TIMEOUT)
                        .withPartitions(1).withoutExistingCheck()).provision(List.of(existing, missing));

        assertThat(report.created()).containsExactly(missing.name());
        assertThat(report.existing()).containsExactly(existing.name());
        assertThat(report.drift()).as("the drifted topic of the previous test is not described").isEmpty();
        assertThat(admin.describeTopics(List.of(missing.name())).allTopicNames().get().get(missing.name()).partitions())
                .hasSize(1);
    }

    @Test
    @Order(5)
    @SuppressWarnings("unchecked")
    void everyTopicCarriesItsValuesThroughTheCatalogSerdesAndTheRealRegistry() {
        for (TopicSpec<String, ?> spec : Topics.all()) {
            Map.Entry<String, SpecificRecord> sample = SampleRecords.sample(spec);
            Serde<Object> valueSerde = (Serde<Object>) spec.valueSerde(registryClient, true);
            try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerProps(),
                    spec.keySerde().serializer(), valueSerde.serializer())) {
                producer.send(new ProducerRecord<>(spec.name(), sample.getKey(), sample.getValue())).get();
                producer.send(new ProducerRecord<>(spec.name(), sample.getKey() + "-2", sample.getValue())).get();
            } catch (Exception e) {
                throw new AssertionError("producing to " + spec.name() + " failed", e);
            }
            List<ConsumerRecord<String, Object>> records = readAll(spec.name(), spec.keySerde().deserializer(),
                    (Deserializer<Object>) spec.valueSerde(registryClient, false).deserializer(), 2);
            assertThat(records).as(spec.name()).extracting(ConsumerRecord::key)
                    .containsExactlyInAnyOrder(sample.getKey(), sample.getKey() + "-2");
            assertThat(records).extracting(ConsumerRecord::value).containsOnly(sample.getValue());
        }
    }

    @Test
    @Order(6)
    void anUnreadableRecordGoesToTheDeadLetterTopicWithItsReason() throws Exception {
        TopicSpec<String, ?> spec = Topics.PROBE_RESULTS;
        byte[] garbage = "not avro".getBytes();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(),
                spec.dlq().keySerde().serializer(), spec.dlq().valueSerde(null, false).serializer())) {
            producer.send(new ProducerRecord<>(spec.name(), "10.0.0.9:443".getBytes(), garbage)).get();

            ConsumerRecord<byte[], byte[]> failed = readAll(spec.name(), spec.dlq().keySerde().deserializer(),
                    spec.dlq().valueSerde(null, false).deserializer(), 3).stream()
                    .filter(r -> new String(r.key()).equals("10.0.0.9:443")).findFirst().orElseThrow();
            SerializationException error = null;
            try {
                spec.valueSerde(registryClient, false).deserializer().deserialize(spec.name(), failed.value());
            } catch (SerializationException e) {
                error = e;
            }
            assertThat(error).isNotNull().hasMessageContaining("unknown magic byte");
            producer.send(DlqHeaders.deadLetter(failed, "value is not Confluent-format Avro", error, Instant.now())).get();
        }

        TopicSpec<byte[], byte[]> dlq = spec.dlq();
        ConsumerRecord<byte[], byte[]> dead = readAll(dlq.name(), dlq.keySerde().deserializer(),
                dlq.valueSerde(null, false).deserializer(), 1).get(0);
        assertThat(dead.value()).isEqualTo(garbage);
        assertThat(DlqHeaders.read(dead.headers())).get().satisfies(failure -> {
            assertThat(failure.sourceTopic()).isEqualTo(spec.name());
            assertThat(failure.exceptionClass()).isEqualTo(SerializationException.class.getName());
            assertThat(failure.reason()).isEqualTo("value is not Confluent-format Avro");
        });
    }

    @Test
    @Order(7)
    void anUnreachableBrokerIsReportedWithinTheTimeoutNamingTheServers() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String bootstrap = "127.0.0.1:" + port;
        Duration timeout = Duration.ofSeconds(3);
        try (Admin deadAdmin = TopicProvisioner.createAdmin(bootstrap, timeout)) {
            TopicProvisioner provisioner = new TopicProvisioner(deadAdmin, bootstrap,
                    TopicProvisioner.Options.defaults().withTimeout(timeout));
            assertThatThrownBy(provisioner::provisionCatalog)
                    .isInstanceOf(TopicProvisioner.ProvisioningException.class)
                    .hasMessageContaining(bootstrap)
                    .hasMessageContaining("did not answer within 3000 ms");
        }
    }

    private static Properties producerProps() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return props;
    }

    /** Every record of {@code topic} from the beginning, once at least {@code atLeast} have arrived. */
    private static <K, V> List<ConsumerRecord<K, V>> readAll(String topic, Deserializer<K> keys, Deserializer<V> values,
            int atLeast) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props, keys, values)) {
            Set<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).collect(Collectors.toSet());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plus(TIMEOUT);
            while (records.size() < atLeast && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).as("records read from " + topic).hasSizeGreaterThanOrEqualTo(atLeast);
        return records;
    }
}
