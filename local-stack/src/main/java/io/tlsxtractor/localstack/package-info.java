/**
 * Starts the real local services TLSXtractor runs on: a single-node Apache Kafka broker (in process
 * for tests, or as a child JVM for user-facing runs), the Apicurio schema registry with its
 * Confluent-compatible API, and the detached developer stack behind {@code tlsxtractor dev up}.
 *
 * <p>Everything binds to 127.0.0.1 only. Child processes are stopped by their PID.
 */
package io.tlsxtractor.localstack;
