package io.tlsxtractor.plugin.api.testplugins;

import io.tlsxtractor.plugin.api.AtomicOutput;
import io.tlsxtractor.plugin.api.OutputRecord;
import io.tlsxtractor.plugin.api.OutputTarget;
import io.tlsxtractor.plugin.api.OutputWriter;
import io.tlsxtractor.plugin.api.PluginContext;
import io.tlsxtractor.plugin.api.RecordSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes "type fields" lines through {@link OutputTarget#open()}. */
public final class TestLinesWriter implements OutputWriter {

    @Override
    public String name() {
        return "test-lines";
    }

    @Override
    public String version() {
        return "0.0.1";
    }

    @Override
    public String format() {
        return "lines";
    }

    @Override
    public void start(PluginContext ctx) {
        Lifecycle.record("start " + name());
    }

    @Override
    public RecordSink open(OutputTarget target) throws IOException {
        AtomicOutput out = target.open();
        return new RecordSink() {
            @Override
            public void write(OutputRecord record) throws IOException {
                out.write((record.type() + " " + record.fields() + "\n").getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void commit() throws IOException {
                out.commit();
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }

    @Override
    public void close() {
        Lifecycle.record("close " + name());
    }
}
