package io.tlsxtractor.schemas;

import io.tlsxtractor.schemas.registry.SchemaRegistryClient;
import io.tlsxtractor.schemas.serde.AvroSerde;
import io.tlsxtractor.schemas.serde.WireFormat;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One topic of the pipeline: its name, key and value types with their serdes, and the settings it is created with.
 * Obtain them from {@link Topics}; never write a topic name elsewhere.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class TopicSpec<K, V> {

    /** Suffix of a topic's dead-letter topic. */
    public static final String DLQ_SUFFIX = ".dlq";
    /** How long dead letters are kept: long enough to notice, fix and replay. */
    public static final Duration DLQ_RETENTION = Duration.ofDays(14);

    private final String name;
    private final Class<K> keyClass;
    private final Class<V> valueClass;
    private final Schema valueSchema;
    private final CleanupPolicy cleanupPolicy;
    private final int partitions;
    private final Duration retention;
    private final boolean deadLetter;
    private final Supplier<Serde<K>> keySerdeFactory;
    private final BiFunction<SchemaRegistryClient, Boolean, Serde<V>> valueSerdeFactory;

    private TopicSpec(String name, Class<K> keyClass, Class<V> valueClass, Schema valueSchema,
            CleanupPolicy cleanupPolicy, int partitions, Duration retention, boolean deadLetter,
            Supplier<Serde<K>> keySerdeFactory, BiFunction<SchemaRegistryClient, Boolean, Serde<V>> valueSerdeFactory) {
        this.name = Objects.requireNonNull(name, "name");
        this.keyClass = keyClass;
        this.valueClass = valueClass;
        this.valueSchema = valueSchema;
        this.cleanupPolicy = Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be at least 1, got " + partitions);
        }
        this.partitions = partitions;
        this.retention = retention;
        this.deadLetter = deadLetter;
        this.keySerdeFactory = keySerdeFactory;
        this.valueSerdeFactory = valueSerdeFactory;
    }

    /**
     * A topic with string keys and Avro values of the generated class {@code valueClass}. Keys are plain UTF-8
     * strings, not Avro: they are identifiers (scan id, ip:port, domain, SHA-256), any tool (console consumer, kcat,
     * Connect) can read them without the registry, and their bytes, hence the partition they hash to, never change
     * when a schema evolves.
     */
    static <V extends SpecificRecord> TopicSpec<String, V> avro(String name, Class<V> valueClass,
            CleanupPolicy cleanupPolicy, int partitions, Duration retention) {
        return new TopicSpec<>(name, String.class, valueClass, SpecificData.get().getSchema(valueClass),
                cleanupPolicy, partitions, retention, false, Serdes::String,
                (client, autoRegister) -> new AvroSerde<>(Objects.requireNonNull(client, "client"), valueClass,
                        autoRegister, false));
    }

    /**
     * A topic with string keys and raw byte values, written and read as they are (no registry, no dead-letter topic:
     * bytes cannot fail to deserialize).
     */
    static TopicSpec<String, byte[]> raw(String name, CleanupPolicy cleanupPolicy, int partitions, Duration retention) {
        return new TopicSpec<>(name, String.class, byte[].class, null, cleanupPolicy, partitions, retention, false,
                Serdes::String, (client, autoRegister) -> Serdes.ByteArray());
    }

    public String name() {
        return name;
    }

    public Class<K> keyClass() {
        return keyClass;
    }

    public Class<V> valueClass() {
        return valueClass;
    }

    /** The Avro schema of the values; empty for a dead-letter or other raw-bytes topic. */
    public Optional<Schema> valueSchema() {
        return Optional.ofNullable(valueSchema);
    }

    public CleanupPolicy cleanupPolicy() {
        return cleanupPolicy;
    }

    /** Partitions the topic is created with unless provisioning overrides it. */
    public int partitions() {
        return partitions;
    }

    /** {@code retention.ms} for delete topics; empty for compacted topics and where the broker default applies. */
    public Optional<Duration> retention() {
        return Optional.ofNullable(retention);
    }

    public boolean isDeadLetter() {
        return deadLetter;
    }

    /** Topic configs the topic is created with and checked against. */
    public Map<String, String> configs() {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy.configValue());
        if (retention != null) {
            configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
        }
        return configs;
    }

    /** The serde of the keys (UTF-8 strings; raw bytes on dead-letter topics). */
    public Serde<K> keySerde() {
        return keySerdeFactory.get();
    }

    /**
     * The serde of the values: Avro in the Confluent wire format through {@code client} (subject
     * {@link #valueSubject()}); on dead-letter topics raw bytes, and the client is not used.
     *
     * @param autoRegister whether the serializer registers its schema when it is not registered yet
     */
    public Serde<V> valueSerde(SchemaRegistryClient client, boolean autoRegister) {
        return valueSerdeFactory.apply(client, autoRegister);
    }

    /** Registry subject of the keys (topic-name strategy); keys are strings, so nothing is registered under it. */
    public String keySubject() {
        return WireFormat.subject(name, true);
    }

    /** Registry subject of the values (topic-name strategy). */
    public String valueSubject() {
        return WireFormat.subject(name, false);
    }

    /**
     * The dead-letter topic of this topic, {@code <name>.dlq}: same partitions, delete policy, the original key and
     * value bytes untouched (they may be what could not be read) and the reason in {@link DlqHeaders}.
     */
    public TopicSpec<byte[], byte[]> dlq() {
        if (deadLetter) {
            throw new IllegalStateException(name + " is already a dead-letter topic");
        }
        return new TopicSpec<>(name + DLQ_SUFFIX, byte[].class, byte[].class, null, CleanupPolicy.DELETE, partitions,
                DLQ_RETENTION, true, Serdes::ByteArray, (client, autoRegister) -> Serdes.ByteArray());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicSpec<?, ?> other && other.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "TopicSpec[" + name + ", " + (valueClass == null ? "?" : valueClass.getSimpleName()) + ", "
                + cleanupPolicy.configValue() + ", partitions=" + partitions
                + (retention == null ? "" : ", retention=" + retention) + "]";
    }
}
