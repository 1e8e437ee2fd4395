package io.tlsxtractor.plugin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.tlsxtractor.plugin.api.testplugins.Lifecycle;
import io.tlsxtractor.plugin.api.testplugins.TestEnricher;
import io.tlsxtractor.plugin.api.testplugins.TestExtractor;
import io.tlsxtractor.plugin.api.testplugins.TestFilter;
import io.tlsxtractor.plugin.api.testplugins.TestLinesWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Discovery on the class path, enabling with settings, and the lifecycle of started plugins. */
class PluginRegistryTest {
    private static final Map<String, String> ENRICHER_SETTINGS = Map.of("api_key", "s3cret", "pin", "1234");

    @BeforeEach
    void clearLifecycle() {
        Lifecycle.clear();
    }

    @Test
    void discoversOnePluginOfEachKindDeclaredInMetaInfServices() {
        try (PluginRegistry registry = PluginRegistry.discover()) {
            assertThat(registry.available())
                    .extracting(PluginInfo::name, PluginInfo::version, PluginInfo::kind, PluginInfo::className)
                    .containsExactly(
                            tuple("test-extractor", "1.2.3", PluginKind.EXTRACTOR,
                                    TestExtractor.class.getName()),
                            tuple("test-filter", "0.1", PluginKind.FILTER,
                                    TestFilter.class.getName()),
                            tuple("test-enricher", "2.0", PluginKind.ENRICHER,
                                    TestEnricher.class.getName()),
                            tuple("test-lines", "0.0.1", PluginKind.OUTPUT,
                                    TestLinesWriter.class.getName()));
            assertThat(registry.available()).allSatisfy(info -> assertThat(info.origin()).startsWith("class path"));
            // Discovery alone starts nothing.
            assertThat(registry.started()).isEmpty();
            assertThat(Lifecycle.events()).isEmpty();
        }
    }

