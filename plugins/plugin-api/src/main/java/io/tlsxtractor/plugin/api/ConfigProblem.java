package io.tlsxtractor.plugin.api;

import java.util.Objects;

/**
 * One thing wrong with a plugin's settings. Its text names the plugin and the key:
 * {@code plugin cert-extractor: max_names: expected an integer, got "x"}.
 *
 * @param plugin the plugin's name
 * @param key the setting's key
 * @param message what is wrong with it
 */
public record ConfigProblem(String plugin, String key, String message) {

    public ConfigProblem {
        Objects.requireNonNull(plugin, "plugin");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return "plugin " + plugin + ": " + key + ": " + message;
    }
}
