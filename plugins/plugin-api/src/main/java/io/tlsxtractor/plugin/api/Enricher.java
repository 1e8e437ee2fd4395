package io.tlsxtractor.plugin.api;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Adds attributes to a domain or certificate (DNS answers, WHOIS, reputation, ...). Lookups go
 * over the network, so the call is asynchronous.
 */
public interface Enricher extends Plugin {

    @Override
    default PluginKind kind() {
        return PluginKind.ENRICHER;
    }

    /** What this enricher can enrich; the engine calls it only with these. Domains by default. */
    default Set<EnrichmentInput.SubjectKind> subjects() {
        return EnumSet.of(EnrichmentInput.SubjectKind.DOMAIN);
    }

    /**
     * Starts enriching and returns at once: must not block the calling thread (use asynchronous
     * clients or the plugin's own executor). A lookup that fails should complete normally with
     * {@link Enrichment#failed(String)}; an exceptional completion is logged as a plugin bug.
     * The engine puts its own deadline on the returned stage and may abandon it.
     */
    CompletionStage<Enrichment> enrich(EnrichmentInput input);
}
