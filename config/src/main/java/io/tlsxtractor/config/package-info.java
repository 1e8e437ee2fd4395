/**
 * The one typed, immutable configuration model of TLSXtractor ({@link io.tlsxtractor.config.TlsxConfig})
 * and how it is obtained: {@link io.tlsxtractor.config.ConfigLoader} merges command-line flags, the
 * environment ({@code TLSXTRACTOR_<SECTION>_<KEY>}), a YAML or TOML file and the defaults, in that order
 * of precedence, and either returns a valid configuration or throws a
 * {@link io.tlsxtractor.config.ConfigException} that lists every problem at once.
 *
 * <p>Every key is described once in {@link io.tlsxtractor.config.ConfigKeys} (path, type, default,
 * secret flag, validation, documentation); the environment mapping, the printer
 * ({@link io.tlsxtractor.config.ConfigPrinter}) and the reference documentation all derive from it.
 * {@link io.tlsxtractor.config.ConfigHolder} is the seam through which a running process receives a
 * new configuration.
 */
package io.tlsxtractor.config;
