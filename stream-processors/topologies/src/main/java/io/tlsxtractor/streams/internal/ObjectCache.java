package io.tlsxtractor.streams.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A write-through cache of deserialised values in front of a processor's key-value store: the record cache of Kafka
 * Streams holds bytes, so every {@code get} of a hot key (a CDN certificate, a shared domain) deserialises the whole
 * value again. Values returned are the cache's own instances; a processor may update one in place and must then
 * {@link #put} it, which serialises it into the store at once (so later in-place changes cannot leak into what was
 * written).
 *
 * <p>Lives and dies with the processor: created in {@code init}, which Kafka Streams calls again after it wipes and
 * restores the store (a task closed dirty and revived when an exactly-once transaction aborts), so the cache never
 * holds a value the store has lost.
 */
final class ObjectCache<V> {

    private final KeyValueStore<String, V> store;
    private final Map<String, V> values;

    ObjectCache(KeyValueStore<String, V> store, int capacity) {
        this.store = store;
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
            value = store.get(key);
            if (value != null) {
                values.put(key, value);
            }
        }
        return value;
    }

    void put(String key, V value) {
        store.put(key, value);
        values.put(key, value);
    }

    void delete(String key) {
        store.delete(key);
        values.remove(key);
    }
}
