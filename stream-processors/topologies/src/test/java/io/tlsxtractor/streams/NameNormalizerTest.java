package io.tlsxtractor.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsxtractor.streams.NameNormalizer.Accepted;
import io.tlsxtractor.streams.NameNormalizer.Rejected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NameNormalizerTest {

    private static Accepted accepted(String raw) {
        NameNormalizer.Outcome outcome = NameNormalizer.normalize(raw);
        assertThat(outcome).as("outcome for '%s'", raw).isInstanceOf(Accepted.class);
        return (Accepted) outcome;
    }

    private static DropReason rejected(String raw) {
        NameNormalizer.Outcome outcome = NameNormalizer.normalize(raw);
        assertThat(outcome).as("outcome for '%s'", raw).isInstanceOf(Rejected.class);
        return ((Rejected) outcome).reason();
    }

    @Test
    void lowerCasesAndRemovesOneTrailingDot() {
        Accepted a = accepted("WWW.Example.COM.");
        assertThat(a.domain()).isEqualTo("www.example.com");
        assertThat(a.registrableDomain()).isEqualTo("example.com");
        assertThat(a.wildcard()).isFalse();
        assertThat(a.base()).isEqualTo("www.example.com");
    }

    @Test
    void internationalisedNamesBecomePunycodeAndKeepTheirUnicodeForm() {
        Accepted a = accepted("Bücher.Example.DE");
        assertThat(a.domain()).isEqualTo("xn--bcher-kva.example.de");
        assertThat(a.unicode()).isEqualTo("bücher.example.de");
        assertThat(a.registrableDomain()).isEqualTo("example.de");
        Accepted alreadyPunycode = accepted("xn--bcher-kva.de");
        assertThat(alreadyPunycode.unicode()).isEqualTo("bücher.de");
        assertThat(alreadyPunycode.registrableDomain()).isEqualTo("xn--bcher-kva.de");
    }

    @Test
    void wildcardIsKeptWithItsBase() {
        Accepted a = accepted("*.Example.com");
        assertThat(a.domain()).isEqualTo("*.example.com");
        assertThat(a.wildcard()).isTrue();
        assertThat(a.base()).isEqualTo("example.com");
        assertThat(a.registrableDomain()).isEqualTo("example.com");
    }

    @Test
    void registrableDomainUsesOnlyTheIcannSectionOfThePublicSuffixList() {
        // github.io is a private-section suffix: 1.x (and the ICANN section) make github.io the registrable domain.
        assertThat(accepted("user.github.io").registrableDomain()).isEqualTo("github.io");
        assertThat(accepted("github.io").registrableDomain()).isEqualTo("github.io");
        assertThat(accepted("a.b.example.co.uk").registrableDomain()).isEqualTo("example.co.uk");
        // A name under no known suffix is kept, without a registrable domain.
        assertThat(accepted("printer.corp.internal").registrableDomain()).isNull();
    }

    @Test
    void aPublicSuffixOrAWildcardOverOneIsNotADomain() {
        assertThat(rejected("co.uk")).isEqualTo(DropReason.PUBLIC_SUFFIX);
        assertThat(rejected("*.co.uk")).isEqualTo(DropReason.PUBLIC_SUFFIX);
        assertThat(rejected("*.com")).isEqualTo(DropReason.SINGLE_LABEL);
    }

    @Test
    void underscoresAreAllowedInSubdomainsButNotInTheRegistrablePart() {
        assertThat(accepted("_dmarc.example.com").registrableDomain()).isEqualTo("example.com");
        assertThat(accepted("my_host.example.com").domain()).isEqualTo("my_host.example.com");
        assertThat(rejected("www.my_company.com")).isEqualTo(DropReason.UNDERSCORE_IN_REGISTRABLE);
    }

    @ParameterizedTest(name = "[{index}] ''{0}'' → {1}")
    @CsvSource(delimiter = '|', value = {
        "''|EMPTY",
        "'   '|EMPTY",
        "my host.example.com|WHITESPACE",
        "localhost|SINGLE_LABEL",
        "10.0.0.1|IP_LITERAL",
        "[2001:db8::1]|IP_LITERAL",
        "2001:db8::1|IP_LITERAL",
        "a.*.example.com|INVALID_WILDCARD",
        "*|INVALID_WILDCARD",
        "foo*.example.com|INVALID_WILDCARD",
        "-bad.example.com|INVALID_LABEL",
        "a..example.com|INVALID_LABEL",
        "exa$mple.com|INVALID_CHARACTER",
    })
    void invalidNamesAreDroppedWithTheirReason(String raw, DropReason reason) {
        assertThat(rejected(raw)).isEqualTo(reason);
    }

    @Test
    void controlCharactersAreRejected() {
        assertThat(rejected("evil.example.com\u0000")).isEqualTo(DropReason.CONTROL_CHARACTER);
        assertThat(rejected("evil\n.example.com")).isEqualTo(DropReason.CONTROL_CHARACTER);
        assertThat(rejected("evil\u0085.example.com")).isEqualTo(DropReason.CONTROL_CHARACTER);
    }

    @Test
    void overlongNamesAreRejected() {
        assertThat(rejected("a".repeat(10_000) + ".com")).isEqualTo(DropReason.TOO_LONG);
        String label = "a".repeat(60);
        String name254 = String.join(".", label, label, label, label) + ".com"; // 4*60+3+4 = 247
        assertThat(accepted(name254).domain()).hasSize(247);
        assertThat(rejected(name254 + "abcdefg")).isEqualTo(DropReason.TOO_LONG);
        assertThat(rejected("a".repeat(64) + ".com")).isEqualTo(DropReason.INVALID_LABEL);
    }

    @Test
    void neverThrowsOnNull() {
        assertThat(rejected(null)).isEqualTo(DropReason.EMPTY);
    }
}
