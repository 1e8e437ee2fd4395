/**
 * The {@code js-extractor} plugin: domain names from a page's HTML (inline scripts, references to
 * other hosts) and from the same-origin scripts it loads, which the engine fetches.
 */
package io.tlsxtractor.plugins.core.js;
