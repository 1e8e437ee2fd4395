package io.tlsxtractor.probe;

import io.tlsxtractor.plugin.api.ExtractedName;
import io.tlsxtractor.plugin.api.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The result of probing one target: the uniform envelope of success and failure. Immutable
 * (certificate bytes are copied in and out).
 *
 * @param target what was probed
 * @param sni the server name sent, {@code null} when none
 * @param status success or failure
 * @param error why it failed; {@code null} on success
 * @param tlsVersion negotiated protocol ({@code TLSv1.3}), {@code null} without handshake
 * @param cipherSuite negotiated cipher suite, {@code null} without handshake
 * @param alpn protocol chosen by ALPN ({@code h2}), {@code null} when none
 * @param chain the presented chain, leaf first, DER
 * @param chainSha256 SHA-256 hex of each certificate of {@link #chain()}
 * @param leaf the leaf certificate as parsed, {@code null} when none was presented
 * @param names names found by the extractors (and the SNI sent), with their source
 * @param timings durations of the steps
 * @param attempts attempts made (1 + retries)
 * @param successfulAttempt which attempt succeeded (1-based), {@code null} on failure
 * @param http the HTTP response when one was fetched, else {@code null}
 * @param httpError why the HTTP fetch failed after a good handshake, else {@code null}
 * @param extractorProblems extractors that threw, with the message (their names are missing)
 * @param details machine-readable facts about how the outcome was produced (the {@code DETAIL_}
 *     constants); never {@code null}
 */
public record ProbeOutcome(
        ProbeTarget target,
        String sni,
        ProbeStatus status,
        ProbeError error,
        String tlsVersion,
        String cipherSuite,
        String alpn,
        List<byte[]> chain,
        List<String> chainSha256,
        ParsedCertificate leaf,
        List<ExtractedName> names,
        Timings timings,
        int attempts,
        Integer successfulAttempt,
        HttpResponse http,
        ProbeError httpError,
        List<String> extractorProblems,
        Map<String, String> details) {

    /**
     * The TLS implementation whose connection the outcome reports: {@code OPENSSL} (BoringSSL) or
     * {@code JDK}. Set whenever a connection was attempted.
     */
    public static final String DETAIL_TLS_PROVIDER = "tls_provider";
    /**
     * Set when the handshake was retried on the JDK provider because BoringSSL and the server shared
     * no signature algorithm (Ed25519-only servers; see {@link TlsProvider#AUTO}): the provider that
     * failed first. {@link #DETAIL_TLS_FALLBACK_REASON} says why.
     */
    public static final String DETAIL_TLS_FALLBACK_FROM = "tls_fallback_from";
    /** The first provider's error code (and alert) that led to the fallback. */
    public static final String DETAIL_TLS_FALLBACK_REASON = "tls_fallback_reason";
    /** Follow-up responses fetched for {@link FollowUpFetcher}s (2xx, read), as a decimal count. */
    public static final String DETAIL_FOLLOW_UPS_FETCHED = "follow_ups_fetched";
    /** Follow-up URLs that did not load (error, deadline, non-2xx status), as a decimal count. */
    public static final String DETAIL_FOLLOW_UPS_FAILED = "follow_ups_failed";

    /** An outcome without details: the constructor of the first release, kept for callers of it. */
    public ProbeOutcome(ProbeTarget target, String sni, ProbeStatus status, ProbeError error, String tlsVersion,
                        String cipherSuite, String alpn, List<byte[]> chain, List<String> chainSha256,
                        ParsedCertificate leaf, List<ExtractedName> names, Timings timings, int attempts,
                        Integer successfulAttempt, HttpResponse http, ProbeError httpError,
                        List<String> extractorProblems) {
        this(target, sni, status, error, tlsVersion, cipherSuite, alpn, chain, chainSha256, leaf, names, timings,
                attempts, successfulAttempt, http, httpError, extractorProblems, Map.of());
    }

    public ProbeOutcome {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(timings, "timings");
        if (status == ProbeStatus.FAILED && error == null) {
            throw new IllegalArgumentException("a failed probe of " + target + " needs an error");
        }
        List<byte[]> copy = new ArrayList<>(chain.size());
        chain.forEach(c -> copy.add(c.clone()));
        chain = List.copyOf(copy);
        chainSha256 = List.copyOf(chainSha256);
        names = List.copyOf(names);
        extractorProblems = List.copyOf(extractorProblems);
        details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** Copies of the DER bytes, leaf first. */
    @Override
    public List<byte[]> chain() {
        List<byte[]> copy = new ArrayList<>(chain.size());
        chain.forEach(c -> copy.add(c.clone()));
        return copy;
    }

    public boolean succeeded() {
        return status == ProbeStatus.SUCCESS;
    }

    /** Attempts after the first ({@code retry_count}). */
    public int retryCount() {
        return Math.max(0, attempts - 1);
    }

    public ErrorCode errorCode() {
        return error == null ? null : error.code();
    }

    public ErrorCategory errorCategory() {
        return error == null ? null : error.category();
    }

    /** Distinct names per source ({@code domain_sources} of 1.x), sources in order of first appearance. */
    public Map<String, List<String>> namesBySource() {
        Map<String, Set<String>> by = new LinkedHashMap<>();
        for (ExtractedName n : names) {
            by.computeIfAbsent(n.source(), s -> new LinkedHashSet<>()).add(n.name());
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        by.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return out;
    }

    /** Distinct names of every source ({@code domains} of 1.x). */
    public List<String> domains() {
        Set<String> all = new LinkedHashSet<>();
        names.forEach(n -> all.add(n.name()));
        return List.copyOf(all);
    }

    @Override
    public String toString() {
        return "ProbeOutcome[" + target + ", " + status.wireName()
                + (error != null ? " " + error.code() + " (" + error.message() + ")" : " " + tlsVersion + " " + cipherSuite)
                + ", " + chain.size() + " certificates, " + names.size() + " names, attempts " + attempts + "]";
    }
}
