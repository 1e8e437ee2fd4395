package io.tlsxtractor.plugin.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * HTTP response headers: a multi-map whose names are case-insensitive, values in the order
 * received. Immutable.
 */
public final class HttpHeaders {
    private static final HttpHeaders EMPTY = new HttpHeaders(Map.of());

    /** Keyed by lower-case name; each entry keeps the name as first received. */
    private final Map<String, Entry> byLowerName;

    private record Entry(String name, List<String> values) {
    }

    private HttpHeaders(Map<String, Entry> byLowerName) {
        this.byLowerName = byLowerName;
    }

    public static HttpHeaders empty() {
        return EMPTY;
    }

    /** Headers from a map of name to values; names differing only in case are merged. */
    public static HttpHeaders of(Map<String, ? extends List<String>> headers) {
        Builder b = builder();
        headers.forEach((name, values) -> values.forEach(v -> b.add(name, v)));
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every value of the header, in order; empty if absent. */
    public List<String> all(String name) {
        Entry e = byLowerName.get(name.toLowerCase(Locale.ROOT));
        return e == null ? List.of() : e.values();
    }

    /** The first value of the header. */
    public Optional<String> first(String name) {
        List<String> values = all(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public boolean contains(String name) {
        return byLowerName.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** Header names as first received. */
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        byLowerName.values().forEach(e -> names.add(e.name()));
        return Collections.unmodifiableSet(names);
    }

    /** Name (as first received) to values. */
    public Map<String, List<String>> asMap() {
        Map<String, List<String>> map = new LinkedHashMap<>();
        byLowerName.values().forEach(e -> map.put(e.name(), e.values()));
        return Collections.unmodifiableMap(map);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpHeaders other && byLowerName.equals(other.byLowerName);
    }

    @Override
    public int hashCode() {
        return byLowerName.hashCode();
    }

    @Override
    public String toString() {
        return asMap().toString();
    }

    /** Collects headers in the order received. */
    public static final class Builder {
        private final Map<String, String> firstNames = new LinkedHashMap<>();
        private final Map<String, List<String>> values = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder add(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            String lower = name.toLowerCase(Locale.ROOT);
            firstNames.putIfAbsent(lower, name);
            values.computeIfAbsent(lower, k -> new ArrayList<>()).add(value);
            return this;
        }

        public HttpHeaders build() {
            Map<String, Entry> map = new LinkedHashMap<>();
            values.forEach((lower, v) -> map.put(lower, new Entry(firstNames.get(lower), List.copyOf(v))));
            return new HttpHeaders(Collections.unmodifiableMap(map));
        }
    }
}
