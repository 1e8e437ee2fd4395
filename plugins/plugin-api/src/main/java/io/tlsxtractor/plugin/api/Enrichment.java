package io.tlsxtractor.plugin.api;

import io.tlsxtractor.plugin.api.internal.PlainValues;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an enricher found about a subject: named attributes, plus a status when the answer is
 * partial or the lookup failed (failure is data: the pipeline records it and goes on).
 *
 * @param attributes attribute name to value; values are plain data: {@code String}, {@code Boolean},
 *     {@code Integer}, {@code Long}, {@code Double}, {@code null}, or lists and string-keyed maps
 *     of those (so that every writer and store can represent them). Copied, immutable, ordered.
 * @param status empty when the lookup succeeded; otherwise a short code such as {@code NXDOMAIN},
 *     {@code TIMEOUT}, {@code RATE_LIMITED}
 */
public record Enrichment(Map<String, Object> attributes, Optional<String> status) {

    public Enrichment {
        Objects.requireNonNull(status, "status");
        attributes = PlainValues.copyOf(Objects.requireNonNull(attributes, "attributes"), "enrichment");
    }

    public static Enrichment of(Map<String, ?> attributes) {
        return new Enrichment(widen(attributes), Optional.empty());
    }

    /** Nothing found, with the reason. */
    public static Enrichment failed(String status) {
        return new Enrichment(Map.of(), Optional.of(status));
    }

    public boolean succeeded() {
        return status.isEmpty();
    }

    // The canonical constructor copies the map deeply, so viewing it as Map<String, Object> is safe.
    @SuppressWarnings("unchecked")
    private static Map<String, Object> widen(Map<String, ?> map) {
        return (Map<String, Object>) map;
    }
}
