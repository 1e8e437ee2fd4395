/** Internals of the ClickHouse connector: table mappings, RowBinary encoding, error classification, batching. */
package io.tlsxtractor.sinks.clickhouse.internal;
