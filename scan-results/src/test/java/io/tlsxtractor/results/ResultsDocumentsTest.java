package io.tlsxtractor.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlsxtractor.schemas.avro.NameSource;
import io.tlsxtractor.schemas.avro.ProbeResult;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Import of a 1.x document into v2 records, export as the v2 JSON lines stream, and back to the same document. */
class ResultsDocumentsTest {

    private static HostFilters filtersOf(String golden) {
        return golden.equals("url_scan.json") ? HostFilters.v1(true, List.of(), List.of()) : HostFilters.none();
    }

    @ParameterizedTest
    @CsvSource({"ip_scan.json", "url_scan.json", "mixed_scan.json"})
    void importThenRebuildGivesTheDocumentBackByteForByte(String golden) {
        String v1 = Fixtures.golden(golden);
        ImportedDocument imported = ResultsDocuments.fromV1(v1, "import-1");
        assertThat(imported.rebuild(filtersOf(golden)).toJson()).isEqualTo(v1);
    }

    @ParameterizedTest
    @CsvSource({"ip_scan.json", "url_scan.json", "mixed_scan.json"})
    void exportToV2RecordsAndBackGivesTheDocument(String golden) {
        String v1 = Fixtures.golden(golden);
        String lines = ResultsDocuments.toV2(v1, "import-1");
        List<ProbeResult> records = ResultsDocuments.fromJsonLines(lines);
        ImportedDocument imported = ResultsDocuments.fromV1(v1, "import-1");
        assertThat(records).isEqualTo(imported.results());
        // The stream carries results only: metadata and DNS facts come from the import (see ResultsDocuments).
        ImportedDocument fromStream = new ImportedDocument(imported.metadata(), records, imported.urls(),
                imported.elapsedSeconds(), imported.scanRate(), imported.filterApplied());
        assertThat(fromStream.rebuild(filtersOf(golden)).toJson()).isEqualTo(v1);
    }

    @Test
    void importedRecordsCarryTheV2Fields() {
        ImportedDocument imported = ResultsDocuments.fromV1(Fixtures.golden("url_scan.json"), "import-1");
        ProbeResult ok = imported.results().get(0);
        assertThat(ok.getScanId()).isEqualTo("import-1");
        assertThat(ok.getUrl()).isEqualTo(Fixtures.SHOP_URL);
        assertThat(ok.getHostname()).isEqualTo("shop.example.co.uk");
        assertThat(ok.getLeaf().getSans()).containsExactly("shop.example.co.uk", "*.example.co.uk", "cdn.cloudflare.com");
        assertThat(ok.getNames()).filteredOn(n -> n.getSource() == NameSource.CSP)
                .extracting(n -> n.getName()).containsExactly("user.github.io");
        assertThat(ok.getProbedAt()).isEqualTo(java.time.Instant.parse("2026-01-03T10:00:00Z"));
        assertThat(imported.metadata().inputHostnames()).contains("shop.example.co.uk");
        assertThat(ResultsDocuments.toV2(Fixtures.golden("ip_scan.json"), "s").lines().count()).isEqualTo(2);
    }

    @Test
    void errorsNameThePathAndTheProblem() {
        assertThatThrownBy(() -> ResultsDocuments.fromV1("{\"metadata\": ", "s"))
                .isInstanceOf(ResultsFormatException.class).hasMessageStartingWith("not a JSON object");
        String badPort = Fixtures.golden("mixed_scan.json").replace("\"port\": 443,\n        \"status\"",
                "\"port\": \"443\",\n        \"status\"");
        assertThatThrownBy(() -> ResultsDocuments.fromV1(badPort, "s"))
                .isInstanceOf(ResultsFormatException.class)
                .hasMessage("results.ips[0].port: expected an integer, got \"443\"");
        String badMode = Fixtures.golden("ip_scan.json").replace("\"ip_scan\"", "\"cidr_scan\"");
        assertThatThrownBy(() -> ResultsDocuments.fromV1(badMode, "s"))
                .hasMessageContaining("metadata.mode: unknown scan mode \"cidr_scan\"");
        assertThatThrownBy(() -> ResultsDocuments.fromJsonLines("{\"scanId\": 1}\n"))
                .isInstanceOf(ResultsFormatException.class).hasMessageStartingWith("line 1: not a ProbeResult");
    }
}
