/** Helpers of the schemas module that other modules must not use. */
package io.tlsxtractor.schemas.internal;
