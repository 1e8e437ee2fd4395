package io.tlsxtractor.plugin.api;

import io.tlsxtractor.plugin.api.internal.PlainValues;
import java.util.Map;
import java.util.Objects;

/**
 * One record for an output writer: a type and plain-data fields. Writers need no knowledge of the
 * pipeline's Avro classes: the engine turns each result into this form, with the field names of
 * the 1.x JSON document.
 *
 * @param type what the record is: {@link #RESULT}, {@link #METADATA}, {@link #DISCOVERED_HOSTS},
 *     or another type a writer may ignore
 * @param fields values are {@code String}, {@code Boolean}, {@code Integer}, {@code Long},
 *     {@code Double}, {@code null}, or lists and string-keyed maps of those. Copied, immutable,
 *     in insertion order (writers keep it).
 */
public record OutputRecord(String type, Map<String, Object> fields) {
    /** One probe result ({@code ip}, {@code port}, {@code status}, {@code domains}, ...). Many per scan. */
    public static final String RESULT = "result";
    /** The scan's {@code metadata} (version, timestamp, mode, parameters, statistics). Once, at the end. */
    public static final String METADATA = "metadata";
    /** The scan's {@code discovered_hosts} summary. Once, at the end. */
    public static final String DISCOVERED_HOSTS = "discovered_hosts";

    public OutputRecord {
        Objects.requireNonNull(type, "type");
        fields = PlainValues.copyOf(Objects.requireNonNull(fields, "fields"), type);
    }

    public static OutputRecord of(String type, Map<String, ?> fields) {
        return new OutputRecord(type, widen(fields));
    }

    // The canonical constructor copies the map deeply, so viewing it as Map<String, Object> is safe.
    @SuppressWarnings("unchecked")
    private static Map<String, Object> widen(Map<String, ?> map) {
        return (Map<String, Object>) map;
    }
}
