package io.tlsxtractor.results.output;

import io.tlsxtractor.plugin.api.AtomicOutput;
import io.tlsxtractor.plugin.api.OutputRecord;
import io.tlsxtractor.plugin.api.OutputTarget;
import io.tlsxtractor.plugin.api.OutputWriter;
import io.tlsxtractor.plugin.api.RecordSink;
import io.tlsxtractor.results.ResultRecords;
import io.tlsxtractor.results.ScanMode;
import io.tlsxtractor.results.internal.ModuleVersion;
import io.tlsxtractor.results.internal.PythonJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --format json}: the whole 1.x document, written once, atomically (temporary file moved
 * into place, mode 0600) when the sink commits. Needs one {@code metadata} and one
 * {@code discovered_hosts} record; {@code result} records form {@code results} (ip_scan) or
 * {@code results.ips} (mixed_scan), {@link ResultRecords#URL} records form {@code results}
 * (url_scan) or {@code results.urls} (mixed_scan), each list in the order written.
 */
public final class JsonOutputWriter implements OutputWriter {
    private static final Logger LOG = LoggerFactory.getLogger(JsonOutputWriter.class);

    @Override
    public String name() {
        return "json";
    }

    @Override
    public String version() {
        return ModuleVersion.VERSION;
    }

    @Override
    public String format() {
        return "json";
    }

    @Override
    public RecordSink open(OutputTarget target) {
        return new Sink(target);
    }

    private static final class Sink implements RecordSink {
        private final OutputTarget target;
        private Map<String, Object> metadata;
        private Map<String, Object> discovered;
        private final List<Object> results = new ArrayList<>();
        private final List<Object> urls = new ArrayList<>();
        private boolean done;

        Sink(OutputTarget target) {
            this.target = target;
        }

        @Override
        public void write(OutputRecord record) throws IOException {
            if (done) {
                throw new IOException("output " + target.description() + " is already committed or closed");
            }
            switch (record.type()) {
                case OutputRecord.RESULT -> results.add(record.fields());
                case ResultRecords.URL -> urls.add(record.fields());
                case OutputRecord.METADATA -> metadata = record.fields();
                case OutputRecord.DISCOVERED_HOSTS -> discovered = record.fields();
                default -> LOG.debug("json output {}: ignoring a record of type {}", target.description(), record.type());
            }
        }

        @Override
        public void commit() throws IOException {
            if (done) {
                throw new IOException("output " + target.description() + " is already committed or closed");
            }
            if (metadata == null || discovered == null) {
                throw new IOException("cannot write the results document " + target.description() + ": no "
                        + (metadata == null ? "metadata" : "discovered_hosts") + " record was written");
            }
            ScanMode mode;
            try {
                mode = ScanMode.fromLabel(String.valueOf(metadata.get("mode")));
            } catch (IllegalArgumentException e) {
                throw new IOException("cannot write the results document " + target.description()
                        + ": metadata.mode: " + e.getMessage(), e);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("metadata", metadata);
            switch (mode) {
                case IP_SCAN -> doc.put("results", results);
                case URL_SCAN -> doc.put("results", urls);
                case MIXED_SCAN -> {
                    Map<String, Object> mixed = new LinkedHashMap<>();
                    mixed.put("ips", results);
                    mixed.put("urls", urls);
                    doc.put("results", mixed);
                }
                default -> throw new IllegalStateException("mode " + mode);
            }
            doc.put("discovered_hosts", discovered);
            byte[] bytes = PythonJson.pretty(doc).getBytes(StandardCharsets.UTF_8);
            try (AtomicOutput out = target.open()) {
                out.write(bytes);
                out.commit();
            }
            done = true;
        }

        @Override
        public void close() {
            // Nothing reaches the target before commit, so an uncommitted sink leaves nothing behind.
            done = true;
        }
    }
}
