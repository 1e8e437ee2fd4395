package io.tlsxtractor.plugin.api.internal;

import io.tlsxtractor.plugin.api.PluginContext;
import io.tlsxtractor.plugin.api.PluginSettings;
import java.util.Objects;

/** The plain {@link PluginContext}. */
public record DefaultPluginContext(String pluginName, PluginSettings settings) implements PluginContext {
    public DefaultPluginContext {
        Objects.requireNonNull(pluginName, "pluginName");
        Objects.requireNonNull(settings, "settings");
    }
}
