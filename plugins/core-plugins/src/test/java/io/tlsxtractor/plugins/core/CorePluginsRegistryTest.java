package io.tlsxtractor.plugins.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.tlsxtractor.plugin.api.ConfigOption;
import io.tlsxtractor.plugin.api.FilterContext;
import io.tlsxtractor.plugin.api.Plugin;
import io.tlsxtractor.plugin.api.PluginException;
import io.tlsxtractor.plugin.api.PluginInfo;
import io.tlsxtractor.plugin.api.PluginKind;
import io.tlsxtractor.plugin.api.PluginRegistry;
import io.tlsxtractor.plugins.core.csp.CspExtractor;
import io.tlsxtractor.plugins.core.filter.DefaultExclusionsFilter;
import io.tlsxtractor.plugins.core.filter.DomainListFilter;
import io.tlsxtractor.plugins.core.js.JsExtractor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The core plugins as the engine finds them: discovered on the class path, settings validated, started. */
class CorePluginsRegistryTest {
    private static final List<String> ALL = List.of(
            CorePlugins.CSP_EXTRACTOR, CorePlugins.JS_EXTRACTOR, CorePlugins.DEFAULT_EXCLUSIONS,
            CorePlugins.DOMAIN_LIST_FILTER);

    @Test
    void allCorePluginsAreDiscoveredFromTheClassPathWithTheModuleVersion() {
        try (PluginRegistry registry = PluginRegistry.discover()) {
            assertThat(registry.available())
                    .extracting(PluginInfo::name, PluginInfo::kind, PluginInfo::className, PluginInfo::version)
                    .containsExactly(
                            tuple("csp-extractor", PluginKind.EXTRACTOR, CspExtractor.class.getName(), CorePlugins.VERSION),
                            tuple("js-extractor", PluginKind.EXTRACTOR, JsExtractor.class.getName(), CorePlugins.VERSION),
                            tuple("default-exclusions", PluginKind.FILTER, DefaultExclusionsFilter.class.getName(),
                                    CorePlugins.VERSION),
                            tuple("domain-list-filter", PluginKind.FILTER, DomainListFilter.class.getName(),
                                    CorePlugins.VERSION));
        }
        assertThat(CorePlugins.VERSION).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void everySettingIsDocumented() {
        List<Plugin> plugins = List.of(new CspExtractor(), new JsExtractor(), new DefaultExclusionsFilter(),
                new DomainListFilter());
        assertThat(plugins).allSatisfy(p -> assertThat(p.configSchema().options()).isNotEmpty()
                .allSatisfy(o -> assertThat(o.doc()).as(p.name() + " " + o.name()).endsWith(".").hasSizeGreaterThan(20)));
        assertThat(new JsExtractor().configSchema().options()).extracting(ConfigOption::name)
                .contains("max_scripts", "max_script_bytes");
    }

    @Test
    void allAreStartedWithValidatedSettingsAndWorkTogether() {
        try (PluginRegistry registry = PluginRegistry.discover()) {
            registry.enable(ALL, Map.of(
                    CorePlugins.JS_EXTRACTOR, Map.of("max_scripts", "3"),
                    CorePlugins.DOMAIN_LIST_FILTER, Map.of("exclude", "internal.example")));
            assertThat(registry.extractors()).hasSize(2);
            assertThat(registry.filters()).hasSize(2);
            assertThat(registry.needsHttp()).isTrue();
            assertThat(((JsExtractor) registry.extractors().get(1)).maxScripts()).isEqualTo(3);

            FilterContext context = new FilterContext("csp", "192.0.2.1", 443, Optional.empty(), Optional.empty());
            assertThat(registry.filters()).extracting(f -> f.decide("cdn.cloudflare.com", context).kept())
                    .containsExactly(false, true);
            assertThat(registry.filters()).extracting(f -> f.decide("a.internal.example", context).kept())
                    .containsExactly(true, false);
        }
    }

    @Test
    void wrongSettingsAreAllReportedBeforeAnythingStarts() {
        try (PluginRegistry registry = PluginRegistry.discover()) {
            assertThatThrownBy(() -> registry.enable(ALL, Map.of(
                    CorePlugins.CSP_EXTRACTOR, Map.of("max_names", "many"),
                    CorePlugins.JS_EXTRACTOR, Map.of("max_script_kb", "10"),
                    CorePlugins.DEFAULT_EXCLUSIONS, Map.of("keep", "cloudflare.com"))))
                    .isInstanceOfSatisfying(PluginException.class, e -> assertThat(e.problems()).containsExactly(
                            "plugin csp-extractor: max_names: expected an integer, got \"many\"",
                            "plugin js-extractor: max_script_kb: unknown setting; known settings: inline, links,"
                                    + " max_names, max_script_bytes, max_scripts"));
            assertThat(registry.started()).isEmpty();
        }
    }

    @Test
    void includeWithExcludeFailsTheStartNamingThePlugin() {
        try (PluginRegistry registry = PluginRegistry.discover()) {
            assertThatThrownBy(() -> registry.enable(List.of(CorePlugins.DOMAIN_LIST_FILTER), Map.of(
                    CorePlugins.DOMAIN_LIST_FILTER, Map.of("include", "a.example", "exclude", "b.example"))))
                    .isInstanceOf(PluginException.class)
                    .hasMessageStartingWith("plugin \"domain-list-filter\" " + CorePlugins.VERSION)
                    .hasMessageContaining("include and exclude cannot be used together");
        }
    }
}
