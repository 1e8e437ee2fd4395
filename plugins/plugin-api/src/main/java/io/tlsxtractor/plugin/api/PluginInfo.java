package io.tlsxtractor.plugin.api;

import java.util.Objects;

/**
 * An installed plugin, as discovered.
 *
 * @param name the plugin's name
 * @param version its version
 * @param kind its kind
 * @param className the implementing class
 * @param origin where it was found: {@code class path (<jar>)} or the plugin jar or directory
 */
public record PluginInfo(String name, String version, PluginKind kind, String className, String origin) {
    public PluginInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(origin, "origin");
    }

    @Override
    public String toString() {
        return name + " " + version + " (" + kind + ", " + className + " from " + origin + ")";
    }
}
