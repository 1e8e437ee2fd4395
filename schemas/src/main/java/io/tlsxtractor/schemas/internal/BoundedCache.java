package io.tlsxtractor.schemas.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** A small thread-safe LRU map: registry ids and schemas are few, so a lock is cheaper than a dependency. */
public final class BoundedCache<K, V> {

    private final Map<K, V> map;

    public BoundedCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("cache capacity must be at least 1, got " + capacity);
        }
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized V get(K key) {
        return map.get(key);
    }

    public synchronized void put(K key, V value) {
        map.put(key, value);
    }

    public synchronized int size() {
        return map.size();
    }

    /**
     * The cached value, or the loader's result (cached). The loader runs outside the lock so a slow registry call
     * does not block other keys; two threads may then load the same key once each, which is harmless.
     */
    public V computeIfAbsent(K key, Function<? super K, ? extends V> loader) {
        V value = get(key);
        if (value != null) {
            return value;
        }
        V loaded = loader.apply(key);
        if (loaded != null) {
            put(key, loaded);
        }
        return loaded;
    }
}
