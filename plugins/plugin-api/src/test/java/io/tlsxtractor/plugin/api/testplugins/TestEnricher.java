package io.tlsxtractor.plugin.api.testplugins;

import io.tlsxtractor.plugin.api.ConfigOption;
import io.tlsxtractor.plugin.api.ConfigSchema;
import io.tlsxtractor.plugin.api.Enricher;
import io.tlsxtractor.plugin.api.Enrichment;
import io.tlsxtractor.plugin.api.EnrichmentInput;
import io.tlsxtractor.plugin.api.OptionType;
import io.tlsxtractor.plugin.api.PluginContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Answers with the labels of the domain, on another thread; needs an API key. */
public final class TestEnricher implements Enricher {
    private volatile Duration timeout;

    @Override
    public String name() {
        return "test-enricher";
    }

    @Override
    public String version() {
        return "2.0";
    }

    @Override
    public ConfigSchema configSchema() {
        return ConfigSchema.of(
                ConfigOption.required("api_key", OptionType.STRING, "key of the lookup service").asSecret(),
                ConfigOption.required("pin", OptionType.INT, "a secret number").asSecret(),
                ConfigOption.optional("timeout", OptionType.DURATION, "2s", "lookup deadline"));
    }

    @Override
    public void start(PluginContext ctx) {
        timeout = ctx.settings().getDuration("timeout");
        Lifecycle.record("start " + name() + " timeout=" + timeout);
    }

    @Override
    public CompletionStage<Enrichment> enrich(EnrichmentInput input) {
        return CompletableFuture.supplyAsync(() -> Enrichment.of(Map.of(
                "labels", List.of(input.subject().split("\\.")),
                "thread", Thread.currentThread().getName())));
    }

    @Override
    public void close() {
        Lifecycle.record("close " + name());
    }
}
