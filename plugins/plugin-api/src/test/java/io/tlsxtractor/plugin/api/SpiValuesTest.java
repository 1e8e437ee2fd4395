package io.tlsxtractor.plugin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlsxtractor.plugin.api.testplugins.TestLinesWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The values the engine hands to plugins and receives from them. */
class SpiValuesTest {

    @Test
    void extractionInputCannotBeChangedByAPlugin() {
        byte[] leaf = {1, 2, 3};
        byte[] issuer = {4, 5};
        ExtractionInput input = ExtractionInput.builder("2001:db8::1", 443).chain(List.of(leaf, issuer)).build();
        leaf[0] = 9;
        input.leafCertificate().orElseThrow()[1] = 9;
        input.chain().get(1)[0] = 9;

        assertThat(input.leafCertificate()).get().isEqualTo(new byte[] {1, 2, 3});
        assertThat(input.chain()).satisfiesExactly(
                der -> assertThat(der).isEqualTo(new byte[] {1, 2, 3}),
                der -> assertThat(der).isEqualTo(new byte[] {4, 5}));
        assertThat(input.sni()).isEmpty();
        assertThat(input.http()).isEmpty();
        assertThatThrownBy(() -> ExtractionInput.builder("192.0.2.1", 0).build())
                .hasMessage("port out of range 1..65535: 0");
    }

    @Test
    void headersAreACaseInsensitiveMultiMap() {
        HttpHeaders headers = HttpHeaders.builder()
                .add("Content-Security-Policy", "default-src 'self'")
                .add("content-security-policy", "script-src cdn.example.com")
                .add("Content-Type", "text/html; charset=ISO-8859-1")
                .build();
        assertThat(headers.all("CONTENT-SECURITY-POLICY"))
                .containsExactly("default-src 'self'", "script-src cdn.example.com");
        assertThat(headers.first("content-type")).contains("text/html; charset=ISO-8859-1");
        assertThat(headers.all("X-Missing")).isEmpty();
        assertThat(headers.names()).containsExactly("Content-Security-Policy", "Content-Type");

        byte[] body = "café".getBytes(StandardCharsets.ISO_8859_1);
        HttpResponse response = new HttpResponse(200, "https://example.com/", headers, body, false);
        body[0] = 'X';
        assertThat(response.bodyText()).isEqualTo("café");
        assertThat(response.bodyLength()).isEqualTo(4);
    }

    @Test
    void outputRecordsAreDeepImmutableCopiesOfPlainData() {
        List<Object> domains = new ArrayList<>(List.of("a.example", "b.example"));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("ip", "192.0.2.1");
        fields.put("port", 443);
        fields.put("sni", null);
        fields.put("domains", domains);
        fields.put("certificate", Map.of("san", List.of("a.example")));
        OutputRecord record = OutputRecord.of(OutputRecord.RESULT, fields);
        domains.add("c.example");

        assertThat(record.fields()).containsKeys("ip", "port", "sni", "domains", "certificate");
        assertThat(record.fields().keySet()).containsExactly("ip", "port", "sni", "domains", "certificate");
        assertThat(record.fields().get("domains")).isEqualTo(List.of("a.example", "b.example"));
        assertThatThrownBy(() -> record.fields().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);

        assertThatThrownBy(() -> OutputRecord.of("result",
                Map.of("certificate", Map.of("validity", Map.of("not_before", Instant.EPOCH)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("result.certificate.validity.not_before: unsupported value type java.time.Instant");
        assertThatThrownBy(() -> Enrichment.of(Map.of("answers", List.of("192.0.2.1", new Object()))))
                .hasMessageStartingWith("enrichment.answers[1]: unsupported value type java.lang.Object");
    }

    @Test
    void filterDecisionsCarryAReasonOnlyWhenDropping() {
        assertThat(FilterDecision.keep().kept()).isTrue();
        assertThat(FilterDecision.drop("excluded by cdn.example").reason()).contains("excluded by cdn.example");
        assertThatThrownBy(() -> FilterDecision.drop(" ")).hasMessage("a DROP decision needs a reason");
    }

    @Test
    void aFileOutputAppearsOnlyOnCommitAndIsPrivate(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out/results.lines");
        OutputWriter writer = new TestLinesWriter();
        try (RecordSink sink = writer.open(OutputTarget.file(file))) {
            sink.write(OutputRecord.of(OutputRecord.RESULT, Map.of("ip", "192.0.2.1")));
            assertThat(file).doesNotExist();
            sink.commit();
        }
        assertThat(Files.readString(file)).isEqualTo("result {ip=192.0.2.1}\n");
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }

        try (RecordSink sink = writer.open(OutputTarget.file(file))) {
            sink.write(OutputRecord.of(OutputRecord.RESULT, Map.of("ip", "192.0.2.2")));
            // no commit: as if the scan failed half-way
        }
        assertThat(Files.readString(file)).as("the previous output is untouched").isEqualTo("result {ip=192.0.2.1}\n");
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("results.lines");
        }
    }

    @Test
    void aStreamOutputIsFlushedButNotClosed() throws IOException {
        boolean[] closed = {false};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        try (RecordSink sink = new TestLinesWriter().open(OutputTarget.stream(bytes, "standard output"))) {
            sink.write(OutputRecord.of("metadata", Map.of("version", "1.0")));
            sink.commit();
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("metadata {version=1.0}\n");
        assertThat(closed[0]).isFalse();
        assertThat(Arrays.asList(PluginKind.values())).extracting(PluginKind::label)
                .containsExactly("extractor", "filter", "enricher", "output");
    }
}
