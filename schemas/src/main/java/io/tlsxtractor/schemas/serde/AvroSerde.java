package io.tlsxtractor.schemas.serde;

import io.tlsxtractor.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@link AvroSerializer} and {@link AvroDeserializer} as one Kafka {@link Serde}, usable by producers, consumers and
 * Kafka Streams. Build it from a client (as the topic catalog does) or by class name and {@link #configure}.
 *
 * @param <T> the record type
 */
public class AvroSerde<T> implements Serde<T> {

    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;

    /** For Kafka's class-name configuration ({@code default.value.serde}): reads generic or configured specific records. */
    public AvroSerde() {
        this(new AvroSerializer<>(), new AvroDeserializer<>());
    }

    /** A serde of generated class {@code type}. */
    public AvroSerde(SchemaRegistryClient client, Class<T> type, boolean autoRegister, boolean isKey) {
        this(new AvroSerializer<>(client, autoRegister, isKey), new AvroDeserializer<>(client, type));
    }

    private AvroSerde(AvroSerializer<T> serializer, AvroDeserializer<T> deserializer) {
        this.serializer = serializer;
        this.deserializer = deserializer;
    }

    /** A serde of generic records; a non-null {@code readerSchema} is the schema records are read into. */
    public static AvroSerde<GenericRecord> generic(SchemaRegistryClient client, Schema readerSchema,
            boolean autoRegister, boolean isKey) {
        return new AvroSerde<>(new AvroSerializer<>(client, autoRegister, isKey),
                AvroDeserializer.generic(client, readerSchema));
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }
}
