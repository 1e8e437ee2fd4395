package io.tlsxtractor.plugin.api;

/**
 * Decides whether a discovered name is kept (include/exclude lists, the default CDN exclusions,
 * scope rules). Enabled filters run in the configured order; the first DROP wins.
 */
public interface DomainFilter extends Plugin {

    @Override
    default PluginKind kind() {
        return PluginKind.FILTER;
    }

    /**
     * Keep or drop {@code domain}: a normalised name (lower case, no trailing dot, possibly a
     * wildcard such as {@code *.example.com}). Called concurrently and on every name: must be
     * fast and must not block.
     */
    FilterDecision decide(String domain, FilterContext context);
}
