/**
 * Parsing helpers of the core plugins (list files, HTML and script scanners). Not part of any
 * contract: other modules must not use this package.
 */
package io.tlsxtractor.plugins.core.internal;