    @Test
    void theServicesFileIsWhatServiceLoaderReads() {
        assertThat(ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::type))
                .contains(TestExtractor.class, TestFilter.class, TestEnricher.class, TestLinesWriter.class);
    }

    @Test
    void aConfiguredPluginThatIsNotInstalledFailsListingWhatIsAvailable() {
        try (PluginRegistry registry = PluginRegistry.discover()) {
            assertThatThrownBy(() -> registry.enable(List.of("test-extractor", "foo"), Map.of()))
                    .isInstanceOf(PluginException.class)
                    .hasMessage("plugin \"foo\" is configured but not installed; available: "
                            + "test-enricher (enricher), test-extractor (extractor), test-filter (filter), "
                            + "test-lines (output)");
            assertThat(Lifecycle.events()).as("nothing is started when the configuration is wrong").isEmpty();
        }
    }

    @Test
    void severalMissingPluginsAreNamedTogether() {
        try (PluginRegistry registry = PluginRegistry.discover()) {
            assertThatThrownBy(() -> registry.enable(List.of("foo", "bar"), Map.of()))
                    .hasMessageStartingWith("plugins \"foo\", \"bar\" are configured but not installed; available: ");
        }
    }

    @Test
    void everySettingsProblemIsReportedAtOnce() {
        Map<String, Map<String, String>> settings = Map.of(
                "test-extractor", Map.of("max_names", "x", "colour", "blue"),
                "test-enricher", Map.of("timeout", "soon", "pin", "12ab"),
                "test-filtre", Map.of("exclude", "example.com"));
        try (PluginRegistry registry = PluginRegistry.discover()) {
            assertThatThrownBy(() -> registry.enable(
                    List.of("test-extractor", "test-enricher", "test-extractor"), settings))
                    .isInstanceOfSatisfying(PluginException.class, e -> {
                        assertThat(e.problems()).containsExactlyInAnyOrder(
                                "plugin \"test-extractor\" is configured twice",
                                "plugin \"test-filtre\": settings are given but no such plugin is installed",
                                "plugin test-extractor: colour: unknown setting; known settings: fail_on_start, max_names",
                                "plugin test-extractor: max_names: expected an integer, got \"x\"",
                                "plugin test-enricher: timeout: expected a duration such as 500ms, 30s, 5m, 1h or PT30S,"
                                        + " got \"soon\"",
                                // A secret's value is not repeated in the message.
                                "plugin test-enricher: pin: expected an integer",
                                "plugin test-enricher: api_key: required setting is missing"
                                        + " (a string: key of the lookup service)");
                        assertThat(e.getMessage()).startsWith("invalid plugin configuration (7 problems):")
                                .doesNotContain("12ab");
                    });
            assertThat(Lifecycle.events()).isEmpty();
            assertThat(registry.started()).isEmpty();
        }
    }

    @Test
    void startsEnabledPluginsWithTheirSettingsAndClosesThemInReverseOrder() throws Exception {
        PluginRegistry registry = PluginRegistry.discover();
        registry.enable(List.of("test-extractor", "test-filter", "test-enricher", "test-lines"), Map.of(
                "test-extractor", Map.of("max_names", "1"),
                "test-filter", Map.of("exclude", "cdn.example, ads.example"),
                "test-enricher", ENRICHER_SETTINGS));

        assertThat(Lifecycle.events()).containsExactly(
                "start test-extractor max_names=1",
                "start test-filter exclude=[cdn.example, ads.example]",
                "start test-enricher timeout=PT2S",
                "start test-lines");
        assertThat(registry.extractors()).hasSize(1).first().isInstanceOf(TestExtractor.class);
        assertThat(registry.filters()).hasSize(1).first().isInstanceOf(TestFilter.class);
        assertThat(registry.enrichers()).hasSize(1).first().isInstanceOf(TestEnricher.class);
        assertThat(registry.outputWriter("lines")).get().isInstanceOf(TestLinesWriter.class);
        assertThat(registry.outputWriter("csv")).isEmpty();
        assertThat(registry.needsHttp()).isTrue();

        // The started plugins are the configured ones: their settings took effect.
        ExtractionInput input = ExtractionInput.builder("192.0.2.1", 443).sni("www.example.org").build();
        assertThat(registry.extractors().get(0).extract(input))
                .containsExactly(ExtractedName.of("www.example.org", "sni"));
        FilterContext ctx = new FilterContext("san", "192.0.2.1", 443, Optional.empty(), Optional.empty());
        assertThat(registry.filters().get(0).decide("img.cdn.example", ctx))
                .isEqualTo(FilterDecision.drop("excluded by cdn.example"));
        assertThat(registry.filters().get(0).decide("cdn.example.org", ctx).kept()).isTrue();
        Enrichment enrichment = registry.enrichers().get(0).enrich(EnrichmentInput.domain("a.example.org"))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(enrichment.attributes()).containsEntry("labels", List.of("a", "example", "org"));
        assertThat(enrichment.succeeded()).isTrue();

        Lifecycle.clear();
        registry.close();
        assertThat(Lifecycle.events()).containsExactly(
                "close test-lines", "close test-enricher", "close test-filter", "close test-extractor");
        registry.close();
        assertThat(Lifecycle.events()).as("close is idempotent").hasSize(4);
    }

    @Test
    void aFailingCloseIsLoggedAndTheOthersAreStillClosed() {
        PluginRegistry registry = PluginRegistry.discover();
        registry.enable(List.of("test-extractor", "test-filter", "test-lines"),
                Map.of("test-filter", Map.of("fail_on_close", "true")));
        Lifecycle.clear();

        registry.close(); // must not throw

        assertThat(Lifecycle.events()).containsExactly("close test-lines", "close test-filter", "close test-extractor");
        assertThat(registry.started()).isEmpty();
    }

    @Test
    void aPluginThatFailsToStartIsNamedAndThoseStartedBeforeAreClosed() {
        try (PluginRegistry registry = PluginRegistry.discover()) {
            assertThatThrownBy(() -> registry.enable(List.of("test-filter", "test-extractor", "test-lines"),
                    Map.of("test-extractor", Map.of("fail_on_start", "true"))))
                    .isInstanceOf(PluginException.class)
                    .hasMessageStartingWith("plugin \"test-extractor\" 1.2.3 from class path")
                    .hasMessageEndingWith("failed to start: told to fail");
            assertThat(Lifecycle.events()).containsExactly(
                    "start test-filter exclude=[]",
                    "start test-extractor max_names=10",
                    "close test-extractor",
                    "close test-filter");
            assertThat(registry.started()).isEmpty();
        }
    }

    @Test
    void enableRunsOnlyOnce() {
        try (PluginRegistry registry = PluginRegistry.discover()) {
            registry.enable(List.of("test-lines"), Map.of());
            assertThatThrownBy(() -> registry.enable(List.of("test-filter"), Map.of()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("plugins are already enabled");
        }
    }

    @Test
    void settingsOfAnInstalledButDisabledPluginAreIgnored() {
        try (PluginRegistry registry = PluginRegistry.discover()) {
            registry.enable(List.of("test-lines"), Map.of("test-filter", Map.of("exclude", "a.example")));
            assertThat(registry.started()).hasSize(1);
            assertThat(registry.filters()).isEmpty();
        }
    }
}
