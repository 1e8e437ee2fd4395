package io.tlsxtractor.plugin.api.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep, immutable copies of "plain data" trees: the value model shared by enrichments and output
 * records, chosen so that JSON, CSV, Avro and both stores can represent every value.
 */
public final class PlainValues {
    private PlainValues() {
    }

    /**
     * An immutable, order-preserving deep copy, allowing {@code null} values (JSON null).
     *
     * @param where names the map in error messages ({@code record}, {@code enrichment})
     * @throws IllegalArgumentException naming the path of a value of an unsupported type
     */
    public static Map<String, Object> copyOf(Map<String, ?> map, String where) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (k == null) {
                throw new IllegalArgumentException(where + ": null key");
            }
            copy.put(k, copyValue(v, where + "." + k));
        });
        return Collections.unmodifiableMap(copy);
    }

    private static Object copyValue(Object value, String path) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Double) {
            return value;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(copyValue(list.get(i), path + "[" + i + "]"));
            }
            return Collections.unmodifiableList(copy);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException(path + ": map key " + e.getKey() + " is not a String");
                }
                copy.put(key, copyValue(e.getValue(), path + "." + key));
            }
            return Collections.unmodifiableMap(copy);
        }
        throw new IllegalArgumentException(path + ": unsupported value type " + value.getClass().getName()
                + "; use String, Boolean, Integer, Long, Double, null, List or Map<String, ?>");
    }
}
