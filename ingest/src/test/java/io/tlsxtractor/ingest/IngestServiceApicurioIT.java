package io.tlsxtractor.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsxtractor.localstack.EmbeddedKafkaBroker;
import io.tlsxtractor.localstack.RegistrySettings;
import io.tlsxtractor.localstack.SchemaRegistryProcess;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.ScanRequest;
import io.tlsxtractor.schemas.avro.ScanState;
import io.tlsxtractor.schemas.avro.ScanStatus;
import io.tlsxtractor.schemas.avro.TargetBlock;
import io.tlsxtractor.schemas.avro.TargetType;
import io.tlsxtractor.schemas.registry.RestSchemaRegistryClient;
import io.tlsxtractor.schemas.registry.SchemaRegistryClient;
import io.tlsxtractor.schemas.registry.SchemaRegistrySettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest service with the real schema registry (Apicurio, Confluent-compatible API) and a real broker. */
class IngestServiceApicurioIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path dataDir;

    private static EmbeddedKafkaBroker broker;
    private static SchemaRegistryProcess registryProcess;
    private static SchemaRegistryClient registry;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"));
        registryProcess = SchemaRegistryProcess.start(new RegistrySettings(dataDir.resolve("registry"), 0, Duration.ofMinutes(2)));
        registry = new RestSchemaRegistryClient(SchemaRegistrySettings.of(registryProcess.url()));
    }

    @AfterAll
    static void stop() {
        if (registryProcess != null) {
            registryProcess.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void requestsAndBlocksTravelThroughTheRealRegistry() throws Exception {
        KafkaTestSupport kafka = new KafkaTestSupport(broker.bootstrapServers(), registry);
        kafka.provision();
        ScanRequest request = ScanRequestValidatorTest.request("apicurio-1",
                List.of(ScanRequestValidatorTest.spec(TargetType.RANGE, "127.0.0.1-20")), List.of(443, 8443));
        request.setAllowPrivate(true);
        try (IngestService service = new IngestService(IngestSettings.defaults(broker.bootstrapServers()), registry,
                new StaticResolver(Map.of()), Clock.systemUTC())) {
            service.start();
            kafka.submit(request);

            List<ConsumerRecord<String, TargetBlock>> blocks = kafka.readUntil(Topics.TARGETS,
                    r -> r.value().getScanId().equals("apicurio-1"), read -> !read.isEmpty(), WAIT);
            assertThat(blocks).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo("apicurio-1:0");
                assertThat(r.value().getRange().getFirst()).isEqualTo("127.0.0.1");
                assertThat(r.value().getRange().getLast()).isEqualTo("127.0.0.20");
                assertThat(r.value().getPorts()).containsExactly(443, 8443);
            });
            List<ConsumerRecord<String, ScanStatus>> statuses = kafka.readUntil(Topics.SCAN_STATUS,
                    r -> r.key().equals("apicurio-1"), read -> read.size() >= 2, WAIT);
            assertThat(statuses).extracting(r -> r.value().getState()).containsOnly(ScanState.RUNNING);
            assertThat(statuses).extracting(r -> r.value().getTotalTargets()).containsOnly(40L);
            assertThat(registry.latest(Topics.TARGETS.valueSubject())).as("registered in the real registry").isPresent();
        }
    }
}
