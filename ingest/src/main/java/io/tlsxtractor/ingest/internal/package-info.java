/** Helpers of the ingest module (address arithmetic, checkpoint encoding, acknowledgement tracking) that other modules must not use. */
package io.tlsxtractor.ingest.internal;
