package io.tlsxtractor.plugins.core.csp;

import static io.tlsxtractor.plugins.core.testing.Responses.names;
import static io.tlsxtractor.plugins.core.testing.Responses.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.tlsxtractor.plugin.api.ExtractedName;
import io.tlsxtractor.plugin.api.ExtractionInput;
import io.tlsxtractor.plugin.api.PluginContext;
import io.tlsxtractor.plugin.api.PluginException;
import io.tlsxtractor.plugin.api.PluginSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The 1.x CSP rules (V1-COMPAT), both headers, settings, and bounded work on hostile headers. */
class CspExtractorTest {
    private static final String URL = "https://www.example.com/";

    private final CspExtractor extractor = new CspExtractor();

    private List<ExtractedName> extract(String... headerPairs) {
        return extractor.extract(response(URL, "", headerPairs));
    }

    private List<String> namesIn(String policy) {
        return names(extract(CspExtractor.HEADER, policy));
    }

    @Test
    void theV1ExamplesGiveDomains() {
        assertThat(namesIn("script-src *.example.com https://cdn.example.com:8443/path"))
                .containsExactly("*.example.com", "cdn.example.com");
    }

    @Test
    void keywordsNoncesHashesAndSchemesAloneAreSkipped() {
        assertThat(namesIn("default-src 'self' 'none' 'unsafe-inline' 'unsafe-eval' 'strict-dynamic'"
                + " 'unsafe-hashes' 'report-sample' 'wasm-unsafe-eval' 'nonce-r4nd0m=='"
                + " 'sha256-B2yPHKaXnvFWtRChIbabYmUBFZdVfKKXHbWtWidDVF8=' 'sha384-abc' 'sha512-def'"
                + " https: http: data: blob: mediastream: filesystem: wss: * api.example.org"))
                .containsExactly("api.example.org");
    }

    @Test
    void schemePortPathQueryAndUserInfoAreStrippedAndNamesLowerCased() {
        assertThat(namesIn("connect-src HTTPS://API.Example.COM wss://ws.example.com:443 https://a.example.com:*"
                + " b.example.com:8080/x/y c.example.com/path?q=1 https://d.example.com#frag"
                + " https://user@e.example.com/ f.example.com."))
                .containsExactly("api.example.com", "ws.example.com", "a.example.com", "b.example.com",
                        "c.example.com", "d.example.com", "e.example.com", "f.example.com");
    }

    @Test
    void everyV1DirectiveIsReadAndTheDirectiveIsTheDetail() {
        StringBuilder policy = new StringBuilder();
        for (String directive : CspExtractor.V1_DIRECTIVES) {
            policy.append(directive).append(' ').append(directive).append(".example.com; ");
        }
        List<ExtractedName> names = extract(CspExtractor.HEADER, policy.toString());
        assertThat(names).hasSize(14).allSatisfy(n -> {
            assertThat(n.source()).isEqualTo(ExtractedName.SOURCE_CSP);
            assertThat(n.detail()).contains(n.name().substring(0, n.name().indexOf(".example.com")));
        });
    }

    @Test
    void otherDirectivesAreNotRead() {
        assertThat(namesIn("report-uri https://report.example.com/csp; report-to https://r.example.com;"
                + " sandbox allow-scripts; base-uri https://base.example.com; navigate-to https://n.example.com;"
                + " img-src img.example.com")).containsExactly("img.example.com");
    }

    @Test
    void directiveNamesAreCaseInsensitiveAndWhitespaceIsAnyAsciiSpace() {
        assertThat(namesIn("  SCRIPT-SRC\tone.example.com\n two.example.com  ;;IMG-src   three.example.com  "))
                .containsExactly("one.example.com", "two.example.com", "three.example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "https://192.168.1.1:8443/x", "[2001:db8::1]", "https://[2001:db8::1]:443",
            "10.0.0.1:80", "localhost", "https://localhost:3000", "*", "https://*", "*.", "bad_host.example.com",
            "-bad.example.com", "mailto:someone@example.com", "data:image/png;base64,AAAA"})
    void ipLiteralsAndNonHostnamesAreNotDomains(String source) {
        assertThat(namesIn("default-src " + source)).isEmpty();
    }

    @Test
    void namesAreDeduplicatedKeepingTheFirstDirective() {
        List<ExtractedName> names = extract(CspExtractor.HEADER,
                "script-src cdn.example.com https://CDN.example.com/a; style-src cdn.example.com other.example.com");
        assertThat(names).extracting(ExtractedName::name, n -> n.detail().orElseThrow())
                .containsExactly(tuple("cdn.example.com", "script-src"), tuple("other.example.com", "style-src"));
    }

