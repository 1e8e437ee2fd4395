/**
 * Helpers of the local stack (ports, Java runtimes, child processes, service artifacts, the Kafka
 * node layout, the stack record): not for use outside this module.
 */
package io.tlsxtractor.localstack.internal;
