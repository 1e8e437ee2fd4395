package io.tlsxtractor.sinks.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.ScanState;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The task path on the real registry and the real ClickHouse 26.7: decoding, mapping into the six tables,
 * batching, idempotence under redelivery, the errant-record reporter, and configuration errors at start.
 */
class ClickHouseSinkTaskIT {

    private static LocalServices services;

    @BeforeAll
    static void services() {
        services = LocalServices.get();
    }

    static Map<String, String> props(String database) {
        LocalServices services = LocalServices.get();
        Map<String, String> props = new HashMap<>();
        props.put(ClickHouseSinkConfig.URL, services.clickHouse.url());
        props.put(ClickHouseSinkConfig.DATABASE, database);
        props.put(ClickHouseSinkConfig.SCHEMA_REGISTRY_URL, services.registry.url());
        props.put(ClickHouseSinkConfig.BATCH_MAX_ROWS, "1000");
        props.put(ClickHouseSinkConfig.RETRY_BACKOFF_MS, "100");
        return props;
    }

    private static String migrated(String name) {
        String db = services.newDatabase(name);
        ClickHouseMigrations.migrate(services.clickHouse.url(), "default", "", db, 30);
        return db;
    }

    @Test
    void loadsEveryTopicIntoItsTableWithTypedColumns() {
        String db = migrated("task_all_topics");
        try (TaskHarness harness = new TaskHarness(props(db), services.registryClient)) {
            List<SinkRecord> records = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                records.add(harness.record(Topics.PROBE_RESULTS.name(), TestRecords.probe("scan-1", i)));
                records.add(harness.record(Topics.DOMAINS.name(), TestRecords.observation("scan-1", i)));
                records.add(harness.record(Topics.DOMAIN_INVENTORY.name(), TestRecords.inventory(i, 1)));
                records.add(harness.record(Topics.CERTIFICATES.name(), TestRecords.certificate(i)));
                records.add(harness.record(Topics.EVENTS.name(), TestRecords.event("scan-1", i)));
            }
            records.add(harness.record(Topics.SCAN_STATUS.name(), TestRecords.status("scan-1", 10, ScanState.RUNNING)));
            records.add(harness.record(Topics.SCAN_STATUS.name(), TestRecords.status("scan-1", 50, ScanState.COMPLETED)));
            harness.put(records);
            // Under every threshold: nothing is written before the commit, and the task asks to be called back.
            assertThat(services.count("SELECT count() FROM " + db + ".probe_results")).isZero();
            assertThat(harness.lastTimeoutMs).isPositive();
            assertThat(harness.commit()).isNotEmpty();
            assertThat(harness.reported).isEmpty();
        }
        assertThat(services.count("SELECT count() FROM " + db + ".probe_results")).isEqualTo(50);
        assertThat(services.count("SELECT count() FROM " + db + ".domain_observations")).isEqualTo(50);
        assertThat(services.count("SELECT count() FROM " + db + ".domain_inventory")).isEqualTo(50);
        assertThat(services.scalar("SELECT countIf(dns_status = 'NXDOMAIN'), countIf(dns_status IS NULL) FROM " + db
                + ".domain_inventory")).isEqualTo("10\t40");
        assertThat(services.count("SELECT count() FROM " + db + ".certificates")).isEqualTo(50);
        assertThat(services.count("SELECT count() FROM " + db + ".events")).isEqualTo(50);
        // Two versions of one scan's status: FINAL keeps the newer (higher offset).
        assertThat(services.scalar("SELECT state, done FROM " + db + ".scan_status FINAL")).isEqualTo("COMPLETED\t50");
        // IPv4 is kept both as IPv4-mapped IPv6 (the key) and as IPv4; IPv6 only as IPv6.
        assertThat(services.scalar("SELECT toString(ip), toString(ipv4), port, tls_version, leaf_issuer_o FROM " + db
                + ".probe_results WHERE ip_text = '10.0.0.2'")).isEqualTo("::ffff:10.0.0.2\t10.0.0.2\t443\tTLSv1.3\tIssuer 2");
        assertThat(services.scalar("SELECT toString(ip), ipv4 IS NULL FROM " + db + ".probe_results WHERE ip_text = '"
                + TestRecords.ip(6) + "'")).isEqualTo("2001:db8::6\t1");
        assertThat(services.scalar("SELECT status, error_category, tls_version IS NULL FROM " + db
                + ".probe_results WHERE ip_text = '10.0.0.4'")).isEqualTo("TIMEOUT\tTIMEOUT\t1");
        // Certificate 7 expires 7 days and one hour after NOW: its UTC day is computed here, not counted from
        // today(), which is one day short of it in the last hour of a UTC day.
        LocalDate expiry = TestRecords.notAfter(7).atZone(ZoneOffset.UTC).toLocalDate();
        assertThat(services.scalar("SELECT toString(toDate(not_after)), issuer_o, key_size, length(der) FROM " + db
                + ".certificates WHERE sha256 = '" + TestRecords.sha(7) + "'")).isEqualTo(expiry + "\tIssuer 1\t2048\t4");
        assertThat(services.scalar("SELECT errors_by_category['TIMEOUT'] FROM " + db + ".scan_status FINAL")).isEqualTo("2");
        assertThat(services.scalar("SELECT data['domain'] FROM " + db + ".events WHERE event_id = 'event-3'"))
                .isEqualTo("host3.example.com");
        assertThat(services.scalar("SELECT toTypeName(observed_at), toTypeName(source) FROM " + db
                + ".domain_observations LIMIT 1 FORMAT TabSeparatedRaw")).isEqualTo("DateTime64(3, 'UTC')\tLowCardinality(String)");
    }

    @Test
    void aReplayedLoadDoesNotDoubleWhatQueriesSee() {
        String db = migrated("task_replay");
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            values.add(TestRecords.probe("scan-r", i));
        }
        // First delivery: batches of 1000 rows max, all 200 in one INSERT.
        loadProbes(db, values, 200);
        assertThat(services.count("SELECT count() FROM " + db + ".probe_results")).isEqualTo(200);
        // Exact replay (same records, same batch): the deduplication token drops it before it reaches the table.
        loadProbes(db, values, 200);
        assertThat(services.count("SELECT count() FROM " + db + ".probe_results")).isEqualTo(200);
        // Replay cut into other batches (as after a crash): the rows land again, FINAL and the aggregates see each once.
        loadProbes(db, values, 37);
        assertThat(services.count("SELECT count() FROM " + db + ".probe_results FINAL")).isEqualTo(200);
        assertThat(services.count("SELECT uniqExactMerge(endpoints) FROM " + db + ".tls_versions_per_day")).isEqualTo(160);
        assertThat(services.count("SELECT uniqExactMerge(probes) FROM " + db + ".errors_by_category_per_day")).isEqualTo(40);
    }

    private static void loadProbes(String db, List<Object> values, int batchRows) {
        Map<String, String> props = props(db);
        props.put(ClickHouseSinkConfig.BATCH_MAX_ROWS, Integer.toString(batchRows));
        try (TaskHarness harness = new TaskHarness(props, services.registryClient)) {
            List<SinkRecord> records = new ArrayList<>();
            for (Object value : values) {
                records.add(harness.record(Topics.PROBE_RESULTS.name(), value));
            }
            for (int from = 0; from < records.size(); from += batchRows) {
                harness.put(records.subList(from, Math.min(records.size(), from + batchRows)));
            }
            harness.commit();
        }
    }

    @Test
    void undecodableAndUnmappableRecordsAreReportedWithTheReasonAndTheRestLoads() {
        String db = migrated("task_bad_records");
        try (TaskHarness harness = new TaskHarness(props(db), services.registryClient)) {
            List<SinkRecord> records = new ArrayList<>();
            records.add(harness.record(Topics.PROBE_RESULTS.name(), TestRecords.probe("scan-b", 1)));
            SinkRecord garbage = harness.raw(Topics.PROBE_RESULTS.name(), new byte[] {42, 1, 2, 3, 4, 5});
            records.add(garbage);
            SinkRecord unknownSchema = harness.raw(Topics.PROBE_RESULTS.name(), new byte[] {0, 0x7f, 0, 0, 1, 2});
            records.add(unknownSchema);
            io.tlsxtractor.schemas.avro.ProbeResult badIp = TestRecords.probe("scan-b", 2);
            badIp.setIp("not-an-ip.example");
            SinkRecord unmappable = harness.record(Topics.PROBE_RESULTS.name(), badIp);
            records.add(unmappable);
            records.add(harness.record(Topics.PROBE_RESULTS.name(), TestRecords.probe("scan-b", 3)));
            harness.put(records);
            harness.commit();

            assertThat(harness.reported).extracting(TaskHarness.Reported::record)
                    .containsExactly(garbage, unknownSchema, unmappable);
            assertThat(harness.reported.get(0).error().getMessage())
                    .contains("tlsx.probe-results.v1-0@1").contains("magic byte");
            assertThat(harness.reported.get(1).error().getMessage()).contains("schema id " + 0x7f000001);
            assertThat(harness.reported.get(2).error().getMessage())
                    .contains("table probe_results").contains("'not-an-ip.example' is not an IP");
        }
        assertThat(services.scalar("SELECT groupArray(ip_text) FROM (SELECT ip_text FROM " + db
                + ".probe_results ORDER BY ip_text)")).isEqualTo("['10.0.0.1','10.0.0.3']");
    }

    @Test
    void aMissingDatabaseOrMissingTablesFailTheStartWithTheReason() {
        assertThatThrownBy(() -> new TaskHarness(props("no_such_db"), services.registryClient))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("no_such_db");
        ClickHouseSinkConnector connector = new ClickHouseSinkConnector();
        assertThatThrownBy(() -> connector.start(props("no_such_db")))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("database 'no_such_db' does not exist");
        String empty = services.newDatabase("task_unmigrated");
        assertThatThrownBy(() -> new TaskHarness(props(empty), services.registryClient))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("lacks the tables")
                .hasMessageContaining("probe_results");
        Map<String, String> wrongUser = props(empty);
        wrongUser.put(ClickHouseSinkConfig.USER, "nobody");
        assertThatThrownBy(() -> connector.start(wrongUser))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("nobody");
    }
}
