package io.tlsxtractor.sinks.neo4j;

import io.tlsxtractor.localstack.Neo4jProcess;
import io.tlsxtractor.localstack.Neo4jSettings;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.registry.InMemorySchemaRegistryClient;
import io.tlsxtractor.schemas.serde.AvroSerializer;
import io.tlsxtractor.sinks.neo4j.internal.GraphFacts;
import io.tlsxtractor.sinks.neo4j.internal.GraphMapper;
import io.tlsxtractor.sinks.neo4j.internal.GraphWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkRecord;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relationships per second through the connector's task path (Confluent-wire-format bytes decoded, mapped, folded,
 * written) against a direct {@code UNWIND MERGE} of the same rows with the driver, in the same run on the same
 * server, each on an emptied graph. Usage (README): {@code --records N --batch B [--bolt-uri U --password P]};
 * without a URI it starts a local Neo4j.
 */
public final class Neo4jSinkBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(Neo4jSinkBenchmark.class);
    private static final String SCOPE = "neo4j-benchmark";

    private Neo4jSinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("--records", "20000", "--batch", "2000"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        int records = Integer.parseInt(options.get("--records"));
        int batch = Integer.parseInt(options.get("--batch"));
        Neo4jProcess started = null;
        String uri = options.get("--bolt-uri");
        String password = options.get("--password");
        if (uri == null) {
            Path dir = Files.createTempDirectory("neo4j-benchmark");
            started = Neo4jProcess.start(Neo4jSettings.defaults(dir));
            uri = started.boltUri();
            password = started.password();
        }
        try (Driver driver = GraphDatabase.driver(uri, AuthTokens.basic("neo4j", password))) {
            run(driver, uri, password, records, batch);
        } finally {
            if (started != null) {
                started.close();
            }
        }
    }

    private static void run(Driver driver, String uri, String password, int records, int batch) throws Exception {
        GraphSchema.create(driver, "neo4j");
        String topic = Topics.PROBE_RESULTS.name();
        List<List<SinkRecord>> sinkBatches = new ArrayList<>();
        List<GraphWriter.Statements> directBatches = new ArrayList<>();
        try (AvroSerializer<ProbeResult> serializer =
                new AvroSerializer<>(InMemorySchemaRegistryClient.scoped(SCOPE), true, false)) {
            for (int from = 0; from < records; from += batch) {
                List<SinkRecord> sink = new ArrayList<>();
                List<GraphFacts> facts = new ArrayList<>();
                for (int i = from; i < Math.min(records, from + batch); i++) {
                    ProbeResult probe = GraphTestData.probe(i);
                    sink.add(new SinkRecord(topic, 0, null, probe.getIp() + ":443", null,
                            serializer.serialize(topic, probe), i));
                    facts.add(GraphMapper.map(probe));
                }
                sinkBatches.add(sink);
                directBatches.add(GraphWriter.statements(facts));
            }
        }
        long relationships = directBatches.stream().mapToLong(GraphWriter.Statements::relationships).sum();
        Map<String, String> props = Map.of(Neo4jSinkConfig.URI_CONFIG, uri, Neo4jSinkConfig.PASSWORD_CONFIG, password,
                Neo4jSinkConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + SCOPE,
                Neo4jSinkConfig.BATCH_SIZE_CONFIG, Integer.toString(batch), "topics", topic);

        // Warm-up of both paths (JIT, page cache, query plans), then two measured rounds in alternating order.
        wipe(driver);
        connector(props, sinkBatches.subList(0, Math.min(2, sinkBatches.size())));
        direct(driver, directBatches.subList(0, Math.min(2, directBatches.size())));
        double connectorBest = 0;
        double directBest = 0;
        for (int round = 1; round <= 2; round++) {
            for (boolean connectorFirst : round == 1 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                wipe(driver);
                long nanos = connectorFirst ? connector(props, sinkBatches) : direct(driver, directBatches);
                double perSecond = relationships / (nanos / 1e9);
                LOG.info("round {} {}: {} relationships in {} ms = {} relationships/s", round,
                        connectorFirst ? "connector task" : "direct UNWIND MERGE", relationships, nanos / 1_000_000,
                        Math.round(perSecond));
                if (connectorFirst) {
                    connectorBest = Math.max(connectorBest, perSecond);
                } else {
                    directBest = Math.max(directBest, perSecond);
                }
            }
        }
        LOG.info("RESULT records={} batch={} relationships={} connector={} rel/s direct={} rel/s ratio={}", records,
                batch, relationships, Math.round(connectorBest), Math.round(directBest),
                String.format(java.util.Locale.ROOT, "%.2f", connectorBest / directBest));
    }

    private static long connector(Map<String, String> props, List<List<SinkRecord>> batches) {
        Neo4jSinkTask task = new Neo4jSinkTask();
        task.start(props);
        try {
            long started = System.nanoTime();
            for (List<SinkRecord> b : batches) {
                task.put(b);
            }
            return System.nanoTime() - started;
        } finally {
            task.stop();
        }
    }

    private static long direct(Driver driver, List<GraphWriter.Statements> batches) {
        long started = System.nanoTime();
        try (Session session = driver.session()) {
            for (GraphWriter.Statements s : batches) {
                session.executeWrite(tx -> {
                    s.nodes().forEach((label, rows) -> tx.run(GraphWriter.nodeStatement(label), Map.of("rows", rows)).consume());
                    s.rels().forEach((type, rows) -> tx.run(GraphWriter.relStatement(type), Map.of("rows", rows)).consume());
                    return null;
                });
            }
        }
        return System.nanoTime() - started;
    }

    private static void wipe(Driver driver) {
        try (Session session = driver.session()) {
            session.run("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume();
        }
    }
}
