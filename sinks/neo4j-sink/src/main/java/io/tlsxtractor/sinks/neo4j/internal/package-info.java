/** The connector's inner parts: record-to-graph mapping and the batched, retried writer. Not for other modules. */
package io.tlsxtractor.sinks.neo4j.internal;
