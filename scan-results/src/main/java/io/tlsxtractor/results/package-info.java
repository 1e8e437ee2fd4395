/**
 * The 1.x {@code results.json} document built from v2 probe results: {@link
 * io.tlsxtractor.results.ResultsDocument} accumulates results (replays de-duplicated) and finishes
 * into a {@link io.tlsxtractor.results.V1Document} (statistics, discovered hosts split by the
 * Public Suffix List, the three modes' {@code results} shapes); {@link
 * io.tlsxtractor.results.V1Results} converts one result; {@link
 * io.tlsxtractor.results.ResultsDocuments} reads a 1.x document back for the import and export
 * commands.
 */
package io.tlsxtractor.results;
