/**
 * The TLS probe engine: turns a target (IP, port, optional SNI) into a {@link io.tlsxtractor.probe.ProbeOutcome}
 * (status and 1.x error taxonomy, protocol, cipher, ALPN, presented chain, parsed leaf, extracted names,
 * timings, optional HTTP page), asynchronously and within hard bounds on time, concurrency and rate.
 *
 * <p>Entry points: {@link io.tlsxtractor.probe.ProbeEngine} (built from
 * {@link io.tlsxtractor.probe.ProbeSettings}), {@link io.tlsxtractor.probe.SniPlanner} for the SNI
 * strategies, {@link io.tlsxtractor.probe.CertificateParser} for tolerant certificate parsing and
 * {@link io.tlsxtractor.probe.ErrorClassifier}, the one mapping from exceptions to error codes.
 *
 * <p><b>Extractors and follow-up fetches.</b> The engine runs
 * {@link io.tlsxtractor.plugin.api.DomainExtractor}s on each successful handshake, with the page
 * ({@code GET} {@link io.tlsxtractor.probe.ProbeSettings#httpPath()}) when one of them
 * {@linkplain io.tlsxtractor.plugin.api.DomainExtractor#needsHttp() needs HTTP}. An extractor that
 * needs more responses than the page, such as the JavaScript extractor of the core plugins (the
 * scripts a page loads), is given them through a {@link io.tlsxtractor.probe.FollowUpFetcher},
 * passed to the engine beside the extractors: the fetcher names the URLs it wants from the page,
 * and the engine fetches those on the target's own origin (same address, SNI, scheme, host and
 * port; no redirects), bounded in count and bytes, within the target's deadline, and hands each
 * response back to the fetcher for its names. The engine depends on no plugin: the code that
 * wires it adapts the extractor, e.g. for {@code io.tlsxtractor.plugins.core.js.JsExtractor js}
 * (started):
 * <pre>{@code
 * new ProbeEngine(settings, List.of(certificates, js), List.of(FollowUpFetcher.of(js.name(),
 *         js.maxScripts(), js.maxScriptBytes(), js::scriptUrls, (url, script) -> js.extractFromScript(script))));
 * }</pre>
 * The script names carry source {@code js} and the script URL as detail; the outcome's
 * {@code follow_ups_fetched} and {@code follow_ups_failed} details count the fetches.
 */
package io.tlsxtractor.probe;
