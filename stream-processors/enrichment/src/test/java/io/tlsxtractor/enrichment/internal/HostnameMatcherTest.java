package io.tlsxtractor.enrichment.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 6125 host name matching as {@link HostnameMatcher} applies it. */
class HostnameMatcherTest {

    private static boolean dns(String host, String... sans) {
        return HostnameMatcher.matches(host, List.of(sans), List.of(), List.of());
    }

    @Test
    void wildcardCoversExactlyOneNonEmptyLeftMostLabel() {
        assertThat(dns("api.example.com", "*.example.com")).isTrue();
        assertThat(dns("a.b.example.com", "*.example.com")).isFalse();
        assertThat(dns("example.com", "*.example.com")).isFalse();
        assertThat(dns(".example.com", "*.example.com")).isFalse();
    }

    @Test
    void wildcardNeedsTwoLabelsAfterItAndMustBeAWholeLabel() {
        assertThat(dns("example.com", "*.com")).isFalse();
        assertThat(dns("foo.example.com", "f*.example.com")).isFalse();
        assertThat(dns("foo.example.com", "*.*.com")).isFalse();
    }

    @Test
    void comparisonIgnoresCaseTrailingDotAndUnicodeForm() {
        assertThat(dns("WWW.Example.COM.", "www.example.com")).isTrue();
        assertThat(dns("bücher.example.com", "xn--bcher-kva.example.com")).isTrue();
        assertThat(dns("www.example.com", "example.com")).isFalse();
    }

    @Test
    void commonNameIsUsedOnlyWithoutAnySan() {
        assertThat(HostnameMatcher.matches("host.test", List.of(), List.of(), List.of("host.test"))).isTrue();
        assertThat(HostnameMatcher.matches("host.test", List.of("other.test"), List.of(), List.of("host.test"))).isFalse();
        assertThat(HostnameMatcher.matches("host.test", List.of(), List.of("10.0.0.1"), List.of("host.test"))).isFalse();
    }

    @Test
    void ipAddressesMatchIpSansNotDnsNames() {
        assertThat(HostnameMatcher.matches("10.0.0.1", List.of("10.0.0.1"), List.of(), List.of())).isFalse();
        assertThat(HostnameMatcher.matches("10.0.0.1", List.of(), List.of("10.0.0.1"), List.of())).isTrue();
        assertThat(HostnameMatcher.matches("[2001:db8::1]", List.of(), List.of("2001:db8:0:0:0:0:0:1"), List.of())).isTrue();
        assertThat(HostnameMatcher.matches("10.0.0.2", List.of(), List.of("10.0.0.1"), List.of())).isFalse();
    }
}
