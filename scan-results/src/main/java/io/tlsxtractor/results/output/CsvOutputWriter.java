package io.tlsxtractor.results.output;

import io.tlsxtractor.plugin.api.AtomicOutput;
import io.tlsxtractor.plugin.api.OutputRecord;
import io.tlsxtractor.plugin.api.OutputTarget;
import io.tlsxtractor.plugin.api.OutputWriter;
import io.tlsxtractor.plugin.api.RecordSink;
import io.tlsxtractor.results.ResultRecords;
import io.tlsxtractor.results.internal.ModuleVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code --format csv}: one row per {@code <result>} (a URL entry record gives one row per
 * connection), RFC 4180: a header row, CRLF line ends, a field quoted when it holds a comma, a
 * quote, CR or LF, quotes doubled, null as an empty field. Columns: {@value #HEADER}.
 * {@code domains} are joined with {@code ;}; {@code subject_cn} and {@code issuer_cn} are the
 * certificate's {@code commonName}s. Written atomically (temporary file, mode 0600) on commit;
 * {@code metadata} and {@code discovered_hosts} records are ignored.
 */
public final class CsvOutputWriter implements OutputWriter {
    /** The header row. */
    public static final String HEADER = "ip,port,status,sni,domains,tls_version,subject_cn,issuer_cn,not_after,"
            + "error_code,error_category,retry_count";

    @Override
    public String name() {
        return "csv";
    }

    @Override
    public String version() {
        return ModuleVersion.VERSION;
    }

    @Override
    public String format() {
        return "csv";
    }

    @Override
    public RecordSink open(OutputTarget target) throws IOException {
        AtomicOutput out = target.open();
        try {
            out.write((HEADER + "\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            out.close();
            throw new IOException("cannot write to " + target.description() + ": " + e.getMessage(), e);
        }
        return new Sink(target, out);
    }

    /** The row of one {@code <result>} object, without the line end. */
    public static String row(Map<?, ?> result) {
        Map<?, ?> cert = result.get("certificate") instanceof Map<?, ?> c ? c : Map.of();
        Map<?, ?> subject = cert.get("subject") instanceof Map<?, ?> s ? s : Map.of();
        Map<?, ?> issuer = cert.get("issuer") instanceof Map<?, ?> i ? i : Map.of();
        Map<?, ?> validity = cert.get("validity") instanceof Map<?, ?> v ? v : Map.of();
        String domains = result.get("domains") instanceof List<?> l
                ? l.stream().map(String::valueOf).collect(Collectors.joining(";")) : null;
        List<Object> fields = new ArrayList<>();
        fields.add(result.get("ip"));
        fields.add(result.get("port"));
        fields.add(result.get("status"));
        fields.add(result.get("sni"));
        fields.add(domains);
        fields.add(result.get("tls_version"));
        fields.add(subject.get("commonName"));
        fields.add(issuer.get("commonName"));
        fields.add(validity.get("not_after"));
        fields.add(result.get("error_code"));
        fields.add(result.get("error_category"));
        fields.add(result.get("retry_count"));
        return fields.stream().map(CsvOutputWriter::field).collect(Collectors.joining(","));
    }

    static String field(Object value) {
        if (value == null) {
            return "";
        }
        String s = String.valueOf(value);
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\r') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static final class Sink implements RecordSink {
        private final OutputTarget target;
        private final AtomicOutput out;

        Sink(OutputTarget target, AtomicOutput out) {
            this.target = target;
            this.out = out;
        }

        @Override
        public void write(OutputRecord record) throws IOException {
            if (OutputRecord.RESULT.equals(record.type())) {
                row(record.fields());
            } else if (ResultRecords.URL.equals(record.type()) && record.fields().get("connections") instanceof List<?> cs) {
                for (Object c : cs) {
                    if (c instanceof Map<?, ?> m) {
                        row(m);
                    }
                }
            }
        }

        private void row(Map<?, ?> result) throws IOException {
            try {
                out.write((CsvOutputWriter.row(result) + "\r\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IOException("cannot write to " + target.description() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void commit() throws IOException {
            out.commit();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
