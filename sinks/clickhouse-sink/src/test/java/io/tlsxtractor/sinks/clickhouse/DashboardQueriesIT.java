package io.tlsxtractor.sinks.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.ScanState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every dashboard query in {@code compose/clickhouse/dashboards} runs against the real server over data loaded
 * twice through the task (the second time cut into other batches, as after a crash), and answers what the data
 * says, once. The Grafana dashboard must carry the same SQL.
 */
class DashboardQueriesIT {

    private static final Path DASHBOARDS = projectDir().resolve("compose/clickhouse/dashboards");
    private static final Path GRAFANA = projectDir().resolve("compose/grafana/tlsxtractor-clickhouse.json");
    private static LocalServices services;
    private static final Map<String, String> answers = new HashMap<>();

    @BeforeAll
    static void loadTwiceAndRunEveryQuery() throws IOException {
        services = LocalServices.get();
        // Dashboards query unqualified names in the data source's default database.
        String db = services.newDatabase("dashboards");
        ClickHouseMigrations.migrate(services.clickHouse.url(), "default", "", db, 30);
        load(db, 1000);
        load(db, 7);
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
                answers.put(file.getFileName().toString(), services.clickHouse.queryIn(db, Files.readString(file) + "\nFORMAT TSV").strip());
            }
        }
    }

    private static void load(String db, int batchRows) {
        Map<String, String> props = ClickHouseSinkTaskIT.props(db);
        props.put(ClickHouseSinkConfig.BATCH_MAX_ROWS, Integer.toString(batchRows));
        try (TaskHarness harness = new TaskHarness(props, services.registryClient)) {
            List<SinkRecord> records = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                records.add(harness.record(Topics.PROBE_RESULTS.name(), TestRecords.probe("scan-d", i)));
                records.add(harness.record(Topics.DOMAINS.name(), TestRecords.observation("scan-d", i)));
                records.add(harness.record(Topics.CERTIFICATES.name(), TestRecords.certificate(i)));
            }
            for (int i = 0; i < 20; i++) {
                records.add(harness.record(Topics.DOMAIN_INVENTORY.name(), TestRecords.inventory(i, 1)));
            }
            records.add(harness.record(Topics.SCAN_STATUS.name(), TestRecords.status("scan-d", 40, ScanState.RUNNING)));
            records.add(harness.record(Topics.SCAN_STATUS.name(), TestRecords.status("scan-d", 100, ScanState.COMPLETED)));
            for (int from = 0; from < records.size(); from += batchRows) {
                harness.put(records.subList(from, Math.min(records.size(), from + batchRows)));
            }
            harness.commit();
            assertThat(harness.reported).isEmpty();
        }
    }

    @Test
    void everyPanelHasAQueryFileAndTheGrafanaDashboardCarriesTheSameSql() throws IOException {
        assertThat(answers).containsOnlyKeys("domains_per_day.sql", "certificates_by_issuer.sql", "expiring_certificates.sql",
                "expiring_certificates_list.sql", "tls_versions.sql", "errors_by_category.sql", "scans.sql",
                "top_registrable_domains.sql");
        JsonNode dashboard = new ObjectMapper().readTree(GRAFANA.toFile());
        List<String> grafanaSql = new ArrayList<>();
        dashboard.get("panels").forEach(p -> grafanaSql.add(p.get("targets").get(0).get("rawSql").asText()));
        List<String> fileSql = new ArrayList<>();
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                fileSql.add(Files.readAllLines(file).stream().filter(l -> !l.startsWith("--"))
                        .collect(Collectors.joining("\n")).strip());
            }
        }
        assertThat(grafanaSql).containsExactlyInAnyOrderElementsOf(fileSql);
    }

    @Test
    void domainsPerDayCountsEachDomainOnce() {
        assertThat(answers.get("domains_per_day.sql")).isEqualTo(today() + "\t50\t4");
    }

    @Test
    void certificatesByIssuerCountsDistinctCertificates() {
        assertThat(answers.get("certificates_by_issuer.sql")).isEqualTo("Issuer 0\t17\nIssuer 1\t17\nIssuer 2\t16");
    }

    @Test
    void expiringCertificatesCountsThoseDueWithinThirtyDays() {
        // Certificate i expires i days and one hour from the load: count per expiry day, computed here in UTC.
        Map<LocalDate, Integer> expected = new java.util.TreeMap<>();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (int i = 0; i < 50; i++) {
            LocalDate day = TestRecords.notAfter(i).atZone(ZoneOffset.UTC).toLocalDate();
            if (!day.isBefore(today) && !day.isAfter(today.plusDays(30))) {
                expected.merge(day, 1, Integer::sum);
            }
        }
        String rows = expected.entrySet().stream().map(e -> e.getKey() + "\t" + e.getValue()).collect(Collectors.joining("\n"));
        assertThat(answers.get("expiring_certificates.sql")).isEqualTo(rows);
    }

    @Test
    void expiringCertificatesListShowsTheThirtyDueSoonestFirst() {
        List<String> lines = answers.get("expiring_certificates_list.sql").lines().toList();
        assertThat(lines).hasSize(30);
        assertThat(lines.get(0)).startsWith(TestRecords.sha(0) + "\thost0.example.com\tIssuer 0\t");
        assertThat(lines.get(29)).startsWith(TestRecords.sha(29) + "\t");
    }

    @Test
    void tlsVersionsCountDistinctEndpoints() {
        assertThat(answers.get("tls_versions.sql")).isEqualTo("TLSv1.2\t20\nTLSv1.3\t20");
    }

    @Test
    void errorsByCategoryCountDistinctFailedProbes() {
        assertThat(answers.get("errors_by_category.sql")).isEqualTo("TIMEOUT\t10");
    }

    @Test
    void scansShowTheLatestStatusOnly() {
        assertThat(answers.get("scans.sql")).startsWith("scan-d\tCOMPLETED\t100\t100\t100\t0\t0\t100\t");
        assertThat(answers.get("scans.sql").lines()).hasSize(1);
    }

    @Test
    void topRegistrableDomainsCountSubdomainsOnce() {
        assertThat(answers.get("top_registrable_domains.sql")).startsWith("example.com\t20\t");
    }

    /** The UTC day of the loaded records (all observed at NOW), not the clock's, which may have passed midnight since. */
    private static String today() {
        return TestRecords.NOW.atZone(ZoneOffset.UTC).toLocalDate().toString();
    }

    private static Path projectDir() {
        String dir = System.getProperty("tlsxtractor.project.dir");
        Path root = dir != null ? Path.of(dir) : Path.of("").toAbsolutePath();
        while (root != null && !Files.isDirectory(root.resolve("compose/clickhouse"))) {
            root = root.getParent();
        }
        if (root == null) {
            throw new IllegalStateException("compose/clickhouse not found above " + Path.of("").toAbsolutePath());
        }
        return root;
    }
}
