/**
 * The extractor that belongs to the handshake itself: certificate SAN and CN names, as a plugin of the
 * {@link io.tlsxtractor.plugin.api.DomainExtractor} SPI. Extractors that need HTTP (CSP, JavaScript) are core plugins
 * in {@code plugins/core-plugins}.
 */
package io.tlsxtractor.probe.extractors;
