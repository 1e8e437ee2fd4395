/** The {@code csp-extractor} plugin: domain names from Content-Security-Policy headers (1.x {@code --fetch-csp}). */
package io.tlsxtractor.plugins.core.csp;
