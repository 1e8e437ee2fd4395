package io.tlsxtractor.streams.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A processor's key-value store of serialised records, with a write-through cache of the deserialised ones in front.
 *
 * <p>The store holds the bytes the output topic gets: {@link #put} serialises a record once, for the output topic,
 * writes those bytes to the store and returns them for the processor to forward to a byte-array sink. A store typed
 * by the record would serialise it again for the changelog, and the sink once more for the topic: the same Avro
 * encoding twice per update, ~12 % of the stream thread's CPU in the benchmark. The bytes carry the output topic's
 * schema id, which the deserialiser resolves like any other.
 *
 * <p>The cache: Kafka Streams' record cache holds bytes, so every {@code get} of a hot key (a CDN certificate, a
 * shared domain) would deserialise the whole value again. Values returned are the cache's own instances; a processor
 * may update one in place and must then {@link #put} it, which serialises it at once (so later in-place changes
 * cannot leak into what was written).
 *
 * <p>Lives and dies with the processor: created in {@code init}, which Kafka Streams calls again after it wipes and
 * restores the store (a task closed dirty and revived when an exactly-once transaction aborts), so the cache never
 * holds a value the store has lost.
 */
final class ObjectCache<V> {

    private final KeyValueStore<String, byte[]> store;
    private final Serde<V> serde;
    private final String topic;
    private final Map<String, V> values;

    /**
     * @param serde the output topic's value serde
     * @param topic the output topic, whose subject the serialiser writes under
     */
    ObjectCache(KeyValueStore<String, byte[]> store, Serde<V> serde, String topic, int capacity) {
        this.store = store;
        this.serde = serde;
        this.topic = topic;
        this.values = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    V get(String key) {
        V value = values.get(key);
        if (value == null) {
            byte[] bytes = store.get(key);
            if (bytes != null) {
                value = serde.deserializer().deserialize(topic, bytes);
                values.put(key, value);
            }
        }
        return value;
    }

    /** Stores {@code value} and returns its serialised form, which is what to forward to the output topic. */
    byte[] put(String key, V value) {
        byte[] bytes = serde.serializer().serialize(topic, value);
        store.put(key, bytes);
        values.put(key, value);
        return bytes;
    }
}
