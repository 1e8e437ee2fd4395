/**
 * Enrichment that the stream topologies call, kept free of Kafka so that it can be tested and reused alone.
 *
 * <ul>
 *   <li>{@link io.tlsxtractor.enrichment.DnsEnricher}: asynchronous forward resolution (A, AAAA, CNAME chain)
 *       of discovered domains through dnsjava, with a TTL-respecting bounded cache, a token-bucket rate limit
 *       and a bound on in-flight resolutions. Failure is data: every answer carries a
 *       {@link io.tlsxtractor.enrichment.DnsStatus}, and the returned future never completes exceptionally.</li>
 *   <li>{@link io.tlsxtractor.enrichment.CertificateAnalyzer}: builds the chain a server presented (in any
 *       order), verifies each signature against its issuer with Bouncy Castle, finds the trust anchor and
 *       returns {@link io.tlsxtractor.enrichment.CertificateFlag flags} and
 *       {@link io.tlsxtractor.enrichment.Finding findings}; the topology turns each finding into a
 *       {@code vulnerability.detected} event.</li>
 * </ul>
 */
package io.tlsxtractor.enrichment;
