package io.tlsxtractor.plugin.api;

/**
 * The base of every plugin. Implement one of the kinds ({@link DomainExtractor},
 * {@link DomainFilter}, {@link Enricher}, {@link OutputWriter}) rather than this interface, and
 * declare the class in {@code META-INF/services/io.tlsxtractor.plugin.api.Plugin}. The class needs
 * a public no-argument constructor; it should do no work there, because every installed plugin is
 * instantiated at discovery, enabled or not.
 *
 * <p>Lifecycle: constructed at discovery, {@link #start(PluginContext)} once with validated
 * settings when enabled, then used (from several threads at once: implementations must be
 * thread-safe), then {@link #close()} once.
 */
public interface Plugin extends AutoCloseable {

    /**
     * Unique name by which the plugin is configured: lower case, digits, {@code '-'}, {@code '_'}
     * or {@code '.'} ({@code cert-extractor}, {@code json}).
     */
    String name();

    /** Version of the plugin, shown in logs and {@code plugin.loaded} events. */
    String version();

    /** The kind; each kind interface answers this already. */
    PluginKind kind();

    /** The settings this plugin accepts; anything else configured for it is reported as unknown. */
    default ConfigSchema configSchema() {
        return ConfigSchema.empty();
    }

    /**
     * Called once before first use, with settings already validated against
     * {@link #configSchema()}. Throw {@link PluginException} to refuse to start.
     */
    default void start(PluginContext context) {
    }

    /** Releases what {@link #start(PluginContext)} acquired. Called once, also after a failed start. */
    @Override
    default void close() {
    }
}
