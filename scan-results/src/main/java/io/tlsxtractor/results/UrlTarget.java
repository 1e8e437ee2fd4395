package io.tlsxtractor.results;

import java.util.List;
import java.util.Objects;

/**
 * A URL or hostname of the input and what its DNS resolution gave: one entry of the URL part of
 * {@code results} ({@code url}, {@code hostname}, {@code port}, {@code dns_status},
 * {@code resolved_ips}, then {@code connections} and, when resolution failed, {@code dns_error}).
 *
 * @param url the input as typed (the entry's {@code url} and its grouping key)
 * @param hostname the host name taken from it
 * @param port the port probed
 * @param dnsStatus 1.x {@code dns_status}: {@code success}, or the resolver's failure status
 * @param resolvedIps the addresses the name resolved to, in resolver order
 * @param dnsError the resolver's error text, or {@code null}
 */
public record UrlTarget(String url, String hostname, int port, String dnsStatus, List<String> resolvedIps, String dnsError) {
    /** The 1.x {@code dns_status} of a name that resolved. */
    public static final String DNS_SUCCESS = "success";

    public UrlTarget {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(dnsStatus, "dnsStatus");
        resolvedIps = List.copyOf(resolvedIps);
    }

    /** A URL whose host name resolved to {@code resolvedIps}. */
    public static UrlTarget resolved(String url, String hostname, int port, List<String> resolvedIps) {
        return new UrlTarget(url, hostname, port, DNS_SUCCESS, resolvedIps, null);
    }
}
