/**
 * Machinery behind {@link io.tlsxtractor.plugin.api.PluginRegistry} (the SPI-only class loader,
 * the plugin directory scan, value copying). Not part of the SPI: plugins and other modules must
 * not use it.
 */
package io.tlsxtractor.plugin.api.internal;
