package io.tlsxtractor.plugin.api.testplugins;

import io.tlsxtractor.plugin.api.ConfigOption;
import io.tlsxtractor.plugin.api.ConfigSchema;
import io.tlsxtractor.plugin.api.DomainExtractor;
import io.tlsxtractor.plugin.api.ExtractedName;
import io.tlsxtractor.plugin.api.ExtractionInput;
import io.tlsxtractor.plugin.api.OptionType;
import io.tlsxtractor.plugin.api.PluginContext;
import java.util.ArrayList;
import java.util.List;

/** Reports the SNI and the CSP header's first word, up to max_names names. */
public final class TestExtractor implements DomainExtractor {
    private volatile int maxNames;

    @Override
    public String name() {
        return "test-extractor";
    }

    @Override
    public String version() {
        return "1.2.3";
    }

    @Override
    public ConfigSchema configSchema() {
        return ConfigSchema.of(
                ConfigOption.optional("max_names", OptionType.INT, "10", "most names returned per probe"),
                ConfigOption.optional("fail_on_start", OptionType.BOOLEAN, "false", "refuse to start"));
    }

    @Override
    public boolean needsHttp() {
        return true;
    }

    @Override
    public void start(PluginContext ctx) {
        maxNames = ctx.settings().getInt("max_names");
        Lifecycle.record("start " + name() + " max_names=" + maxNames);
        if (ctx.settings().getBoolean("fail_on_start")) {
            throw new IllegalStateException("told to fail");
        }
    }

    @Override
    public List<ExtractedName> extract(ExtractionInput input) {
        List<ExtractedName> names = new ArrayList<>();
        input.sni().ifPresent(sni -> names.add(ExtractedName.of(sni, ExtractedName.SOURCE_SNI)));
        input.http().flatMap(h -> h.headers().first("content-security-policy"))
                .ifPresent(csp -> names.add(ExtractedName.of(csp.split(" ")[1], ExtractedName.SOURCE_CSP, csp.split(" ")[0])));
        return names.subList(0, Math.min(maxNames, names.size()));
    }

    @Override
    public void close() {
        Lifecycle.record("close " + name());
    }
}
