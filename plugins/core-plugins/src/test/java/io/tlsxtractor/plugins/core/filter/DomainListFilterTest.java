package io.tlsxtractor.plugins.core.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlsxtractor.plugin.api.FilterContext;
import io.tlsxtractor.plugin.api.PluginContext;
import io.tlsxtractor.plugin.api.PluginException;
import io.tlsxtractor.plugin.api.PluginSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 1.x --include-domains / --exclude-domains: CSV and file inputs, label-wise matching, and config errors. */
class DomainListFilterTest {
    private static final FilterContext CONTEXT =
            new FilterContext("san", "192.0.2.1", 443, Optional.empty(), Optional.of("scan-1"));

    @TempDir
    Path dir;

    private final DomainListFilter filter = new DomainListFilter();

    @Test
    void excludeAsCsvDropsTheDomainsAndTheirSubdomainsLabelWise() {
        filter.start(context(Map.of("exclude", "Example.COM., *.cdn.example.org")));
        assertThat(filter.decide("example.com", CONTEXT).reason()).contains("excluded by example.com (exclude)");
        assertThat(filter.decide("www.example.com", CONTEXT).dropped()).isTrue();
        assertThat(filter.decide("*.example.com", CONTEXT).dropped()).isTrue();
        assertThat(filter.decide("notexample.com", CONTEXT).kept()).isTrue();
        assertThat(filter.decide("example.com.evil.net", CONTEXT).kept()).isTrue();
        // *.x in the list means x's subdomains, not x itself.
        assertThat(filter.decide("cdn.example.org", CONTEXT).kept()).isTrue();
        assertThat(filter.decide("img.cdn.example.org", CONTEXT).reason())
                .contains("excluded by *.cdn.example.org (exclude)");
        assertThat(filter.decide("other.org", CONTEXT).kept()).isTrue();
    }

    @Test
    void includeAsFileKeepsOnlyTheListedDomainsAndNamesTheFileAndLine() throws IOException {
        Path list = Files.writeString(dir.resolve("scope.txt"), """
                # in scope
                example.com   # the main site

                *.corp.example.net
                """);
        filter.start(context(Map.of("include", list.toString())));
        assertThat(filter.decide("shop.example.com", CONTEXT).kept()).isTrue();
        assertThat(filter.decide("example.com", CONTEXT).kept()).isTrue();
        assertThat(filter.decide("vpn.corp.example.net", CONTEXT).kept()).isTrue();
        assertThat(filter.decide("corp.example.net", CONTEXT).reason())
                .contains("not under any of the 2 include rules");
        assertThat(filter.decide("notexample.com", CONTEXT).dropped()).isTrue();
        assertThat(filter.decide("cloudflare.com", CONTEXT).dropped()).isTrue();
    }

    @Test
    void excludeFileReasonsNameTheFileAndLine() throws IOException {
        Path list = Files.writeString(dir.resolve("out-of-scope.list"), "# third parties\nvendor.example\n");
        filter.start(context(Map.of("exclude", list + ",other.example")));
        assertThat(filter.decide("api.vendor.example", CONTEXT).reason())
                .contains("excluded by vendor.example (" + list + ":2)");
        assertThat(filter.decide("other.example", CONTEXT).dropped()).isTrue();
    }

    @Test
    void includeAndExcludeTogetherAreAConfigurationError() {
        assertThatThrownBy(() -> filter.start(context(Map.of("include", "a.example", "exclude", "b.example"))))
                .isInstanceOf(PluginException.class)
                .hasMessage("plugin domain-list-filter: include and exclude cannot be used together"
                        + " (1.x --include-domains and --exclude-domains are mutually exclusive): give only one;"
                        + " include=[a.example], exclude=[b.example]");
    }

    @Test
    void withNoListEveryNameIsKept() {
        filter.start(context(Map.of()));
        assertThat(filter.decide("anything.example", CONTEXT).kept()).isTrue();
    }

    @Test
    void badEntriesAndMissingFilesAreAllReportedWithWhereTheyAre() throws IOException {
        Path list = Files.writeString(dir.resolve("bad.txt"), "good.example\nbad_name.example\n\n-x.example\n");
        Path missing = dir.resolve("missing.txt");
        assertThatThrownBy(() -> filter.start(context(Map.of("exclude",
                list + "," + missing + ",not a domain,domains.txt"))))
                .isInstanceOfSatisfying(PluginException.class, e -> {
                    assertThat(e.problems()).hasSize(5);
                    assertThat(e.problems().get(0)).startsWith(
                            "plugin domain-list-filter: exclude: \"bad_name.example\" (" + list + ":2) is not a domain");
                    assertThat(e.problems().get(1)).startsWith(
                            "plugin domain-list-filter: exclude: \"-x.example\" (" + list + ":4) is not a domain");
                    assertThat(e.problems().get(2)).startsWith(
                            "plugin domain-list-filter: exclude: list file " + missing + " does not exist");
                    assertThat(e.problems().get(3)).startsWith(
                            "plugin domain-list-filter: exclude: \"not a domain\" (exclude) is not a domain");
                    assertThat(e.problems().get(4)).startsWith(
                            "plugin domain-list-filter: exclude: list file domains.txt does not exist");
                });
    }

    @Test
    void aListFileWithNoDomainIsAnError() throws IOException {
        Path list = Files.writeString(dir.resolve("empty.txt"), "# nothing yet\n\n");
        assertThatThrownBy(() -> filter.start(context(Map.of("include", list.toString()))))
                .hasMessage("plugin domain-list-filter: include: list file " + list + " holds no domain");
    }

    private static PluginContext context(Map<String, String> settings) {
        DomainListFilter plugin = new DomainListFilter();
        assertThat(plugin.configSchema().validate(plugin.name(), settings)).isEmpty();
        return PluginContext.of(PluginSettings.of(plugin.name(), plugin.configSchema(), settings));
    }
}
