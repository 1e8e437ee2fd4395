/**
 * Benchmarks of the probe engine, each printing a ratio against a reference measured in the same run:
 * {@link io.tlsxtractor.bench.HandshakeCpuBench} (CPU per handshake versus {@code openssl s_time}),
 * {@link io.tlsxtractor.bench.InternetScanBench} (scan rate and memory on an Internet-like lab in a
 * network namespace, versus a minimal Netty connector) and
 * {@link io.tlsxtractor.bench.CertificateParsingBench} (JMH: parsing and name extraction versus the
 * JDK's X.509 parser). See the module's README for the commands.
 */
package io.tlsxtractor.bench;
