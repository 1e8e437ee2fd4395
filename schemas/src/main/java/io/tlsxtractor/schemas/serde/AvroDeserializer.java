package io.tlsxtractor.schemas.serde;

import io.tlsxtractor.schemas.registry.SchemaRegistryClient;
import io.tlsxtractor.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format Avro: looks the writer schema up by the id in the header (cached) and resolves it
 * against the reader schema, so data written with an older (or newer, compatible) schema reads into the current
 * class. Specific mode reads generated classes; generic mode reads {@link GenericRecord}s, with the writer schema
 * or a given reader schema.
 *
 * @param <T> the record type
 */
public class AvroDeserializer<T> implements Deserializer<T> {

    private SchemaRegistryClient client;
    private Class<? extends T> specificType;
    private Schema readerSchema;
    private boolean specific;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();

    /** For Kafka's class-name configuration: {@link #configure} must be called before use. */
    public AvroDeserializer() {
    }

    /** Reads generated class {@code type}, resolving every writer schema against the class's own schema. */
    public AvroDeserializer(SchemaRegistryClient client, Class<T> type) {
        this.client = Objects.requireNonNull(client, "client");
        useSpecificType(type);
    }

    private AvroDeserializer(SchemaRegistryClient client, Schema readerSchema) {
        this.client = Objects.requireNonNull(client, "client");
        this.readerSchema = readerSchema;
    }

    /** Reads generic records; with a non-null {@code readerSchema} every record is resolved to it. */
    public static AvroDeserializer<GenericRecord> generic(SchemaRegistryClient client, Schema readerSchema) {
        return new AvroDeserializer<>(client, readerSchema);
    }

    /** Configures a deserializer made by the no-argument constructor; one built with a client keeps its settings. */
    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (client != null) {
            return;
        }
        client = AvroSerdeConfig.client(configs);
        Class<?> type = AvroSerdeConfig.type(configs,
                isKey ? AvroSerdeConfig.SPECIFIC_AVRO_KEY_TYPE : AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE);
        if (type != null) {
            useSpecificType((Class<T>) type);
        } else {
            specific = AvroSerdeConfig.bool(configs, AvroSerdeConfig.SPECIFIC_AVRO_READER, false);
        }
    }

    private void useSpecificType(Class<? extends T> type) {
        if (!SpecificRecord.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(type.getName() + " is not a generated Avro class (SpecificRecord)");
        }
        this.specificType = type;
        this.readerSchema = SpecificData.get().getSchema(type);
        this.specific = true;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (client == null) {
            throw new SerializationException("AvroDeserializer for topic '" + topic
                    + "' has no schema registry: construct it with a client or call configure() first");
        }
        int id = WireFormat.schemaId(topic, data);
        DatumReader<T> reader = readers.computeIfAbsent(id, i -> reader(topic, i));
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE,
                    data.length - WireFormat.HEADER_SIZE, null);
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot read Avro record with schema id " + id + " from topic '" + topic
                    + "': the body does not decode (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
    }

    private DatumReader<T> reader(String topic, int id) {
        Schema writer;
        try {
            writer = client.getById(id);
        } catch (SchemaRegistryException e) {
            String what = e.kind() == SchemaRegistryException.Kind.NOT_FOUND ? "unknown schema id " + id
                    : "cannot fetch schema id " + id;
            throw new SerializationException("Cannot read Avro record from topic '" + topic + "': " + what + ": "
                    + e.getMessage(), e);
        }
        Schema reader = readerSchema != null ? readerSchema : writer;
        if (specific) {
            SpecificData model = specificType != null ? SpecificData.getForClass(specificType) : SpecificData.getForSchema(reader);
            return new SpecificDatumReader<>(writer, reader, model);
        }
        return new GenericDatumReader<>(writer, reader, GenericData.get());
    }

    @Override
    public void close() {
        // The client is shared: its owner closes it.
    }
}
