/** Benchmarks of the scan command (mains that print figures; run by hand, see the README's "Benchmarks (scan)"). */
package io.tlsxtractor.command.bench;
