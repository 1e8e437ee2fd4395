/**
 * The processors, internal record types and their serdes behind {@link io.tlsxtractor.streams.StreamsTopologies}.
 * Not for use outside this module: their shapes change with the topology.
 */
package io.tlsxtractor.streams.internal;
