package io.tlsxtractor.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The document of each mode, byte for byte against golden files written by hand from V1-COMPAT.md
 * (and checked to be exactly what Python's {@code json.dump(indent=2, ensure_ascii=False)} writes),
 * then field by field: key order and JSON types, so that a failure says which key is wrong.
 */
class V1DocumentStructureTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final List<String> RESULT_KEYS = List.of("ip", "port", "status", "sni", "domains", "domain_sources",
            "tls_version", "certificate", "error", "error_code", "error_category", "error_details", "retry_count",
            "successful_attempt");
    private static final List<String> HOSTS_KEYS = List.of("hostnames", "tlds", "wildcards", "total_hostnames",
            "total_tlds", "new_hostnames", "new_tlds", "total_new_hostnames", "total_new_tlds", "source_breakdown");

    @Test
    void ipScanDocumentIsTheGoldenOne() {
        assertThat(Fixtures.ipDocument().toJson()).isEqualTo(Fixtures.golden("ip_scan.json"));
    }

    @Test
    void urlScanDocumentIsTheGoldenOne() {
        assertThat(Fixtures.urlDocument().toJson()).isEqualTo(Fixtures.golden("url_scan.json"));
    }

    @Test
    void mixedScanDocumentIsTheGoldenOne() {
        assertThat(Fixtures.mixedDocument().toJson()).isEqualTo(Fixtures.golden("mixed_scan.json"));
    }

    @Test
    void ipScanKeysAndTypes() throws Exception {
        JsonNode doc = MAPPER.readTree(Fixtures.ipDocument().toJson());
        assertThat(keys(doc)).containsExactly("metadata", "results", "discovered_hosts");
        JsonNode meta = doc.get("metadata");
        assertThat(keys(meta)).containsExactly("version", "scan_timestamp", "mode", "parameters", "statistics");
        assertThat(meta.get("version").textValue()).isEqualTo("1.0");
        assertThat(meta.get("scan_timestamp").textValue()).isEqualTo("2026-01-03T10:00:00.123456Z");
        assertThat(keys(meta.get("parameters"))).containsExactly("input", "port", "timeout", "threads", "retry");
        assertThat(meta.get("parameters").get("port").isInt()).isTrue();
        JsonNode stats = meta.get("statistics");
        assertThat(keys(stats)).containsExactly("total_targets", "scanned", "successful", "failed", "unique_domains",
                "elapsed_seconds", "scan_rate", "error_breakdown");
        assertThat(stats.get("elapsed_seconds").isDouble()).isTrue();
        assertThat(stats.get("scan_rate").isDouble()).isTrue();
        assertThat(stats.get("scanned").isInt()).isTrue();
        assertThat(keys(stats.get("error_breakdown"))).containsExactly("by_category", "by_code", "retry_success_distribution");

        assertThat(doc.get("results").getNodeType()).isEqualTo(JsonNodeType.ARRAY);
        JsonNode ok = doc.get("results").get(0);
        assertThat(keys(ok)).containsExactlyElementsOf(RESULT_KEYS);
        assertThat(ok.get("port").isInt()).isTrue();
        assertThat(ok.get("sni").isNull()).as("an IP target is probed without SNI: sni is null, not absent").isTrue();
        assertThat(keys(ok.get("domain_sources"))).containsExactly("sni", "san", "cn", "csp");
        assertThat(keys(ok.get("certificate"))).containsExactly("subject", "san", "issuer", "validity");
        assertThat(keys(ok.get("certificate").get("subject"))).containsExactly("countryName", "organizationName", "commonName");
        assertThat(keys(ok.get("certificate").get("validity"))).containsExactly("not_before", "not_after");
        assertThat(ok.get("certificate").get("validity").get("not_after").textValue())
                .as("validity to the second, UTC").isEqualTo("2026-03-01T23:59:59Z");
        assertThat(ok.get("successful_attempt").isInt()).isTrue();
        JsonNode failed = doc.get("results").get(1);
        assertThat(failed.get("certificate").isNull()).isTrue();
        assertThat(failed.get("successful_attempt").isNull()).isTrue();
        assertThat(failed.get("error_details").isObject()).isTrue();
        assertThat(ok.get("error_details").isNull()).isTrue();

        JsonNode hosts = doc.get("discovered_hosts");
        assertThat(keys(hosts)).as("no filter: no filtered_count").containsExactlyElementsOf(HOSTS_KEYS);
        assertThat(keys(hosts.get("source_breakdown"))).containsExactly("san", "cn", "csp");
        assertThat(hosts.get("total_hostnames").isInt()).isTrue();
    }

    @Test
    void urlScanResultsAreUrlEntriesWithConnections() throws Exception {
        JsonNode doc = MAPPER.readTree(Fixtures.urlDocument().toJson());
        JsonNode entry = doc.get("results").get(0);
        assertThat(keys(entry)).containsExactly("url", "hostname", "port", "dns_status", "resolved_ips", "connections");
        assertThat(keys(entry.get("connections").get(0))).containsExactlyElementsOf(RESULT_KEYS);
        JsonNode stats = doc.get("metadata").get("statistics");
        assertThat(keys(stats)).endsWith("error_breakdown", "domains_filtered", "total_urls", "total_ips_scanned");
        List<String> hostsKeys = new ArrayList<>(HOSTS_KEYS);
        hostsKeys.add("filtered_count");
        assertThat(keys(doc.get("discovered_hosts"))).containsExactlyElementsOf(hostsKeys);
    }

    @Test
    void mixedScanResultsHaveIpsAndUrls() throws Exception {
        JsonNode doc = MAPPER.readTree(Fixtures.mixedDocument().toJson());
        assertThat(keys(doc.get("results"))).containsExactly("ips", "urls");
        assertThat(keys(doc.get("results").get("ips").get(0))).containsExactlyElementsOf(RESULT_KEYS);
        assertThat(keys(doc.get("results").get("ips").get(0).get("domain_sources")))
                .as("js appears only because a name came from it").containsExactly("sni", "san", "cn", "csp", "js");
        JsonNode gone = doc.get("results").get("urls").get(1);
        assertThat(keys(gone)).containsExactly("url", "hostname", "port", "dns_status", "resolved_ips", "connections",
                "dns_error");
        assertThat(keys(doc.get("metadata").get("statistics"))).endsWith("error_breakdown", "total_ips", "total_urls");
        assertThat(doc.get("metadata").get("statistics").has("domains_filtered")).isFalse();
        assertThat(doc.get("discovered_hosts").has("filtered_count")).isFalse();
    }

    @Test
    void nonAsciiIsWrittenAsIsInUtf8() {
        String json = Fixtures.urlDocument().toJson();
        assertThat(json).contains("\"Bäckerei Müller Ltd\"").contains("\"Ünïcode \\\"Quoted\\\" CA\"").doesNotContain("\\u00");
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
