/**
 * The ingest side of TLSXtractor: reading targets ({@link io.tlsxtractor.ingest.TargetParser}: CIDR, ranges, single
 * addresses, {@code ip:port}, {@code [v6]:port}, hostnames, {@code host:port}, URLs, files and standard input, lazily),
 * the scope policy ({@link io.tlsxtractor.ingest.ScopePolicy}: special-purpose ranges, exclusions, size limits,
 * refusals reported once per range), hostname resolution ({@link io.tlsxtractor.ingest.HostResolver}), the resumable
 * expansion of a scan into target blocks ({@link io.tlsxtractor.ingest.BlockExpander}) and the service that does it
 * for every scan request on Kafka ({@link io.tlsxtractor.ingest.IngestService}).
 */
package io.tlsxtractor.ingest;
