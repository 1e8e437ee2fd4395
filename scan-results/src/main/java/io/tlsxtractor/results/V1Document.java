package io.tlsxtractor.results;

import io.tlsxtractor.plugin.api.OutputRecord;
import io.tlsxtractor.plugin.api.OutputTarget;
import io.tlsxtractor.plugin.api.OutputWriter;
import io.tlsxtractor.plugin.api.RecordSink;
import io.tlsxtractor.results.internal.PythonJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A finished 1.x results document: {@code metadata}, {@code results} (shaped by the mode) and
 * {@code discovered_hosts}, as plain data in 1.x key order. Immutable.
 */
public final class V1Document {
    private final ScanMode mode;
    private final Map<String, Object> tree;

    V1Document(ScanMode mode, Map<String, Object> tree) {
        this.mode = mode;
        this.tree = tree;
    }

    public ScanMode mode() {
        return mode;
    }

    /** The document as plain data (maps in key order, lists, strings, numbers, booleans, nulls). Read-only view. */
    public Map<String, Object> toMap() {
        return Collections.unmodifiableMap(tree);
    }

    /** The document exactly as 1.x wrote it ({@code json.dump(indent=2, ensure_ascii=False)}): no trailing newline. */
    public String toJson() {
        return PythonJson.pretty(tree);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> metadata() {
        return (Map<String, Object>) tree.get("metadata");
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> discoveredHosts() {
        return (Map<String, Object>) tree.get("discovered_hosts");
    }

    /** The {@code <result>} objects at the top of {@code results} (ip_scan) or under {@code results.ips} (mixed_scan). */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> ipResults() {
        Object results = tree.get("results");
        return switch (mode) {
            case IP_SCAN -> (List<Map<String, Object>>) results;
            case MIXED_SCAN -> (List<Map<String, Object>>) ((Map<String, Object>) results).get("ips");
            case URL_SCAN -> List.of();
        };
    }

    /** The URL entries (url_scan: {@code results}; mixed_scan: {@code results.urls}). */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> urlEntries() {
        Object results = tree.get("results");
        return switch (mode) {
            case IP_SCAN -> List.of();
            case URL_SCAN -> (List<Map<String, Object>>) results;
            case MIXED_SCAN -> (List<Map<String, Object>>) ((Map<String, Object>) results).get("urls");
        };
    }

    /** Every {@code <result>} of the document: the IP results, then each URL entry's connections. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> allResults() {
        List<Map<String, Object>> all = new ArrayList<>(ipResults());
        for (Map<String, Object> e : urlEntries()) {
            all.addAll((List<Map<String, Object>>) e.get("connections"));
        }
        return all;
    }

    /**
     * The document as output records, in document order: {@code metadata}, one {@code result}
     * per IP result, one {@link ResultRecords#URL} per URL entry, {@code discovered_hosts}.
     */
    public List<OutputRecord> records() {
        List<OutputRecord> records = new ArrayList<>();
        records.add(OutputRecord.of(OutputRecord.METADATA, metadata()));
        ipResults().forEach(r -> records.add(OutputRecord.of(OutputRecord.RESULT, r)));
        urlEntries().forEach(u -> records.add(OutputRecord.of(ResultRecords.URL, u)));
        records.add(OutputRecord.of(OutputRecord.DISCOVERED_HOSTS, discoveredHosts()));
        return records;
    }

    /** Writes {@link #records()} with {@code writer} to {@code target} and commits. */
    public void writeTo(OutputWriter writer, OutputTarget target) throws IOException {
        try (RecordSink sink = writer.open(target)) {
            for (OutputRecord r : records()) {
                sink.write(r);
            }
            sink.commit();
        }
    }

    @Override
    public String toString() {
        return "V1Document[" + mode.label() + ", " + allResults().size() + " results]";
    }
}
