package io.tlsxtractor.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsxtractor.results.V1Results.Fields;
import io.tlsxtractor.schemas.avro.ProbeResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * The migration commands' conversions: a 1.x {@code results.json} read into v2 probe results
 * ({@code tlsxtractor import}), and exported as the v2 record stream
 * ({@code tlsxtractor export --format v2}): one {@code ProbeResult} per line in Avro's JSON
 * encoding.
 *
 * <p>Round trip: {@code fromV1(doc).rebuild(filters).toJson()} gives {@code doc} back, byte for
 * byte, when {@code doc} was written by this module (or by 1.x in the same form) and the filters
 * are the scan's. What does not survive: keys the 1.x format does not define (ignored on import);
 * {@code error_details} values that are not strings (kept as their JSON text) and an empty
 * {@code error_details} object (written back as null); certificate name attributes and error
 * details in another order than this module writes them (canonical order on the way back);
 * validity dates with sub-second precision or an offset (written back as {@code Z} seconds); a
 * source list of {@code domain_sources} in another order than {@code domains}; a target listed
 * twice with the same {@code ip:port} and SNI (de-duplicated). The v2 record stream carries
 * results only: the metadata (parameters, timestamp, elapsed time) and the DNS facts of URL
 * entries whose name did not resolve are not in it, and every record's {@code probedAt} is the
 * scan timestamp (to the millisecond).
 */
public final class ResultsDocuments {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ResultsDocuments() {
    }

    /**
     * Reads a 1.x results document.
     *
     * @param json the document's text
     * @param scanId the scan id to give the imported records
     * @throws ResultsFormatException naming the path of the first problem ({@code results.ips[2].port: ...})
     */
    public static ImportedDocument fromV1(String json, String scanId) {
        Map<String, Object> root;
        try {
            root = MAPPER.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new ResultsFormatException("not a JSON object: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr()
                            + ", column " + e.getLocation().getColumnNr() : ""), e);
        }
        Fields doc = new Fields(root, "document");
        Fields meta = new Fields(doc.map("metadata", false), "metadata");
        String modeLabel = meta.string("mode", false);
        ScanMode mode;
        try {
            mode = ScanMode.fromLabel(modeLabel);
        } catch (IllegalArgumentException e) {
            throw new ResultsFormatException("metadata.mode: " + e.getMessage(), e);
        }
        Instant timestamp = timestamp(meta.string("scan_timestamp", false));
        Map<String, Object> parameters = meta.map("parameters", true);
        Fields stats = new Fields(meta.map("statistics", false), "metadata.statistics");
        ScanMetadata.Builder mb = ScanMetadata.builder(mode).scanTimestamp(timestamp);
        if (parameters != null) {
            parameters.forEach(mb::parameter);
        }
        Number total = stats.number("total_targets", true);
        if (total != null) {
            mb.totalTargets(total.longValue());
        }
        if (mode == ScanMode.MIXED_SCAN) {
            Number ips = stats.number("total_ips", true);
            if (ips != null) {
                mb.totalIps(ips.intValue());
            }
        }
        if (mode != ScanMode.IP_SCAN) {
            Number urls = stats.number("total_urls", true);
            if (urls != null) {
                mb.totalUrls(urls.intValue());
            }
        }
        Number elapsed = stats.number("elapsed_seconds", true);
        Number rate = stats.number("scan_rate", true);
        boolean filterApplied = stats.has("domains_filtered");

