package io.tlsxtractor.sinks.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import io.tlsxtractor.localstack.ClickHouseProcess;
import io.tlsxtractor.localstack.ClickHouseSettings;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.registry.InMemorySchemaRegistryClient;
import io.tlsxtractor.schemas.serde.AvroSerdeConfig;
import io.tlsxtractor.sinks.clickhouse.internal.RowBinary;
import io.tlsxtractor.sinks.clickhouse.internal.SinkTable;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rows per second through the connector's task path (wire-format Avro decode, mapping, RowBinary, batched INSERTs,
 * put in Connect's default chunks of 500, then the pre-commit write) against a direct client-v2 bulk INSERT of the
 * same rows (RowBinary, batches of the same size) from this process, on a real ClickHouse 26.7. Both are measured in
 * the same run, alternating, and the best round of each is compared: the machine is shared and noisy.
 *
 * <p>The schema registry is the schemas module's in-memory one ({@code mock://}): the task looks a schema id up
 * once and caches it, so a registry process would only add start-up time.
 *
 * <p>Run: see README.md of this module. Arguments: {@code [rows] [rounds]} (default 200000 2).
 */
public final class ClickHouseSinkBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseSinkBenchmark.class);
    private static final int BATCH_ROWS = 50_000;
    private static final int POLL_RECORDS = 500;

    private ClickHouseSinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path dir = Files.createTempDirectory("clickhouse-bench-");
        try (ClickHouseProcess server = ClickHouseProcess.start(new ClickHouseSettings(dir))) {
            List<ProbeResult> values = new ArrayList<>(rows);
            for (int i = 0; i < rows; i++) {
                values.add(TestRecords.probe("bench", i));
            }
            String registryUrl = AvroSerdeConfig.MOCK_SCHEME + "clickhouse-bench";
            double bestTask = 0;
            double bestDirect = 0;
            for (int round = 1; round <= rounds; round++) {
                double task = taskPath(server, registryUrl, values, "bench_task_" + round);
                double direct = directInsert(server, values, "bench_direct_" + round);
                LOG.info("Round {}: task path {} rows/s, direct client-v2 {} rows/s", round, (long) task, (long) direct);
                bestTask = Math.max(bestTask, task);
                bestDirect = Math.max(bestDirect, direct);
            }
            // The benchmark's result is its output; it is run by hand, not by the build.
            System.out.printf("ClickHouse sink benchmark, %,d probe results, best of %d rounds%n", rows, rounds);
            System.out.printf("  connector task path : %,12.0f rows/s%n", bestTask);
            System.out.printf("  direct client-v2    : %,12.0f rows/s%n", bestDirect);
            System.out.printf("  ratio task/direct   : %12.2f   (goal >= 0.5 and >= 50,000 rows/s)%n", bestTask / bestDirect);
        }
    }

    private static String fresh(ClickHouseProcess server, String db) {
        server.query("DROP DATABASE IF EXISTS " + db + " SYNC");
        server.query("CREATE DATABASE " + db + " ENGINE = Atomic");
        ClickHouseMigrations.migrate(server.url(), "default", "", db, 0);
        return db;
    }

    private static double taskPath(ClickHouseProcess server, String registryUrl, List<ProbeResult> values, String db) {
        fresh(server, db);
        Map<String, String> props = new HashMap<>();
        props.put(ClickHouseSinkConfig.URL, server.url());
        props.put(ClickHouseSinkConfig.DATABASE, db);
        props.put(ClickHouseSinkConfig.SCHEMA_REGISTRY_URL, registryUrl);
        props.put(ClickHouseSinkConfig.BATCH_MAX_ROWS, Integer.toString(BATCH_ROWS));
        props.put(ClickHouseSinkConfig.BATCH_MAX_WAIT_MS, "60000");
        try (TaskHarness harness = new TaskHarness(props, InMemorySchemaRegistryClient.scoped("clickhouse-bench"))) {
            // What the consumer hands to the task: serialized values, built before the clock starts.
            List<SinkRecord> records = new ArrayList<>(values.size());
            for (ProbeResult value : values) {
                records.add(harness.record(Topics.PROBE_RESULTS.name(), value));
            }
            long started = System.nanoTime();
            for (int from = 0; from < records.size(); from += POLL_RECORDS) {
                harness.put(records.subList(from, Math.min(records.size(), from + POLL_RECORDS)));
            }
            harness.commit();
            double seconds = (System.nanoTime() - started) / 1e9;
            if (!harness.reported.isEmpty()) {
                throw new IllegalStateException(harness.reported.size() + " records went to the errant-record reporter, first: "
                        + harness.reported.get(0).error(), harness.reported.get(0).error());
            }
            check(server, db, values.size());
            return values.size() / seconds;
        }
    }

    private static double directInsert(ClickHouseProcess server, List<ProbeResult> values, String db) throws Exception {
        fresh(server, db);
        try (Client client = new Client.Builder().addEndpoint(server.url()).setUsername("default").setPassword("")
                .setDefaultDatabase(db).build()) {
            long started = System.nanoTime();
            RowBinary rows = new RowBinary(1 << 20);
            for (int from = 0; from < values.size(); from += BATCH_ROWS) {
                rows.clear();
                int to = Math.min(values.size(), from + BATCH_ROWS);
                for (int i = from; i < to; i++) {
                    SinkTable.PROBE_RESULTS.write(values.get(i), 0, i, rows);
                }
                try (InsertResponse ignored = client.insert(db + ".probe_results", SinkTable.PROBE_RESULTS.columns(),
                        new ByteArrayInputStream(rows.array(), 0, rows.size()), ClickHouseFormat.RowBinary,
                        new InsertSettings()).get(300, TimeUnit.SECONDS)) {
                    LOG.debug("Inserted rows {}-{}", from, to);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            check(server, db, values.size());
            return values.size() / seconds;
        }
    }

    private static void check(ClickHouseProcess server, String db, int rows) {
        long loaded = Long.parseLong(server.query("SELECT count() FROM " + db + ".probe_results").strip());
        if (loaded != rows) {
            throw new IllegalStateException(db + ".probe_results holds " + loaded + " rows, expected " + rows);
        }
    }
}
