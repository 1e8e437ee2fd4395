package io.tlsxtractor.results;

import io.tlsxtractor.plugin.api.DomainFilter;
import io.tlsxtractor.plugin.api.FilterContext;
import io.tlsxtractor.plugin.api.FilterDecision;
import io.tlsxtractor.plugin.api.PluginContext;
import io.tlsxtractor.plugin.api.PluginSettings;
import io.tlsxtractor.plugins.core.filter.DefaultExclusionsFilter;
import io.tlsxtractor.plugins.core.filter.DomainListFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The domain filters applied to {@code discovered_hosts} (never to the per-result lists, as in
 * 1.x), in order; the first drop wins. Whether any filter is configured decides whether
 * {@code statistics.domains_filtered} and {@code discovered_hosts.filtered_count} appear: 1.x wrote
 * them whenever it had a filter, and the default exclusions are a filter, so they appear by default
 * and are absent only with {@code --no-default-exclusions} and no include/exclude list.
 */
public final class HostFilters {
    private static final HostFilters NONE = new HostFilters(List.of());

    private final List<DomainFilter> filters;

    private HostFilters(List<DomainFilter> filters) {
        this.filters = List.copyOf(filters);
    }

    /** No filter: every valid name is reported, and the filter counts are absent. */
    public static HostFilters none() {
        return NONE;
    }

    /** Filters already started (by the plugin registry, for instance), in the order they run. */
    public static HostFilters of(List<? extends DomainFilter> started) {
        return started.isEmpty() ? NONE : new HostFilters(new ArrayList<>(started));
    }

    /**
     * The 1.x filters, started here: the built-in exclusions unless {@code defaultExclusions} is
     * false, then the include or exclude list when one is given (items are domains or list files,
     * as {@link DomainListFilter} reads them).
     *
     * @throws io.tlsxtractor.plugin.api.PluginException when both lists are given or a list is invalid
     */
    public static HostFilters v1(boolean defaultExclusions, List<String> include, List<String> exclude) {
        List<DomainFilter> list = new ArrayList<>();
        if (defaultExclusions) {
            DefaultExclusionsFilter defaults = new DefaultExclusionsFilter();
            defaults.start(PluginContext.of(PluginSettings.of(defaults.name(), defaults.configSchema(), Map.of())));
            list.add(defaults);
        }
        if (!include.isEmpty() || !exclude.isEmpty()) {
            DomainListFilter lists = new DomainListFilter();
            lists.start(PluginContext.of(PluginSettings.of(lists.name(), lists.configSchema(),
                    Map.of("include", String.join(",", include), "exclude", String.join(",", exclude)))));
            list.add(lists);
        }
        return of(list);
    }

    /** Whether a filter is configured (and so whether the filter counts are written). */
    public boolean applied() {
        return !filters.isEmpty();
    }

    /** Why {@code name} (normalised) is dropped, or empty if every filter keeps it. */
    public Optional<String> dropReason(String name, FilterContext context) {
        for (DomainFilter f : filters) {
            FilterDecision d = f.decide(name, context);
            if (d.dropped()) {
                return d.reason();
            }
        }
        return Optional.empty();
    }
}
