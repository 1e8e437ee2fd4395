/** Process and REST plumbing of the Connect worker module; not for use by other modules. */
package io.tlsxtractor.sinks.connect.internal;
