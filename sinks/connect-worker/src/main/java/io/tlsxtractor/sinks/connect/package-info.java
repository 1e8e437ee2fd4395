/**
 * Runs a real Kafka Connect worker (standalone mode) with the project's sink connector plugins: in this JVM
 * ({@link io.tlsxtractor.sinks.connect.ConnectWorker}, what {@code tlsxtractor connect} runs) or as a child JVM
 * ({@link io.tlsxtractor.sinks.connect.ConnectWorkerProcess}, which tests can {@code kill -9} and restart).
 */
package io.tlsxtractor.sinks.connect;
