/** Netty plumbing of the probe engine: connection handlers, TLS contexts, permits. Not an API. */
package io.tlsxtractor.probe.internal;
