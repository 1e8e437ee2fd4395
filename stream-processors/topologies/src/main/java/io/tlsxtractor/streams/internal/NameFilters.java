package io.tlsxtractor.streams.internal;

import io.tlsxtractor.plugin.api.DomainFilter;
import io.tlsxtractor.plugin.api.FilterContext;
import io.tlsxtractor.plugin.api.FilterDecision;
import io.tlsxtractor.plugin.api.PluginContext;
import io.tlsxtractor.plugin.api.PluginSettings;
import io.tlsxtractor.plugins.core.filter.DefaultExclusionsFilter;
import io.tlsxtractor.plugins.core.filter.DomainListFilter;
import io.tlsxtractor.streams.ExtractionSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The core filter plugins configured by {@link ExtractionSettings}, in 1.x order; the first drop wins. */
public final class NameFilters {

    private final List<DomainFilter> filters;

    private NameFilters(List<DomainFilter> filters) {
        this.filters = List.copyOf(filters);
    }

    /**
     * Starts the filters; a bad list (unreadable file, an entry that is not a domain) fails here, at start, with the
     * plugin's message.
     */
    public static NameFilters start(ExtractionSettings settings) {
        List<DomainFilter> filters = new ArrayList<>();
        if (settings.defaultExclusions()) {
            DefaultExclusionsFilter exclusions = new DefaultExclusionsFilter();
            exclusions.start(PluginContext.of(PluginSettings.of(exclusions.name(), exclusions.configSchema(), Map.of())));
            filters.add(exclusions);
        }
        if (!settings.includeDomains().isEmpty() || !settings.excludeDomains().isEmpty()) {
            DomainListFilter lists = new DomainListFilter();
            Map<String, String> values = new LinkedHashMap<>();
            if (!settings.includeDomains().isEmpty()) {
                values.put("include", String.join(",", settings.includeDomains()));
            }
            if (!settings.excludeDomains().isEmpty()) {
                values.put("exclude", String.join(",", settings.excludeDomains()));
            }
            lists.start(PluginContext.of(PluginSettings.of(lists.name(), lists.configSchema(), values)));
            filters.add(lists);
        }
        return new NameFilters(filters);
    }

    /** The first drop decision, or keep. */
    public FilterDecision decide(String domain, FilterContext context) {
        for (DomainFilter filter : filters) {
            FilterDecision decision = filter.decide(domain, context);
            if (decision.dropped()) {
                return decision;
            }
        }
        return FilterDecision.keep();
    }

    public boolean isEmpty() {
        return filters.isEmpty();
    }
}
