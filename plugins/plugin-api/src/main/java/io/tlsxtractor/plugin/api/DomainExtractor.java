package io.tlsxtractor.plugin.api;

import java.util.List;

/**
 * Finds names in what a server presented: certificate SANs and CN, CSP headers, JavaScript, or
 * anything a plugin knows how to read.
 */
public interface DomainExtractor extends Plugin {

    @Override
    default PluginKind kind() {
        return PluginKind.EXTRACTOR;
    }

    /**
     * Whether this extractor reads {@link ExtractionInput#http()}. When an enabled extractor says
     * yes, the engine fetches {@code /} over the TLS connection (when a host name is known);
     * otherwise it does not, which saves a round trip per target.
     */
    default boolean needsHttp() {
        return false;
    }

    /**
     * The names found, in the order found; duplicates are allowed (the pipeline removes them).
     * Called concurrently from the engine's threads; must not block on I/O. Malformed input is
     * normal on the Internet: return what can be read rather than throw. An exception is logged
     * and counted by the engine, and the probe goes on without this extractor's names.
     */
    List<ExtractedName> extract(ExtractionInput input);
}
