package io.tlsxtractor.plugin.api;

import io.tlsxtractor.plugin.api.internal.DefaultPluginContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the engine gives a plugin when starting it. */
public interface PluginContext {

    /** The name of the plugin being started. */
    String pluginName();

    /** The plugin's validated settings, defaults applied. */
    PluginSettings settings();

    /**
     * The logger name for this plugin, {@code io.tlsxtractor.plugin.<name>}, so that users can
     * set a plugin's log level without knowing its classes.
     */
    default String loggerName() {
        return "io.tlsxtractor.plugin." + pluginName();
    }

    /** A logger named {@link #loggerName()}. */
    default Logger logger() {
        return LoggerFactory.getLogger(loggerName());
    }

    /** A context with the given settings, for the engine and for plugin authors' tests. */
    static PluginContext of(PluginSettings settings) {
        return new DefaultPluginContext(settings.plugin(), settings);
    }
}