    @Test
    void everyInstanceOfBothHeadersAndEveryCommaSeparatedPolicyIsRead() {
        List<ExtractedName> names = extract(
                CspExtractor.HEADER, "script-src one.example.com",
                "content-security-policy", "img-src two.example.com, connect-src three.example.com",
                CspExtractor.REPORT_ONLY_HEADER, "frame-src four.example.com",
                "CONTENT-SECURITY-POLICY-REPORT-ONLY", "font-src five.example.com",
                "X-Content-Security-Policy", "script-src legacy.example.com");
        assertThat(names(names)).containsExactly(
                "one.example.com", "two.example.com", "three.example.com", "four.example.com", "five.example.com");
    }

    @Test
    void internationalisedNamesAreGivenInAsciiForm() {
        assertThat(namesIn("img-src https://bücher.example")).containsExactly("xn--bcher-kva.example");
    }

    @Test
    void noHttpResponseMeansNoNames() {
        assertThat(extractor.extract(ExtractionInput.builder("192.0.2.1", 443).build())).isEmpty();
        assertThat(extractor.needsHttp()).isTrue();
    }

    @Test
    void extractReadsTheResponseOfTheInput() {
        ExtractionInput input = ExtractionInput.builder("192.0.2.1", 443).sni("www.example.com")
                .http(response(URL, "", CspExtractor.HEADER, "script-src js.example.com")).build();
        assertThat(extractor.extract(input)).containsExactly(
                new ExtractedName("js.example.com", "csp", Optional.of("script-src")));
    }

    @Test
    void settingsChooseDirectivesReportOnlyAndBounds() {
        extractor.start(context(Map.of("directives", "Img-Src", "report_only", "false", "max_names", "2")));
        assertThat(names(extract(
                CspExtractor.HEADER, "script-src s.example.com; img-src a.example.com b.example.com c.example.com",
                CspExtractor.REPORT_ONLY_HEADER, "img-src r.example.com")))
                .containsExactly("a.example.com", "b.example.com");
    }

    @Test
    void maxHeaderCharsCutsTheTextRead() {
        extractor.start(context(Map.of("max_header_chars", "40")));
        // The budget covers all headers together: the second header is not read at all.
        assertThat(names(extract(
                CspExtractor.HEADER, "script-src a.example.com b.example.com c.example.com",
                CspExtractor.HEADER, "script-src d.example.com")))
                .containsExactly("a.example.com", "b.example.com");
    }

    @Test
    void invalidSettingsAreRefusedAtStartNamingTheKey() {
        assertThatThrownBy(() -> extractor.start(context(Map.of("directives", "script src", "max_names", "0"))))
                .isInstanceOfSatisfying(PluginException.class, e -> assertThat(e.problems()).containsExactly(
                        "plugin csp-extractor: directives: \"script src\" is not a CSP directive name"
                                + " (letters, digits and '-', such as script-src)",
                        "plugin csp-extractor: max_names: must be at least 1, got 0"));
    }

    /*
     * Hostile input: the limits below are generous guards against super-linear behaviour (a
     * backtracking regex would take minutes or hours on these), not a benchmark.
     */

    @Test
    void aOneMegabyteHeaderOfSourcesIsReadInLinearTimeAndCappedByMaxNames() {
        StringBuilder policy = new StringBuilder("script-src");
        for (int i = 0; policy.length() < 1_048_576; i++) {
            policy.append(" https://h").append(i).append(".example.com:443/p 'nonce-").append(i).append("'");
        }
        List<ExtractedName> names = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> extract(CspExtractor.HEADER, policy.toString()));
        assertThat(names).hasSize(1000);
        assertThat(names.get(999).name()).isEqualTo("h999.example.com");
    }

    @Test
    void malformedOneMegabyteHeadersFinishWithoutNames() {
        List<String> hostile = List.of(
                ";".repeat(1_048_576),
                ",".repeat(1_048_576),
                "script-src " + "a".repeat(1_048_576),
                "script-src " + "a.".repeat(524_288),
                "script-src " + "'".repeat(1_048_576),
                "script-src " + "https://".repeat(131_072),
                "script-src " + ":".repeat(1_048_576),
                "script-src " + "*.".repeat(524_288),
                "img-src " + "\u0000\u00ff".repeat(524_288));
        for (String policy : hostile) {
            List<ExtractedName> names = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> extract(CspExtractor.HEADER, policy, CspExtractor.REPORT_ONLY_HEADER, policy));
            assertThat(names).as(policy.substring(0, 20)).isEmpty();
        }
    }

    private static PluginContext context(Map<String, String> settings) {
        CspExtractor plugin = new CspExtractor();
        assertThat(plugin.configSchema().validate(plugin.name(), settings)).isEmpty();
        return PluginContext.of(PluginSettings.of(plugin.name(), plugin.configSchema(), settings));
    }
}
