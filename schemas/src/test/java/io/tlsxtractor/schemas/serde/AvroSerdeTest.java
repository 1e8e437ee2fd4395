package io.tlsxtractor.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlsxtractor.schemas.SampleRecords;
import io.tlsxtractor.schemas.avro.Event;
import io.tlsxtractor.schemas.avro.EventType;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.registry.InMemorySchemaRegistryClient;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private static final String TOPIC = "tlsx.test.v1";

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void writesMagicByteBigEndianIdAndPlainAvroBinary() throws Exception {
        Event event = SampleRecords.event();
        byte[] bytes = new AvroSerializer<Event>(registry, true, false).serialize(TOPIC, event);

        int id = registry.lookupId(TOPIC + "-value", Event.getClassSchema());
        assertThat(bytes[0]).isEqualTo((byte) 0);
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        // The body is exactly Avro's binary encoding, so any Confluent-format reader decodes it.
        java.io.ByteArrayOutputStream plain = new java.io.ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(plain, null);
        new SpecificDatumWriter<>(Event.class).write(event, encoder);
        encoder.flush();
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(plain.toByteArray());
    }

    @Test
    void schemaIdAboveTwoToThe24RoundTripsThroughTheHeader() {
        byte[] header = new byte[5];
        WireFormat.writeHeader(header, 0x7f01_0203);
        assertThat(WireFormat.schemaId(TOPIC, header)).isEqualTo(0x7f01_0203);
    }

    @Test
    void specificRecordRoundTrips() {
        AvroSerde<ProbeResult> serde = new AvroSerde<>(registry, ProbeResult.class, true, false);
        ProbeResult result = SampleRecords.probeResult();
        byte[] bytes = serde.serializer().serialize(TOPIC, result);
        assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(result);
    }

    @Test
    void nullIsATombstoneBothWays() {
        AvroSerde<ProbeResult> serde = new AvroSerde<>(registry, ProbeResult.class, true, false);
        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    }

    @Test
    void genericRecordRoundTripsAndReadsAsWritten() {
        Schema schema = SchemaBuilder.record("Thing").namespace("t").fields()
                .requiredString("name").optionalInt("size").endRecord();
        GenericRecord thing = new GenericData.Record(schema);
        thing.put("name", "a");
        thing.put("size", 3);
        AvroSerde<GenericRecord> serde = AvroSerde.generic(registry, null, true, false);
        GenericRecord back = serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, thing));
        assertThat(back.get("name").toString()).isEqualTo("a");
        assertThat(back.get("size")).isEqualTo(3);
    }

    @Test
    void keysUseTheKeySubject() {
        new AvroSerializer<Event>(registry, true, true).serialize(TOPIC, SampleRecords.event());
        assertThat(registry.latest(TOPIC + "-key")).isPresent();
        assertThat(registry.latest(TOPIC + "-value")).isEmpty();
    }

    @Test
    void withoutAutoRegistrationAnUnregisteredSchemaFailsNamingTheSubject() {
        AvroSerializer<Event> serializer = new AvroSerializer<>(registry, false, false);
        assertThatThrownBy(() -> serializer.serialize(TOPIC, SampleRecords.event()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not registered under subject 'tlsx.test.v1-value'")
                .hasMessageContaining("auto-registration is off");

        registry.register(TOPIC + "-value", Event.getClassSchema());
        assertThat(serializer.serialize(TOPIC, SampleRecords.event())).isNotEmpty();
    }

    @Test
    void nonAvroObjectsAreRefused() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        AvroSerializer<Object> serializer = new AvroSerializer(registry, true, false);
        assertThatThrownBy(() -> serializer.serialize(TOPIC, "text"))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("java.lang.String is not an Avro record");
    }

    @Test
    void tooShortPayloadNamesTopicAndLength() {
        AvroDeserializer<Event> deserializer = new AvroDeserializer<>(registry, Event.class);
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'" + TOPIC + "'")
                .hasMessageContaining("3 byte(s) is shorter than the 5-byte");
    }

    @Test
    void wrongMagicByteIsNamed() {
        AvroDeserializer<Event> deserializer = new AvroDeserializer<>(registry, Event.class);
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, "{\"json\":1}".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'" + TOPIC + "'")
                .hasMessageContaining("unknown magic byte 0x7b");
    }

    @Test
    void unknownSchemaIdIsNamed() {
        AvroDeserializer<Event> deserializer = new AvroDeserializer<>(registry, Event.class);
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 0, 0, 42, 2}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'" + TOPIC + "'")
                .hasMessageContaining("unknown schema id 42");
    }

    @Test
    void truncatedBodyIsReportedWithItsSchemaId() {
        byte[] bytes = new AvroSerializer<Event>(registry, true, false).serialize(TOPIC, SampleRecords.event());
        byte[] truncated = Arrays.copyOf(bytes, 12);
        AvroDeserializer<Event> deserializer = new AvroDeserializer<>(registry, Event.class);
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema id " + bytes[4])
                .hasMessageContaining("does not decode");
    }

    @Test
    void configuresFromKafkaPropertiesWithASharedInMemoryScope() {
        String scope = "serde-test-" + UUID.randomUUID();
        Map<String, Object> config = Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope,
                AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, Event.class.getName());
        try (AvroSerde<Event> writer = new AvroSerde<>(); AvroSerde<Event> reader = new AvroSerde<>()) {
            writer.configure(config, false);
            reader.configure(config, false);
            Event event = SampleRecords.event();
            event.setType(EventType.SCAN_COMPLETED);
            Event back = reader.deserializer().deserialize(TOPIC, writer.serializer().serialize(TOPIC, event));
            assertThat(back).isInstanceOf(Event.class).isEqualTo(event);
            assertThat(InMemorySchemaRegistryClient.scoped(scope).latest(TOPIC + "-value")).isPresent();
        } finally {
            InMemorySchemaRegistryClient.dropScope(scope);
        }
    }

    @Test
    void unconfiguredSerializerSaysWhatIsMissing() {
        assertThatThrownBy(() -> new AvroSerializer<Event>().serialize(TOPIC, SampleRecords.event()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("has no schema registry");
    }
}
