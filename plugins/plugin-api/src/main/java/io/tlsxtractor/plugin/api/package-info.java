/**
 * The plugin SPI of TLSXtractor: the contract a plugin author compiles against, and the registry
 * the engine uses to find and run plugins.
 *
 * <p>A plugin is a class implementing one of the four kinds, each a small interface extending
 * {@link io.tlsxtractor.plugin.api.Plugin}:
 * <ul>
 *   <li>{@link io.tlsxtractor.plugin.api.DomainExtractor}: names from what a server presented
 *       (certificate, HTTP response);</li>
 *   <li>{@link io.tlsxtractor.plugin.api.DomainFilter}: keeps or drops a discovered name;</li>
 *   <li>{@link io.tlsxtractor.plugin.api.Enricher}: adds attributes to a domain or certificate,
 *       asynchronously;</li>
 *   <li>{@link io.tlsxtractor.plugin.api.OutputWriter}: writes result records in one format.</li>
 * </ul>
 * It is declared in {@code META-INF/services/io.tlsxtractor.plugin.api.Plugin} and found with
 * {@link java.util.ServiceLoader}, either on the application class path or in a plugin directory,
 * where each sub-directory or jar gets its own class loader that shares only this package,
 * {@code java.*}, {@code javax.*} and {@code org.slf4j.*} with the application (the model is
 * Trino's SPI). Settings are declared with a {@link io.tlsxtractor.plugin.api.ConfigSchema} and
 * validated before a plugin is started.
 *
 * <p>This package depends on nothing but the JDK and SLF4J, on purpose: it is all a plugin needs.
 */
package io.tlsxtractor.plugin.api;
