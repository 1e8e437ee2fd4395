package io.tlsxtractor.plugins.core.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlsxtractor.plugin.api.FilterContext;
import io.tlsxtractor.plugin.api.FilterDecision;
import io.tlsxtractor.plugin.api.PluginContext;
import io.tlsxtractor.plugin.api.PluginException;
import io.tlsxtractor.plugin.api.PluginSettings;
import io.tlsxtractor.plugins.core.names.DomainNames;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The 1.x built-in exclusion list: its entries, label-wise matching, and the extra/keep settings. */
class DefaultExclusionsFilterTest {
    private static final FilterContext CONTEXT =
            new FilterContext("csp", "192.0.2.1", 443, Optional.of("www.example.com"), Optional.empty());

    private final DefaultExclusionsFilter filter = new DefaultExclusionsFilter();

    @Test
    void theListStartsWithThe1xEntriesInOrder() {
        assertThat(DefaultExclusionsFilter.builtInList()).startsWith(
                "cloudflare.com", "cloudfront.net", "akamai.net", "akamaiedge.net", "fastly.net", "googleapis.com",
                "gstatic.com", "google-analytics.com", "doubleclick.net", "googletagmanager.com", "facebook.com",
                "fbcdn.net", "jsdelivr.net", "unpkg.com", "bootstrapcdn.com", "jquery.com");
        assertThat(DefaultExclusionsFilter.builtInList()).hasSizeGreaterThan(100)
                .doesNotHaveDuplicates()
                .allSatisfy(d -> assertThat(DomainNames.isValidHostname(d)).as(d).isTrue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cloudflare.com", "cdnjs.cloudflare.com", "d111111abcdef8.cloudfront.net",
            "www.google-analytics.com", "fonts.googleapis.com", "fonts.gstatic.com", "connect.facebook.net",
            "code.jquery.com", "cdn.jsdelivr.net", "*.fbcdn.net", "STATIC.DOUBLECLICK.NET.", "www.w3.org"})
    void listedDomainsAndTheirSubdomainsAreDropped(String domain) {
        FilterDecision decision = filter.decide(domain, CONTEXT);
        assertThat(decision.dropped()).isTrue();
        assertThat(decision.reason().orElseThrow()).startsWith("default exclusion ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "notcloudflare.com", "cloudflare.com.example.net", "mycloudfront.net",
            "facebook.com-login.example", "*.example.com", "jquery.co"})
    void otherNamesAreKept(String domain) {
        assertThat(filter.decide(domain, CONTEXT).kept()).isTrue();
    }

    @Test
    void theReasonNamesTheListedDomain() {
        assertThat(filter.decide("a.b.akamaiedge.net", CONTEXT).reason())
                .contains("default exclusion akamaiedge.net");
    }

    @Test
    void extraAddsDomainsAndKeepTakesBuiltInOnesOut() {
        filter.start(context(Map.of("extra", "tracker.example, *.cdn.example.org", "keep", "Facebook.com")));
        assertThat(filter.decide("www.facebook.com", CONTEXT).kept()).isTrue();
        assertThat(filter.decide("fbcdn.net", CONTEXT).dropped()).isTrue();
        assertThat(filter.decide("a.tracker.example", CONTEXT).reason())
                .contains("default exclusion tracker.example (extra)");
        assertThat(filter.decide("cdn.example.org", CONTEXT).kept()).isTrue();
        assertThat(filter.decide("img.cdn.example.org", CONTEXT).dropped()).isTrue();
    }

    @Test
    void invalidExtraAndUnknownKeepEntriesAreAllReported() {
        assertThatThrownBy(() -> filter.start(context(Map.of("extra", "not a domain", "keep", "example.com"))))
                .isInstanceOfSatisfying(PluginException.class, e -> assertThat(e.problems()).containsExactly(
                        "plugin default-exclusions: keep: \"example.com\" is not on the built-in list",
                        "plugin default-exclusions: extra: \"not a domain\" (extra) is not a domain name or *.domain:"
                                + " expected labels of letters, digits and '-' separated by dots, such as example.com"
                                + " or *.example.com"));
    }

    private static PluginContext context(Map<String, String> settings) {
        DefaultExclusionsFilter plugin = new DefaultExclusionsFilter();
        assertThat(plugin.configSchema().validate(plugin.name(), settings)).isEmpty();
        return PluginContext.of(PluginSettings.of(plugin.name(), plugin.configSchema(), settings));
    }

    @Test
    void anUnstartedFilterUsesTheBuiltInList() {
        assertThat(List.of("cloudflare.com", "example.com").stream()
                .map(d -> new DefaultExclusionsFilter().decide(d, CONTEXT).kept()))
                .containsExactly(false, true);
    }
}
