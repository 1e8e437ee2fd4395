package io.tlsxtractor.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlsxtractor.localstack.RegistrySettings;
import io.tlsxtractor.localstack.SchemaRegistryProcess;
import io.tlsxtractor.schemas.SampleRecords;
import io.tlsxtractor.schemas.TopicSpec;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.Event;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.serde.AvroDeserializer;
import io.tlsxtractor.schemas.serde.AvroSerde;
import io.tlsxtractor.schemas.serde.AvroSerializer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST client and the serde against the real Apicurio registry through its Confluent-compatible API. */
class ApicurioRegistryIT {

    @TempDir
    static Path dataDir;

    private static SchemaRegistryProcess registry;
    private static RestSchemaRegistryClient client;

    @BeforeAll
    static void startRegistry() {
        registry = SchemaRegistryProcess.start(new RegistrySettings(dataDir, 0, Duration.ofMinutes(2)));
        client = new RestSchemaRegistryClient(SchemaRegistrySettings.of(registry.url()));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    /** A subject no other test touches. */
    private static String freshSubject() {
        return "tlsx.it-" + UUID.randomUUID() + ".v1-value";
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyTopicValueRoundTripsThroughTheRealRegistry() {
        for (TopicSpec<String, ?> spec : Topics.all()) {
            Map.Entry<String, SpecificRecord> sample = SampleRecords.sample(spec);
            Serde<Object> serde = (Serde<Object>) spec.valueSerde(client, true);
            byte[] bytes = serde.serializer().serialize(spec.name(), sample.getValue());

            // A fresh client has nothing cached: the reader must fetch the writer schema by id from the registry.
            RestSchemaRegistryClient reader = new RestSchemaRegistryClient(SchemaRegistrySettings.of(registry.url()));
            Object back = ((Serde<Object>) spec.valueSerde(reader, false)).deserializer().deserialize(spec.name(), bytes);
            assertThat(back).as(spec.name()).isEqualTo(sample.getValue());

            RegisteredSchema latest = reader.latest(spec.valueSubject()).orElseThrow();
            assertThat(SchemaNormalization.parsingFingerprint64(latest.schema()))
                    .isEqualTo(SchemaNormalization.parsingFingerprint64(spec.valueSchema().orElseThrow()));
            assertThat(reader.lookupId(spec.valueSubject(), spec.valueSchema().orElseThrow())).isEqualTo(latest.id());
        }
    }

    @Test
    void theRegistryRunsBackwardCompatibility() {
        assertThat(client.getCompatibility(null)).isEqualTo("BACKWARD");
        String subject = freshSubject();
        client.setCompatibility(subject, "FULL");
        assertThat(client.getCompatibility(subject)).isEqualTo("FULL");
    }

    @Test
    void aNewFieldWithADefaultIsAcceptedAndOneWithoutIsRefusedWith409NamingTheSubject() {
        String subject = freshSubject();
        Schema v1 = SchemaBuilder.record("Thing").namespace("io.tlsxtractor.it").fields()
                .requiredString("name").endRecord();
        Schema v2 = SchemaBuilder.record("Thing").namespace("io.tlsxtractor.it").fields()
                .requiredString("name").name("size").type().intType().intDefault(0).endRecord();
        Schema v3 = SchemaBuilder.record("Thing").namespace("io.tlsxtractor.it").fields()
                .requiredString("name").name("size").type().intType().intDefault(0).requiredLong("weight").endRecord();
        int id1 = client.register(subject, v1);
        int id2 = client.register(subject, v2);
        assertThat(id2).isNotEqualTo(id1);
        assertThat(client.latest(subject)).get().extracting(RegisteredSchema::version).isEqualTo(2);

        assertThat(client.isCompatible(subject, v3)).isFalse();
        assertThatThrownBy(() -> client.register(subject, v3))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.INCOMPATIBLE);
                    assertThat(e.retriable()).isFalse();
                })
                .hasMessageContaining("subject '" + subject + "'")
                .hasMessageContaining("HTTP 409");
    }

    @Test
    void aFieldTypeChangeIsRefused() {
        String subject = freshSubject();
        client.register(subject, SchemaBuilder.record("Thing").namespace("io.tlsxtractor.it").fields()
                .requiredString("name").endRecord());
        Schema changed = SchemaBuilder.record("Thing").namespace("io.tlsxtractor.it").fields()
                .requiredInt("name").endRecord();
        assertThatThrownBy(() -> client.register(subject, changed))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.INCOMPATIBLE))
                .hasMessageContaining(subject);
    }

    @Test
    void olderProbeResultDataReadsIntoTodaysClassAfterTheSchemaEvolves() {
        String topic = "tlsx.it-evolution-" + UUID.randomUUID() + ".v1";
        Schema current = ProbeResult.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : current.getFields()) {
            if (!field.name().equals("alpn")) {
                fields.add(new Schema.Field(field, field.schema()));
            }
        }
        Schema older = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
        client.register(topic + "-value", older);
        // Today's ProbeResult adds alpn with a default: the real registry accepts it under BACKWARD.
        int currentId = client.register(topic + "-value", current);
        assertThat(client.latest(topic + "-value")).get().extracting(RegisteredSchema::id).isEqualTo(currentId);

        // Data written by a producer still on the older schema (auto-registration off: it must find its version).
        byte[] bytes = AvroSerde.generic(client, null, false, false).serializer()
                .serialize(topic, SampleRecords.project(SampleRecords.probeResult(), older));
        ProbeResult read = new AvroDeserializer<>(client, ProbeResult.class).deserialize(topic, bytes);
        assertThat(read.getAlpn()).isNull();
        assertThat(read.getNames()).isEqualTo(SampleRecords.probeResult().getNames());
        assertThat(read.getLeaf()).isEqualTo(SampleRecords.probeResult().getLeaf());
    }

    @Test
    void anUnknownIdIs404() {
        assertThatThrownBy(() -> client.getById(987_654))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.NOT_FOUND);
                })
                .hasMessageContaining("schema id 987654")
                .hasMessageContaining(registry.url());
        AvroDeserializer<Event> deserializer = new AvroDeserializer<>(client, Event.class);
        byte[] payload = {0, 0, 0x0f, 0x12, 0x06, 2};
        assertThatThrownBy(() -> deserializer.deserialize("tlsx.events.v1", payload))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'tlsx.events.v1'")
                .hasMessageContaining("unknown schema id " + 0x0f1206);
    }

    @Test
    void withoutAutoRegistrationAnUnknownSchemaIsAClearError() {
        String topic = "tlsx.it-noauto-" + UUID.randomUUID() + ".v1";
        AvroSerializer<Event> serializer = new AvroSerializer<>(client, false, false);
        assertThatThrownBy(() -> serializer.serialize(topic, SampleRecords.event()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not registered under subject '" + topic + "-value'");
        assertThat(client.latest(topic + "-value")).isEmpty();
    }

    @Test
    void aRegistryThatIsNotListeningIsReportedWithinTheTimeout() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + SchemaRegistryProcess.CCOMPAT_PATH;
        RestSchemaRegistryClient dead = new RestSchemaRegistryClient(SchemaRegistrySettings.of(url)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)));
        assertThatThrownBy(() -> dead.register("x-value", Event.getClassSchema()))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNREACHABLE))
                .hasMessageContaining(url)
                .hasMessageContaining("subject 'x-value'");
    }
}