        Instant probedAt = timestamp.truncatedTo(ChronoUnit.MILLIS);
        List<ProbeResult> results = new ArrayList<>();
        List<UrlTarget> urls = new ArrayList<>();
        Set<String> inputNames = new LinkedHashSet<>();
        switch (mode) {
            case IP_SCAN -> readResults(doc.list("results", false), "results", scanId, probedAt, results);
            case URL_SCAN -> readUrls(doc.list("results", false), "results", scanId, probedAt, results, urls);
            case MIXED_SCAN -> {
                Fields mixed = new Fields(doc.map("results", false), "results");
                readResults(mixed.list("ips", false), "results.ips", scanId, probedAt, results);
                readUrls(mixed.list("urls", false), "results.urls", scanId, probedAt, results, urls);
            }
            default -> throw new IllegalStateException("mode " + mode);
        }
        urls.forEach(u -> inputNames.add(u.hostname()));
        Map<String, Object> hosts = doc.map("discovered_hosts", true);
        if (hosts != null) {
            Fields h = new Fields(hosts, "discovered_hosts");
            inputNames.addAll(notNew(h, "hostnames", "new_hostnames"));
            inputNames.addAll(notNew(h, "tlds", "new_tlds"));
        }
        mb.inputHostnames(inputNames);
        return new ImportedDocument(mb.build(), results, urls,
                elapsed == null ? 0.0 : elapsed.doubleValue(), rate == null ? 0.0 : rate.doubleValue(), filterApplied);
    }

    /**
     * Exports a 1.x document as the v2 record stream: one {@code ProbeResult} per line, Avro JSON encoding.
     *
     * @throws ResultsFormatException if the document cannot be read
     */
    public static String toV2(String v1Json, String scanId) {
        return toJsonLines(fromV1(v1Json, scanId).results());
    }

    /** Probe results as JSON lines (Avro's JSON encoding of {@code ProbeResult}, one record per line, each ending in a newline). */
    public static String toJsonLines(List<ProbeResult> results) {
        DatumWriter<ProbeResult> writer = new SpecificDatumWriter<>(ProbeResult.class);
        StringBuilder out = new StringBuilder();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            for (ProbeResult r : results) {
                buffer.reset();
                JsonEncoder encoder = EncoderFactory.get().jsonEncoder(ProbeResult.getClassSchema(), buffer);
                writer.write(r, encoder);
                encoder.flush();
                out.append(buffer.toString(StandardCharsets.UTF_8)).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode probe results as JSON", e);
        }
        return out.toString();
    }

    /**
     * Reads the v2 record stream written by {@link #toJsonLines}; blank lines are skipped.
     *
     * @throws ResultsFormatException naming the line that is not a ProbeResult
     */
    public static List<ProbeResult> fromJsonLines(String lines) {
        SpecificDatumReader<ProbeResult> reader = new SpecificDatumReader<>(ProbeResult.class);
        List<ProbeResult> results = new ArrayList<>();
        String[] split = lines.split("\n", -1);
        for (int i = 0; i < split.length; i++) {
            String line = split[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                Decoder decoder = DecoderFactory.get().jsonDecoder(ProbeResult.getClassSchema(), line);
                results.add(reader.read(null, decoder));
            } catch (IOException | AvroRuntimeException e) {
                throw new ResultsFormatException("line " + (i + 1) + ": not a ProbeResult in Avro JSON encoding: "
                        + e.getMessage(), e);
            }
        }
        return results;
    }

    private static void readResults(List<Object> list, String where, String scanId, Instant probedAt,
            List<ProbeResult> out) {
        for (int i = 0; i < list.size(); i++) {
            out.add(V1Results.fromResult(object(list.get(i), where + "[" + i + "]"), where + "[" + i + "]",
                    scanId, probedAt, null, null));
        }
    }

    private static void readUrls(List<Object> list, String where, String scanId, Instant probedAt,
            List<ProbeResult> results, List<UrlTarget> urls) {
        for (int i = 0; i < list.size(); i++) {
            String at = where + "[" + i + "]";
            Fields e = new Fields(object(list.get(i), at), at);
            String url = e.string("url", false);
            String hostname = e.string("hostname", false);
            List<String> ips = new ArrayList<>();
            List<Object> resolved = e.list("resolved_ips", true);
            if (resolved != null) {
                for (Object ip : resolved) {
                    ips.add(V1Results.asString(ip, at + ".resolved_ips"));
                }
            }
            urls.add(new UrlTarget(url, hostname, e.integer("port", false), e.string("dns_status", false), ips,
                    e.string("dns_error", true)));
            List<Object> connections = e.list("connections", true);
            if (connections != null) {
                for (int j = 0; j < connections.size(); j++) {
                    String c = at + ".connections[" + j + "]";
                    results.add(V1Results.fromResult(object(connections.get(j), c), c, scanId, probedAt, hostname, url));
                }
            }
        }
    }

    private static List<String> notNew(Fields h, String all, String fresh) {
        List<Object> names = h.list(all, true);
        List<Object> news = h.list(fresh, true);
        List<String> out = new ArrayList<>();
        if (names != null) {
            for (Object n : names) {
                String s = V1Results.asString(n, h.where + "." + all);
                if (news == null || !news.contains(s)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object o, String where) {
        if (o instanceof Map) {
            return (Map<String, Object>) o;
        }
        throw new ResultsFormatException(where + ": expected an object, got " + V1Results.describe(o));
    }

    private static Instant timestamp(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new ResultsFormatException("metadata.scan_timestamp: \"" + text
                    + "\" is not an ISO-8601 time such as 2026-01-03T10:00:00.123456Z", e);
        }
    }
}
