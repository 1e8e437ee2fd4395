package io.tlsxtractor.plugin.api;

/** The four kinds of plugin, each with the interface a plugin of that kind implements. */
public enum PluginKind {
    EXTRACTOR("extractor", DomainExtractor.class),
    FILTER("filter", DomainFilter.class),
    ENRICHER("enricher", Enricher.class),
    OUTPUT("output", OutputWriter.class);

    private final String label;
    private final Class<? extends Plugin> type;

    PluginKind(String label, Class<? extends Plugin> type) {
        this.label = label;
        this.type = type;
    }

    /** Lower-case name used in configuration, logs and messages ("extractor", "output", ...). */
    public String label() {
        return label;
    }

    /** The interface a plugin of this kind must implement. */
    public Class<? extends Plugin> type() {
        return type;
    }

    @Override
    public String toString() {
        return label;
    }
}
