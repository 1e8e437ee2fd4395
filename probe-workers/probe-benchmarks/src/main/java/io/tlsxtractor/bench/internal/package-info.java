/** Process measurements, the lab child process and argument parsing shared by the benchmarks. */
package io.tlsxtractor.bench.internal;
