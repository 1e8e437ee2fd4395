/**
 * The TLS probe engine: turns a target (IP, port, optional SNI) into a {@link io.tlsxtractor.probe.ProbeOutcome}
 * (status and 1.x error taxonomy, protocol, cipher, ALPN, presented chain, parsed leaf, extracted names,
 * timings, optional HTTP page), asynchronously and within hard bounds on time, concurrency and rate.
 *
 * <p>Entry points: {@link io.tlsxtractor.probe.ProbeEngine} (built from
 * {@link io.tlsxtractor.probe.ProbeSettings}), {@link io.tlsxtractor.probe.SniPlanner} for the SNI
 * strategies, {@link io.tlsxtractor.probe.CertificateParser} for tolerant certificate parsing and
 * {@link io.tlsxtractor.probe.ErrorClassifier}, the one mapping from exceptions to error codes.
 */
package io.tlsxtractor.probe;
