package io.tlsxtractor.schemas.serde;

import io.tlsxtractor.schemas.registry.SchemaRegistryClient;
import io.tlsxtractor.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (generated classes or {@link org.apache.avro.generic.GenericRecord}s) in the Confluent wire
 * format, under the subject {@code <topic>-value} (or {@code -key}). With auto-registration the record's schema is
 * registered on first use; without it the schema must already be registered, else the write fails saying so.
 *
 * @param <T> the record type
 */
public class AvroSerializer<T> implements Serializer<T> {

    private SchemaRegistryClient client;
    private boolean autoRegister;
    private boolean isKey;
    private final Map<String, Map<Schema, Integer>> idsByTopic = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

    /** For Kafka's class-name configuration: {@link #configure} must be called before use. */
    public AvroSerializer() {
    }

    public AvroSerializer(SchemaRegistryClient client, boolean autoRegister, boolean isKey) {
        this.client = Objects.requireNonNull(client, "client");
        this.autoRegister = autoRegister;
        this.isKey = isKey;
    }

    /** Configures a serializer made by the no-argument constructor; one built with a client keeps its settings. */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (client != null) {
            return;
        }
        this.isKey = isKey;
        this.autoRegister = AvroSerdeConfig.bool(configs, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, true);
        this.client = AvroSerdeConfig.client(configs);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (client == null) {
            throw new SerializationException("AvroSerializer for topic '" + topic
                    + "' has no schema registry: construct it with a client or call configure() first");
        }
        if (!(data instanceof GenericContainer container)) {
            throw new SerializationException("Cannot write to topic '" + topic + "': " + data.getClass().getName()
                    + " is not an Avro record (expected a generated class or a GenericRecord)");
        }
        Schema schema = container.getSchema();
        int id = idsByTopic.computeIfAbsent(topic, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(schema, s -> schemaId(topic, s));
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        byte[] header = new byte[WireFormat.HEADER_SIZE];
        WireFormat.writeHeader(header, id);
        out.write(header, 0, header.length);
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writers.computeIfAbsent(schema, s -> writer(s, data)).write(data, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot write " + schema.getFullName() + " to topic '" + topic + "': "
                    + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private int schemaId(String topic, Schema schema) {
        String subject = WireFormat.subject(topic, isKey);
        try {
            return autoRegister ? client.register(subject, schema) : client.lookupId(subject, schema);
        } catch (SchemaRegistryException e) {
            if (!autoRegister && e.kind() == SchemaRegistryException.Kind.NOT_FOUND) {
                throw new SerializationException("Cannot write " + schema.getFullName() + " to topic '" + topic
                        + "': its schema is not registered under subject '" + subject
                        + "' and auto-registration is off (register it first): " + e.getMessage(), e);
            }
            throw new SerializationException("Cannot write " + schema.getFullName() + " to topic '" + topic
                    + "': " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static DatumWriter<Object> writer(Schema schema, Object sample) {
        if (sample instanceof SpecificRecord) {
            return (DatumWriter<Object>) (DatumWriter<?>) new SpecificDatumWriter<>(schema, SpecificData.getForSchema(schema));
        }
        return new GenericDatumWriter<>(schema, GenericData.get());
    }

    @Override
    public void close() {
        // The client is shared (a registry connection pool or an in-process registry): its owner closes it.
    }
}
