package io.tlsxtractor.config;

import java.util.Map;
import java.util.Objects;

/**
 * A configuration together with the origin of each of its values.
 *
 * @param config  the effective configuration
 * @param origins origin by key path; entries of map keys ({@code kafka.properties.linger.ms}) have
 *                their own path
 */
public record LoadedConfig(TlsxConfig config, Map<String, ConfigOrigin> origins) {

    public LoadedConfig {
        Objects.requireNonNull(config, "config");
        origins = Map.copyOf(origins);
    }

    /** Where the value of {@code path} came from; {@link ConfigOrigin#DEFAULT} for a key nobody set. */
    public ConfigOrigin origin(String path) {
        return origins.getOrDefault(path, ConfigOrigin.DEFAULT);
    }
}
