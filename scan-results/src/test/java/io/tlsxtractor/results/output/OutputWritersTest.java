package io.tlsxtractor.results.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlsxtractor.plugin.api.OutputRecord;
import io.tlsxtractor.plugin.api.OutputTarget;
import io.tlsxtractor.plugin.api.OutputWriter;
import io.tlsxtractor.plugin.api.PluginRegistry;
import io.tlsxtractor.plugin.api.RecordSink;
import io.tlsxtractor.results.FixturesAccess;
import io.tlsxtractor.results.V1Document;
import io.tlsxtractor.results.V1Results;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The json, jsonl and csv writers: discovery, atomic write and mode 0600, per-line flushing, RFC 4180 quoting. */
class OutputWritersTest {
    @TempDir
    Path dir;

    @Test
    void theThreeWritersAreDiscoveredAsOutputPlugins() {
        try (PluginRegistry registry = PluginRegistry.discover()) {
            registry.enable(List.of("json", "jsonl", "csv"), Map.of());
            assertThat(registry.outputWriters()).extracting(OutputWriter::format).containsExactly("json", "jsonl", "csv");
        }
    }

    @Test
    void jsonIsTheWholeDocumentWrittenAtomicallyWithMode0600() throws IOException {
        V1Document doc = FixturesAccess.url();
        Path out = dir.resolve("results.json");
        Files.writeString(out, "previous scan");
        JsonOutputWriter writer = new JsonOutputWriter();
        try (RecordSink sink = writer.open(OutputTarget.file(out))) {
            for (OutputRecord r : doc.records()) {
                sink.write(r);
            }
            assertThat(Files.readString(out)).as("nothing visible before commit").isEqualTo("previous scan");
            sink.commit();
        }
        assertThat(Files.readString(out, StandardCharsets.UTF_8)).isEqualTo(doc.toJson());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("results.json");
        }
    }

    @Test
    void jsonWithoutCommitLeavesNoFileAndWithoutMetadataRefusesToCommit() throws IOException {
        Path out = dir.resolve("r.json");
        JsonOutputWriter writer = new JsonOutputWriter();
        try (RecordSink sink = writer.open(OutputTarget.file(out))) {
            sink.write(OutputRecord.of(OutputRecord.RESULT, Map.of("ip", "10.0.0.1")));
            assertThatThrownBy(sink::commit).isInstanceOf(IOException.class)
                    .hasMessageContaining(out.toString()).hasMessageContaining("no metadata record");
        }
        assertThat(out).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void eachMixedModeRecordGoesWhereTheDocumentHasIt() throws IOException {
        V1Document doc = FixturesAccess.mixed();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        doc.writeTo(new JsonOutputWriter(), OutputTarget.stream(bytes, "standard output"));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(doc.toJson());
    }

    @Test
    void jsonlWritesAndFlushesEachResultLineAsItArrives() throws IOException {
        V1Document doc = FixturesAccess.ip();
        Path out = dir.resolve("results.jsonl");
        JsonLinesOutputWriter writer = new JsonLinesOutputWriter();
        try (RecordSink sink = writer.open(OutputTarget.file(out))) {
            sink.write(OutputRecord.of(OutputRecord.RESULT, doc.allResults().get(0)));
            List<String> lines = Files.readAllLines(out);
            assertThat(lines).as("the line is on disk before the next arrives").hasSize(1);
            assertThat(lines.get(0)).startsWith("{\"ip\":\"93.184.216.34\",\"port\":443,\"status\":\"success\",\"sni\":null,");
            sink.write(OutputRecord.of(OutputRecord.RESULT, doc.allResults().get(0)));
            assertThat(Files.readAllLines(out)).as("an identical replay is not written twice").hasSize(1);
            sink.write(OutputRecord.of(OutputRecord.RESULT, doc.allResults().get(1)));
            sink.write(doc.records().get(0));
            sink.commit();
        }
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2).as("metadata is not a line").noneMatch(l -> l.contains("\"metadata\""));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
    }

    @Test
    void jsonlLinesHoldTheSameResultObjectAsTheDocument() throws IOException {
        V1Document doc = FixturesAccess.mixed();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        doc.writeTo(new JsonLinesOutputWriter(), OutputTarget.stream(bytes, "standard output"));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(doc.allResults().size());
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        for (int i = 0; i < lines.size(); i++) {
            assertThat(mapper.readValue(lines.get(i), LinkedHashMap.class)).isEqualTo(doc.allResults().get(i));
        }
    }

    @Test
    void csvQuotesPerRfc4180() throws IOException {
        Map<String, Object> result = new LinkedHashMap<>(FixturesAccess.url().allResults().get(0));
        Path out = dir.resolve("results.csv");
        CsvOutputWriter writer = new CsvOutputWriter();
        try (RecordSink sink = writer.open(OutputTarget.file(out))) {
            sink.write(OutputRecord.of(OutputRecord.RESULT, result));
            Map<String, Object> odd = new LinkedHashMap<>(result);
            odd.put("ip", "10.0.0.9");
            odd.put("sni", "a,b");
            odd.put("tls_version", "line\nbreak");
            odd.put("certificate", null);
            odd.put("domains", List.of());
            sink.write(OutputRecord.of(OutputRecord.RESULT, odd));
            sink.commit();
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(text).isEqualTo(CsvOutputWriter.HEADER + "\r\n"
                + "203.0.113.10,8443,success,shop.example.co.uk,"
                + "shop.example.co.uk;*.example.co.uk;cdn.cloudflare.com;user.github.io,TLSv1.2,shop.example.co.uk,"
                + "\"Ünïcode \"\"Quoted\"\" CA\",2026-11-15T08:30:00Z,,,0\r\n"
                + "10.0.0.9,8443,success,\"a,b\",,\"line\nbreak\",,,,,,0\r\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
    }

    @Test
    void csvHasOneRowPerConnectionOfAUrlEntry() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FixturesAccess.url().writeTo(new CsvOutputWriter(), OutputTarget.stream(bytes, "standard output"));
        String[] rows = bytes.toString(StandardCharsets.UTF_8).split("\r\n");
        assertThat(rows).hasSize(3);
        assertThat(rows[2]).startsWith("203.0.113.11,8443,refused,").endsWith(",CONN_REFUSED,refused,0");
    }

    @Test
    void streamedResultRecordsMatchTheDocumentRecords() {
        assertThat(V1Results.toRecord(FixturesAccess.ipProbeResult()).fields()).isEqualTo(FixturesAccess.ip().allResults().get(0));
        assertThat(Set.of(OutputRecord.RESULT)).contains(V1Results.toRecord(FixturesAccess.ipProbeResult()).type());
    }
}
