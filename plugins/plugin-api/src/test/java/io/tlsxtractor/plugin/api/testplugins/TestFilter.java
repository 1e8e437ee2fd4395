package io.tlsxtractor.plugin.api.testplugins;

import io.tlsxtractor.plugin.api.ConfigOption;
import io.tlsxtractor.plugin.api.ConfigSchema;
import io.tlsxtractor.plugin.api.DomainFilter;
import io.tlsxtractor.plugin.api.FilterContext;
import io.tlsxtractor.plugin.api.FilterDecision;
import io.tlsxtractor.plugin.api.OptionType;
import io.tlsxtractor.plugin.api.PluginContext;
import java.util.List;

/** Drops names under the configured suffixes; can be told to fail on close. */
public final class TestFilter implements DomainFilter {
    private volatile List<String> exclude = List.of();
    private volatile boolean failOnClose;

    @Override
    public String name() {
        return "test-filter";
    }

    @Override
    public String version() {
        return "0.1";
    }

    @Override
    public ConfigSchema configSchema() {
        return ConfigSchema.of(
                ConfigOption.optional("exclude", OptionType.LIST, "", "suffixes to drop"),
                ConfigOption.optional("fail_on_close", OptionType.BOOLEAN, "false", "throw from close()"));
    }

    @Override
    public void start(PluginContext ctx) {
        exclude = ctx.settings().getList("exclude");
        failOnClose = ctx.settings().getBoolean("fail_on_close");
        Lifecycle.record("start " + name() + " exclude=" + exclude);
    }

    @Override
    public FilterDecision decide(String domain, FilterContext ctx) {
        for (String suffix : exclude) {
            if (domain.equals(suffix) || domain.endsWith("." + suffix)) {
                return FilterDecision.drop("excluded by " + suffix);
            }
        }
        return FilterDecision.keep();
    }

    @Override
    public void close() {
        Lifecycle.record("close " + name());
        if (failOnClose) {
            throw new IllegalStateException("told to fail on close");
        }
    }
}
