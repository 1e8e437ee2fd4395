package io.tlsxtractor.results;

import io.tlsxtractor.schemas.avro.CertificateFields;
import io.tlsxtractor.schemas.avro.ErrorCategory;
import io.tlsxtractor.schemas.avro.ErrorCode;
import io.tlsxtractor.schemas.avro.ExtractedName;
import io.tlsxtractor.schemas.avro.NameSource;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.ProbeStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The scans behind the golden documents in {@code src/test/resources/golden}, built as the probe engine would report them. */
final class Fixtures {
    static final Instant PROBED = Instant.parse("2026-01-03T10:00:01Z");

    private Fixtures() {
    }

    static String golden(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("golden file " + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ExtractedName name(String name, NameSource source) {
        return new ExtractedName(name, source, null);
    }

    static Map<String, String> map(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static ProbeResult.Builder success(String ip, int port, String sni, ExtractedName... names) {
        return ProbeResult.newBuilder().setScanId("scan-1").setIp(ip).setPort(port).setSni(sni)
                .setStatus(ProbeStatus.SUCCESS).setTlsVersion("TLSv1.3").setNames(List.of(names))
                .setRetryCount(0).setSuccessfulAttempt(1).setProbedAt(PROBED);
    }

    static ProbeResult.Builder failure(String ip, int port, String sni, ProbeStatus status, ErrorCode code,
            ErrorCategory category, String error) {
        return ProbeResult.newBuilder().setScanId("scan-1").setIp(ip).setPort(port).setSni(sni)
                .setStatus(status).setErrorCode(code).setErrorCategory(category).setError(error)
                .setProbedAt(PROBED);
    }

    // ---- ip_scan ----

    static ScanMetadata ipMetadata() {
        return ScanMetadata.builder(ScanMode.IP_SCAN)
                .v1Parameters("93.184.216.34/31", 443, 5, 50, 3)
                .scanTimestamp(Instant.parse("2026-01-03T10:00:00.123456789Z"))
                .totalTargets(2)
                .build();
    }

    static List<ProbeResult> ipResults() {
        CertificateFields leaf = CertificateFields.newBuilder()
                // Deliberately not in certificate order: the document orders name attributes itself.
                .setSubject(map("commonName", "www.example.com", "organizationName", "Example Inc", "countryName", "US"))
                .setIssuer(map("commonName", "Example CA", "organizationName", "Example Trust"))
                .setSans(List.of("www.example.com", "example.com"))
                .setNotBefore(Instant.parse("2025-12-01T00:00:00Z"))
                .setNotAfter(Instant.parse("2026-03-01T23:59:59.999Z"))
                .build();
        ProbeResult ok = success("93.184.216.34", 443, null,
                name("www.example.com", NameSource.SAN), name("example.com", NameSource.SAN),
                name("www.example.com", NameSource.CN))
                .setLeaf(leaf).setRetryCount(1).setSuccessfulAttempt(2).setAttempts(2).build();
        ProbeResult timeout = failure("93.184.216.35", 443, null, ProbeStatus.FAILED, ErrorCode.CONN_TIMEOUT,
                ErrorCategory.TIMEOUT, "connection timed out after 5s")
                .setErrorDetails(map("timeout_seconds", "5")).setRetryCount(3).setAttempts(4).build();
        return List.of(ok, timeout);
    }

    static V1Document ipDocument() {
        ResultsDocument doc = ResultsDocument.create(ipMetadata(), HostFilters.none());
        ipResults().forEach(doc::add);
        return doc.finish(Duration.ofMillis(2500));
    }

    // ---- url_scan ----

    static final String SHOP_URL = "https://shop.example.co.uk:8443/cart";

    static ScanMetadata urlMetadata() {
        return ScanMetadata.builder(ScanMode.URL_SCAN)
                .v1Parameters(SHOP_URL, 8443, 5, 50, 3)
                .scanTimestamp(Instant.parse("2026-01-03T10:00:00Z"))
                .inputHostnames(List.of("Shop.Example.co.uk."))
                .totalTargets(2)
                .totalUrls(1)
                .build();
    }

    static List<ProbeResult> urlResults() {
        CertificateFields leaf = CertificateFields.newBuilder()
                .setSubject(map("organizationName", "Bäckerei Müller Ltd", "commonName", "shop.example.co.uk",
                        "countryName", "GB"))
                .setIssuer(map("commonName", "Ünïcode \"Quoted\" CA"))
                .setSans(List.of("shop.example.co.uk", "*.example.co.uk", "cdn.cloudflare.com"))
                .setNotBefore(Instant.parse("2025-11-15T08:30:00Z"))
                .setNotAfter(Instant.parse("2026-11-15T08:30:00Z"))
                .build();
        ProbeResult ok = success("203.0.113.10", 8443, "shop.example.co.uk",
                name("shop.example.co.uk", NameSource.SNI),
                name("shop.example.co.uk", NameSource.SAN), name("*.example.co.uk", NameSource.SAN),
                name("cdn.cloudflare.com", NameSource.SAN),
                name("shop.example.co.uk", NameSource.CN),
                name("user.github.io", NameSource.CSP))
                .setTlsVersion("TLSv1.2").setLeaf(leaf).setHostname("shop.example.co.uk").setUrl(SHOP_URL).build();
        ProbeResult refused = failure("203.0.113.11", 8443, "shop.example.co.uk", ProbeStatus.REFUSED,
                ErrorCode.CONN_REFUSED, ErrorCategory.REFUSED, "Connection refused")
                .setHostname("shop.example.co.uk").setUrl(SHOP_URL).build();
        return List.of(ok, refused);
    }

    static V1Document urlDocument() {
        ResultsDocument doc = ResultsDocument.create(urlMetadata(), HostFilters.v1(true, List.of(), List.of()));
        doc.addUrl(UrlTarget.resolved(SHOP_URL, "shop.example.co.uk", 8443, List.of("203.0.113.10", "203.0.113.11")));
        urlResults().forEach(doc::add);
        return doc.finish(Duration.ofMillis(1234));
    }

    // ---- mixed_scan ----

    static ScanMetadata mixedMetadata() {
        return ScanMetadata.builder(ScanMode.MIXED_SCAN)
                .v1Parameters("targets.txt", 443, 5, 50, 3)
                .parameter("sni_strategy", "default")
                .scanTimestamp(Instant.parse("2026-01-03T10:00:00.5Z"))
                .inputHostnames(List.of("api.example.org", "gone.example.net"))
                .totalTargets(2)
                .totalIps(1)
                .totalUrls(2)
                .build();
    }

    static List<ProbeResult> mixedResults() {
        ProbeResult ip = success("198.51.100.7", 443, null,
                name("example.org", NameSource.SAN), name("bad_name.example.org", NameSource.SAN),
                name("xn--mnchen-3ya.de", NameSource.SAN), name("api.example.org", NameSource.JS)).build();
        ProbeResult api = success("198.51.100.8", 443, "api.example.org",
                name("api.example.org", NameSource.SNI), name("api.example.org", NameSource.SAN))
                .setHostname("api.example.org").setUrl("api.example.org").build();
        return List.of(ip, api);
    }

    static V1Document mixedDocument() {
        ResultsDocument doc = ResultsDocument.create(mixedMetadata(), HostFilters.none());
        doc.addUrl(UrlTarget.resolved("api.example.org", "api.example.org", 443, List.of("198.51.100.8")));
        doc.addUrl(new UrlTarget("https://gone.example.net/", "gone.example.net", 443, "NXDOMAIN", List.of(),
                "Name or service not known"));
        // Arrival order of results is not the document's concern: the URL part is grouped.
        List<ProbeResult> results = new ArrayList<>(mixedResults());
        results.forEach(doc::add);
        return doc.finish(Duration.ofSeconds(10));
    }
}
