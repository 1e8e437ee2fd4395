package io.tlsxtractor.results;

import static io.tlsxtractor.results.Fixtures.name;
import static org.assertj.core.api.Assertions.assertThat;

import io.tlsxtractor.plugin.api.PluginException;
import io.tlsxtractor.schemas.avro.ExtractedName;
import io.tlsxtractor.schemas.avro.NameSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** discovered_hosts: the Public Suffix List split, wildcards, validity, filters and the new_* lists. */
class DiscoveredHostsTest {

    private static V1Document scan(HostFilters filters, List<String> input, String... sans) {
        ResultsDocument doc = ResultsDocument.create(ScanMetadata.builder(ScanMode.IP_SCAN)
                .v1Parameters("10.0.0.1/32", 443, 5, 50, 3).scanTimestamp(Instant.EPOCH).inputHostnames(input).build(),
                filters);
        ExtractedName[] names = new ExtractedName[sans.length];
        for (int i = 0; i < sans.length; i++) {
            names[i] = name(sans[i], NameSource.SAN);
        }
        doc.add(Fixtures.success("10.0.0.1", 443, null, names).build());
        return doc.finish(Duration.ofSeconds(1));
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(V1Document d, String key) {
        return (List<String>) d.discoveredHosts().get(key);
    }

    @Test
    void registrableDomainsFollowTheIcannSectionOfThePublicSuffixList() {
        V1Document d = scan(HostFilters.none(), List.of(),
                "a.b.example.co.uk", "example.co.uk", "x.github.io", "github.io", "www.example.com.au");
        assertThat(list(d, "tlds")).as("github.io is a private-section suffix: with ICANN rules it is registrable")
                .containsExactly("example.co.uk", "example.com.au", "github.io");
        assertThat(list(d, "hostnames")).containsExactly("a.b.example.co.uk", "www.example.com.au", "x.github.io");
    }

    @Test
    void wildcardsAreListedAndTheirRegistrableDomainCounted() {
        V1Document d = scan(HostFilters.none(), List.of(), "*.co.uk", "*.shop.example.co.uk", "*.example.org");
        assertThat(list(d, "wildcards")).containsExactly("*.co.uk", "*.example.org", "*.shop.example.co.uk");
        assertThat(list(d, "tlds")).as("*.co.uk covers no single registrable domain: co.uk is a public suffix")
                .containsExactly("example.co.uk", "example.org");
        assertThat(list(d, "hostnames")).isEmpty();
    }

    @Test
    void punycodeNamesAreHostnamesAndUnicodeOrInvalidNamesAreDroppedButStayInTheResult() {
        V1Document d = scan(HostFilters.none(), List.of(),
                "www.xn--mnchen-3ya.de", "münchen.de", "bad_name.example.org", "-lead.example.org", "localhost",
                "a..b.com", "10.0.0.1", "Mixed.Case.EXAMPLE.net.");
        assertThat(list(d, "hostnames")).containsExactly("mixed.case.example.net", "www.xn--mnchen-3ya.de");
        assertThat(list(d, "tlds")).containsExactly("example.net", "xn--mnchen-3ya.de");
        assertThat(d.allResults().get(0).get("domains")).as("the per-result list keeps every name as found")
                .asList().contains("münchen.de", "bad_name.example.org", "-lead.example.org", "localhost", "10.0.0.1");
    }

    @Test
    void publicSuffixAloneOrUnknownSuffixIsAHostnameWithoutRegistrableDomain() {
        V1Document d = scan(HostFilters.none(), List.of(), "co.uk", "printer.corp.internal");
        assertThat(list(d, "hostnames")).containsExactly("co.uk", "printer.corp.internal");
        assertThat(list(d, "tlds")).isEmpty();
    }

    @Test
    void defaultExclusionsDropCdnNamesAndCountThem() {
        V1Document d = scan(HostFilters.v1(true, List.of(), List.of()), List.of(),
                "cdn.cloudflare.com", "cloudflare.com", "d1.cloudfront.net", "notcloudflare.com", "www.example.com");
        assertThat(list(d, "hostnames")).containsExactly("www.example.com");
        assertThat(list(d, "tlds")).containsExactly("example.com", "notcloudflare.com");
        assertThat(d.discoveredHosts().get("filtered_count")).isEqualTo(3);
        assertThat(((Map<?, ?>) d.metadata().get("statistics")).get("domains_filtered")).isEqualTo(3);
        assertThat(d.allResults().get(0).get("domains")).asList().contains("cdn.cloudflare.com");
    }

    @Test
    void withoutAnyFilterTheFilterCountsAreAbsent() {
        V1Document d = scan(HostFilters.v1(false, List.of(), List.of()), List.of(), "cdn.cloudflare.com");
        assertThat(list(d, "hostnames")).containsExactly("cdn.cloudflare.com");
        assertThat(d.discoveredHosts()).doesNotContainKey("filtered_count");
        assertThat(((Map<?, ?>) d.metadata().get("statistics")).containsKey("domains_filtered")).isFalse();
    }

    @Test
    void includeListKeepsOnlyItsDomainsAndSubdomains() {
        V1Document d = scan(HostFilters.v1(false, List.of("example.com"), List.of()), List.of(),
                "www.example.com", "example.com", "www.example.org", "*.example.com");
        assertThat(list(d, "hostnames")).containsExactly("www.example.com");
        assertThat(list(d, "wildcards")).containsExactly("*.example.com");
        assertThat(d.discoveredHosts().get("filtered_count")).isEqualTo(1);
    }

    @Test
    void excludeListDropsItsDomainsAndSubdomainsOnTopOfTheDefaults() {
        V1Document d = scan(HostFilters.v1(true, List.of(), List.of("internal.example.com")), List.of(),
                "a.internal.example.com", "www.example.com", "fonts.gstatic.com");
        assertThat(list(d, "hostnames")).containsExactly("www.example.com");
        assertThat(d.discoveredHosts().get("filtered_count")).isEqualTo(2);
    }

    @Test
    void includeAndExcludeTogetherAreRefused() {
        Assertions.assertThatThrownBy(() -> HostFilters.v1(false, List.of("a.com"), List.of("b.com")))
                .isInstanceOf(PluginException.class).hasMessageContaining("include and exclude cannot be used together");
    }

    @Test
    void newNamesAreThoseNotInTheInputNorUnderAnInputRegistrableDomain() {
        V1Document d = scan(HostFilters.none(), List.of("www.example.com"),
                "www.example.com", "api.example.com", "example.com", "cdn.other.net");
        assertThat(list(d, "new_hostnames")).containsExactly("api.example.com", "cdn.other.net");
        assertThat(list(d, "new_tlds")).as("example.com is the input's registrable domain").containsExactly("other.net");
        assertThat(d.discoveredHosts().get("total_new_hostnames")).isEqualTo(2);
        assertThat(d.discoveredHosts().get("total_new_tlds")).isEqualTo(1);
    }

    @Test
    void sourceBreakdownCountsDistinctNamesPerSource() {
        ResultsDocument doc = ResultsDocument.create(Fixtures.ipMetadata(), HostFilters.none());
        doc.add(Fixtures.success("10.0.0.1", 443, null, name("a.example.com", NameSource.SAN),
                name("A.example.com", NameSource.SAN), name("a.example.com", NameSource.CN),
                name("x.example.com", NameSource.CSP),
                new ExtractedName("y.example.com", NameSource.PLUGIN, "dns-enricher")).build());
        doc.add(Fixtures.success("10.0.0.2", 443, null, name("a.example.com", NameSource.SAN)).build());
        V1Document d = doc.finish(Duration.ofSeconds(1));
        assertThat(d.discoveredHosts().get("source_breakdown"))
                .isEqualTo(Map.of("san", 1, "cn", 1, "csp", 1, "dns-enricher", 1));
        assertThat(d.allResults().get(0).get("domain_sources")).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsKey("dns-enricher");
    }
}
