/** Helpers of the results module that other modules must not use: Python-compatible JSON, the Public Suffix List lookup. */
package io.tlsxtractor.results.internal;
