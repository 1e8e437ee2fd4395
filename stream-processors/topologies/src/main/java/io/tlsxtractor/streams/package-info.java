/**
 * The Kafka Streams application of the pipeline: probe results in; domain observations, the domain inventory,
 * certificates, scan status and events out, exactly once. {@link io.tlsxtractor.streams.StreamsTopologies} builds
 * the topology (no broker needed), {@link io.tlsxtractor.streams.StreamsApp} runs it,
 * {@link io.tlsxtractor.streams.InventoryQueries} answers interactive queries, and
 * {@link io.tlsxtractor.streams.StreamsMain} is the process entry point.
 */
package io.tlsxtractor.streams;
