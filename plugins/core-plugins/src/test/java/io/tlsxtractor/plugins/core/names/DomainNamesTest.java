package io.tlsxtractor.plugins.core.names;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsxtractor.plugins.core.names.DomainNames.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The 1.x host name rule, normalisation, wildcards, label-wise subdomains and IP literals. */
class DomainNamesTest {

    @Test
    void normalizeLowerCasesTrimsAndRemovesOneTrailingDot() {
        assertThat(DomainNames.normalize(" WWW.Example.COM. ")).isEqualTo("www.example.com");
        assertThat(DomainNames.normalize("*.Example.com")).isEqualTo("*.example.com");
        assertThat(DomainNames.normalize("example.com")).isEqualTo("example.com");
    }

    @Test
    void normalizeIgnoresTheDefaultLocale() {
        java.util.Locale previous = java.util.Locale.getDefault();
        java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr"));
        try {
            // In Turkish, "I".toLowerCase() is a dotless i; host names must not depend on that.
            assertThat(DomainNames.normalize("MAIL.ISTANBUL.COM")).isEqualTo("mail.istanbul.com");
        } finally {
            java.util.Locale.setDefault(previous);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "www.example.com", "a.b", "xn--bcher-kva.de", "a-b.c-d.com",
            "1.example.com", "EXAMPLE.com", "x1.co"})
    void validHostnames(String name) {
        assertThat(DomainNames.classify(name)).isEqualTo(Kind.HOSTNAME);
        assertThat(DomainNames.isValidHostname(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "", ".", ".example.com", "example.com.", "example..com", "-a.com", "a-.com",
            "exa_mple.com", "exa mple.com", "*", "*.", "*.com.", "a.*.com", "**.example.com", "ex*ample.com",
            "bücher.de", "example.com/path", "example.com:443"})
    void invalidNames(String name) {
        assertThat(DomainNames.classify(name)).isEqualTo(Kind.INVALID);
        assertThat(DomainNames.isValid(name)).isFalse();
    }

    @Test
    void labelsUpTo63CharactersAndNamesUpTo253() {
        String label63 = "a".repeat(63);
        assertThat(DomainNames.isValid(label63 + ".com")).isTrue();
        assertThat(DomainNames.isValid("a" + label63 + ".com")).isFalse();
        String name253 = (label63 + ".").repeat(3) + "a".repeat(61);
        assertThat(name253).hasSize(253);
        assertThat(DomainNames.isValid(name253)).isTrue();
        assertThat(DomainNames.isValid(name253 + "a")).isFalse();
    }

    @Test
    void aWildcardPrefixIsAllowedAndReported() {
        assertThat(DomainNames.classify("*.example.com")).isEqualTo(Kind.WILDCARD);
        assertThat(DomainNames.classify("*.example.com").valid()).isTrue();
        assertThat(DomainNames.isValidHostname("*.example.com")).isFalse();
        assertThat(DomainNames.isWildcard("*.example.com")).isTrue();
        assertThat(DomainNames.withoutWildcard("*.example.com")).isEqualTo("example.com");
        assertThat(DomainNames.withoutWildcard("example.com")).isEqualTo("example.com");
    }

    @ParameterizedTest
    @CsvSource({
            "a.example.com, example.com, true",
            "a.b.example.com, example.com, true",
            "A.EXAMPLE.com, example.COM, true",
            "example.com, example.com, false",
            "notexample.com, example.com, false",
            "a.notexample.com, example.com, false",
            "example.com.evil.net, example.com, false",
            "com, example.com, false",
            "*.example.com, example.com, true",
            "*.a.example.com, example.com, true",
            "*.example.com, a.example.com, false",
            "*.notexample.com, example.com, false",
    })
    void isSubdomainOfIsLabelWise(String name, String parent, boolean expected) {
        assertThat(DomainNames.isSubdomainOf(name, parent)).isEqualTo(expected);
    }

    @Test
    void isSameOrSubdomainOfIncludesTheDomainItself() {
        assertThat(DomainNames.isSameOrSubdomainOf("cloudflare.com", "cloudflare.com")).isTrue();
        assertThat(DomainNames.isSameOrSubdomainOf("cdnjs.cloudflare.com", "cloudflare.com")).isTrue();
        assertThat(DomainNames.isSameOrSubdomainOf("notcloudflare.com", "cloudflare.com")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "192.168.1.254", "1.2.3.4", "10.1", "[2001:db8::1]", "2001:db8::1", "::1",
            "fe80::1%eth0"})
    void ipLiterals(String text) {
        assertThat(DomainNames.isIpLiteral(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "1.2.3.example", "123.com", "10", "abc", "a:b", "[example.com]", ""})
    void notIpLiterals(String text) {
        assertThat(DomainNames.isIpLiteral(text)).isFalse();
    }

    @Test
    void topLevelLabel() {
        assertThat(DomainNames.topLevelLabel("www.example.co.uk")).isEqualTo("uk");
        assertThat(DomainNames.topLevelLabel("localhost")).isEqualTo("localhost");
    }
}
