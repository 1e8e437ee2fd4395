package io.tlsxtractor.plugins.core.filter;

import io.tlsxtractor.plugin.api.ConfigOption;
import io.tlsxtractor.plugin.api.ConfigSchema;
import io.tlsxtractor.plugin.api.DomainFilter;
import io.tlsxtractor.plugin.api.FilterContext;
import io.tlsxtractor.plugin.api.FilterDecision;
import io.tlsxtractor.plugin.api.OptionType;
import io.tlsxtractor.plugin.api.PluginContext;
import io.tlsxtractor.plugin.api.PluginException;
import io.tlsxtractor.plugins.core.CorePlugins;
import io.tlsxtractor.plugins.core.internal.ListFile;
import io.tlsxtractor.plugins.core.names.DomainNames;
import io.tlsxtractor.plugins.core.names.DomainSuffixSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code default-exclusions}: drops names under the built-in list of CDN, analytics, advertising
 * and other widely embedded third-party domains (1.x's default exclusions, which CSP headers and
 * scripts name on almost every site and which never belong to the scanned organisation). A domain
 * matches itself and its subdomains, label-wise. On by default; 1.x
 * {@code --no-default-exclusions} turns it off.
 *
 * <p>The list is the resource {@value #RESOURCE}, one domain per line with comments; settings can
 * add domains ({@code extra}) or take built-in ones out ({@code keep}).
 */
public final class DefaultExclusionsFilter implements DomainFilter {
    /** The built-in list, a class path resource. */
    public static final String RESOURCE = "/io/tlsxtractor/plugins/core/default-exclusions.txt";

    static final String EXTRA = "extra";
    static final String KEEP = "keep";

    private static final List<String> BUILT_IN = loadBuiltIn();

    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            ConfigOption.optional(EXTRA, OptionType.LIST, "",
                    "More domains to exclude with their subdomains, comma-separated (*.example.com: subdomains only)."),
            ConfigOption.optional(KEEP, OptionType.LIST, "",
                    "Entries of the built-in list not to apply, comma-separated (each must be on the list)."));

    private volatile DomainSuffixSet rules = build(List.of(), List.of());

    @Override
    public String name() {
        return CorePlugins.DEFAULT_EXCLUSIONS;
    }

    @Override
    public String version() {
        return CorePlugins.VERSION;
    }

    @Override
    public ConfigSchema configSchema() {
        return SCHEMA;
    }

    /** The built-in list, normalised, in file order. */
    public static List<String> builtInList() {
        return BUILT_IN;
    }

    /** @throws PluginException naming every {@code extra} entry that is not a domain and every {@code keep} entry not on the list */
    @Override
    public void start(PluginContext context) {
        rules = build(context.settings().getList(EXTRA), context.settings().getList(KEEP));
        context.logger().info("Default exclusions: {} domains ({} built in)", rules.size(), BUILT_IN.size());
    }

    @Override
    public FilterDecision decide(String domain, FilterContext context) {
        return rules.match(domain)
                .map(rule -> FilterDecision.drop("default exclusion " + rule.describe()))
                .orElse(FilterDecision.keep());
    }

    private static DomainSuffixSet build(List<String> extra, List<String> keep) {
        List<String> problems = new ArrayList<>();
        Set<String> kept = new HashSet<>();
        for (String k : keep) {
            String n = DomainNames.normalize(k);
            if (!BUILT_IN.contains(n)) {
                problems.add(problem(KEEP, "\"" + k + "\" is not on the built-in list"));
            }
            kept.add(n);
        }
        DomainSuffixSet.Builder builder = DomainSuffixSet.builder();
        for (String domain : BUILT_IN) {
            if (!kept.contains(domain)) {
                builder.add(domain, "");
            }
        }
        for (String e : extra) {
            try {
                builder.add(e, EXTRA);
            } catch (IllegalArgumentException ex) {
                problems.add(problem(EXTRA, ex.getMessage()));
            }
        }
        if (problems.size() == 1) {
            throw new PluginException(problems.get(0));
        }
        if (!problems.isEmpty()) {
            throw new PluginException("invalid settings of plugin " + CorePlugins.DEFAULT_EXCLUSIONS + ":", problems);
        }
        return builder.build();
    }

    private static String problem(String key, String message) {
        return "plugin " + CorePlugins.DEFAULT_EXCLUSIONS + ": " + key + ": " + message;
    }

    private static List<String> loadBuiltIn() {
        List<String> domains = new ArrayList<>();
        for (ListFile.Entry e : ListFile.readResource(DefaultExclusionsFilter.class, RESOURCE)) {
            String n = DomainNames.normalize(e.value());
            if (!DomainNames.isValid(n)) {
                throw new IllegalStateException(RESOURCE + ":" + e.line() + ": \"" + e.value() + "\" is not a domain");
            }
            if (!domains.contains(n)) {
                domains.add(n);
            }
        }
        return List.copyOf(domains);
    }
}
