/**
 * The output writer plugins of the results document: {@code json} (the 1.x document, atomic),
 * {@code jsonl} (one result per line, streamed) and {@code csv} (one row per result, atomic).
 * Registered in {@code META-INF/services/io.tlsxtractor.plugin.api.Plugin}.
 */
package io.tlsxtractor.results.output;
