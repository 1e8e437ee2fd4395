package io.tlsxtractor.plugins.core.names;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Matching names against domain rules: domain + subdomains, subdomains only, label-wise. */
class DomainSuffixSetTest {
    private final DomainSuffixSet set = DomainSuffixSet.of(List.of("Cloudflare.com.", "*.cdn.example.org"));

    @Test
    void aDomainRuleCoversTheDomainAndItsSubdomains() {
        assertThat(set.match("cloudflare.com")).map(DomainSuffixSet.Rule::pattern).contains("cloudflare.com");
        assertThat(set.matches("cdnjs.cloudflare.com")).isTrue();
        assertThat(set.matches("a.b.c.cloudflare.com")).isTrue();
        assertThat(set.matches("CDNJS.CloudFlare.COM.")).isTrue();
    }

    @Test
    void matchingIsLabelWise() {
        assertThat(set.matches("notcloudflare.com")).isFalse();
        assertThat(set.matches("cloudflare.com.evil.net")).isFalse();
        assertThat(set.matches("com")).isFalse();
        assertThat(set.matches("cloudflare.co")).isFalse();
    }

    @Test
    void aWildcardRuleCoversOnlySubdomains() {
        assertThat(set.matches("cdn.example.org")).isFalse();
        assertThat(set.matches("img.cdn.example.org")).isTrue();
        assertThat(set.matches("a.img.cdn.example.org")).isTrue();
        assertThat(set.matches("example.org")).isFalse();
        assertThat(set.match("x.cdn.example.org")).map(DomainSuffixSet.Rule::pattern).contains("*.cdn.example.org");
    }

    @Test
    void aWildcardNameMatchesTheRulesItsSubdomainsWould() {
        assertThat(set.matches("*.cloudflare.com")).isTrue();
        assertThat(set.matches("*.cdn.example.org")).isTrue();
        assertThat(set.matches("*.x.cdn.example.org")).isTrue();
        assertThat(set.matches("*.example.org")).isFalse();
        assertThat(set.matches("*.notcloudflare.com")).isFalse();
    }

    @Test
    void theMostSpecificRuleIsReportedWithItsOrigin() {
        DomainSuffixSet s = DomainSuffixSet.builder()
                .add("example.com", "list.txt:1")
                .add("a.example.com", "list.txt:2")
                .add("example.com", "list.txt:3")
                .build();
        assertThat(s.size()).isEqualTo(2);
        assertThat(s.match("x.a.example.com")).map(DomainSuffixSet.Rule::describe).contains("a.example.com (list.txt:2)");
        assertThat(s.match("b.example.com")).map(DomainSuffixSet.Rule::describe).contains("example.com (list.txt:1)");
    }

    @Test
    void anInvalidRuleIsRefusedWithItsOrigin() {
        assertThatThrownBy(() -> DomainSuffixSet.builder().add("not a domain", "exclude.txt:7"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("\"not a domain\" (exclude.txt:7) is not a domain name or *.domain");
        assertThatThrownBy(() -> DomainSuffixSet.of(List.of("localhost"))).hasMessageContaining("\"localhost\"");
    }

    @Test
    void theEmptySetMatchesNothing() {
        assertThat(DomainSuffixSet.empty().matches("example.com")).isFalse();
        assertThat(DomainSuffixSet.empty().isEmpty()).isTrue();
    }
}
