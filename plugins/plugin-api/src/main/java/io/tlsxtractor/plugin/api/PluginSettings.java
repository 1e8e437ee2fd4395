package io.tlsxtractor.plugin.api;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A plugin's settings: the values configured for it, over the defaults of its
 * {@link ConfigSchema}, with typed getters. Immutable. The registry hands a plugin settings that
 * have been validated, so the getters fail only on a key the schema does not declare with a value
 * or default: a bug in the plugin, reported as a {@link PluginException} naming plugin and key.
 */
public final class PluginSettings {
    private final String plugin;
    private final ConfigSchema schema;
    private final Map<String, String> values;

    private PluginSettings(String plugin, ConfigSchema schema, Map<String, String> values) {
        this.plugin = plugin;
        this.schema = schema;
        this.values = values;
    }

    /**
     * Settings of {@code plugin}: the {@code configured} values, and the schema's defaults for
     * keys not configured. Does not validate; see {@link ConfigSchema#validate(String, Map)}.
     */
    public static PluginSettings of(String plugin, ConfigSchema schema, Map<String, String> configured) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (ConfigOption option : schema.options()) {
            option.defaultText().ifPresent(d -> merged.put(option.name(), d));
        }
        configured.forEach((k, v) -> {
            if (v != null) {
                merged.put(k, v);
            }
        });
        return new PluginSettings(plugin, schema, Collections.unmodifiableMap(merged));
    }

    /** Settings with no values, for a plugin with an empty schema. */
    public static PluginSettings empty(String plugin) {
        return new PluginSettings(plugin, ConfigSchema.empty(), Map.of());
    }

    /** The plugin these settings belong to. */
    public String plugin() {
        return plugin;
    }

    /** Whether the key has a value, configured or default. */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** The text value, configured or default. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public String getString(String key) {
        return (String) typed(key, OptionType.STRING);
    }

    public int getInt(String key) {
        return (Integer) typed(key, OptionType.INT);
    }

    public long getLong(String key) {
        return (Long) typed(key, OptionType.LONG);
    }

    public boolean getBoolean(String key) {
        return (Boolean) typed(key, OptionType.BOOLEAN);
    }

    public double getDouble(String key) {
        return (Double) typed(key, OptionType.DOUBLE);
    }

    @SuppressWarnings("unchecked")
    public List<String> getList(String key) {
        return (List<String>) typed(key, OptionType.LIST);
    }

    public Duration getDuration(String key) {
        return (Duration) typed(key, OptionType.DURATION);
    }

    /** All values as text, configured over defaults. */
    public Map<String, String> asMap() {
        return values;
    }

    private Object typed(String key, OptionType type) {
        String text = values.get(key);
        if (text == null) {
            throw new PluginException(new ConfigProblem(plugin, key,
                    "no value and no default" + (schema.option(key).isPresent() ? "" : " (not declared in the plugin's schema)"))
                    .toString());
        }
        try {
            return type.parse(text);
        } catch (IllegalArgumentException e) {
            boolean secret = schema.option(key).map(ConfigOption::secret).orElse(false);
            throw new PluginException(
                    new ConfigProblem(plugin, key, e.getMessage() + (secret ? "" : ", got \"" + text + "\"")).toString(), e);
        }
    }

    /** Secret values are shown as {@code ***}. */
    @Override
    public String toString() {
        return values.entrySet().stream()
                .map(e -> e.getKey() + "=" + (schema.option(e.getKey()).map(ConfigOption::secret).orElse(false)
                        ? "***" : e.getValue()))
                .collect(Collectors.joining(", ", "PluginSettings[" + plugin + ": ", "]"));
    }
}
