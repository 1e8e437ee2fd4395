/**
 * The machinery behind {@link io.tlsxtractor.config.ConfigLoader}: reading files, interpolating
 * {@code ${VAR}} references, converting raw values to typed ones, checks and "did you mean" hints.
 * Not for use outside the config module.
 */
package io.tlsxtractor.config.internal;
