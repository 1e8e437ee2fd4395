package io.tlsxtractor.sinks.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsxtractor.localstack.Neo4jProcess;
import io.tlsxtractor.localstack.Neo4jSettings;
import io.tlsxtractor.schemas.TopicSpec;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.DomainObservation;
import io.tlsxtractor.schemas.registry.InMemorySchemaRegistryClient;
import io.tlsxtractor.schemas.serde.AvroSerializer;
import io.tlsxtractor.sinks.neo4j.NeoGraphQueries.CypherQuery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;

/**
 * The API's queries against a real Neo4j holding a graph loaded by the task (driven directly with SinkRecords of
 * Confluent-wire-format bytes): 40 probes, i.e. 20 sites on 40 IPs, their observations and certificates.
 */
class NeoGraphQueriesIT {

    private static final String SCOPE = "neo-graph-queries-it";

    @TempDir
    static Path dir;
    static Neo4jProcess neo4j;
    static Driver driver;

    @BeforeAll
    static void loadGraph() {
        neo4j = Neo4jProcess.start(Neo4jSettings.defaults(dir));
        driver = GraphDatabase.driver(neo4j.boltUri(), AuthTokens.basic(neo4j.user(), neo4j.password()));
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            records.add(record(Topics.PROBE_RESULTS, GraphTestData.probe(i), records.size()));
            for (DomainObservation o : GraphTestData.observations(i)) {
                records.add(record(Topics.DOMAINS, o, records.size()));
            }
            if (i % 2 == 0) {
                records.add(record(Topics.CERTIFICATES, GraphTestData.certificate(i), records.size()));
            }
        }
        Neo4jSinkTask task = new Neo4jSinkTask();
        task.start(Map.of(Neo4jSinkConfig.URI_CONFIG, neo4j.boltUri(), Neo4jSinkConfig.PASSWORD_CONFIG, neo4j.password(),
                Neo4jSinkConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + SCOPE, Neo4jSinkConfig.BATCH_SIZE_CONFIG, "50"));
        try {
            task.put(records);
        } finally {
            task.stop();
        }
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.close();
        }
        if (neo4j != null) {
            neo4j.close();
        }
    }

    @Test
    void theClusterAroundADomainHoldsItsIpCertificateParentAndReferencesAndGrowsWithDepth() {
        String www = "www." + GraphTestData.site(0);
        List<String> depth1 = run(NeoGraphQueries.clusterAround(www.toUpperCase() + ".", 1, 1000)).stream()
                .map(r -> r.get("fromKey").asString() + " " + r.get("type").asString()
                        + (r.get("via").isNull() ? "" : "/" + r.get("via").asString()) + " " + r.get("toKey").asString())
                .toList();
        assertThat(depth1).containsExactlyInAnyOrder(
                www + " RESOLVES_TO " + GraphTestData.ip(0),
                www + " RESOLVES_TO " + GraphTestData.ip(1),
                GraphTestData.leafSha(0) + " NAMES " + www,
                www + " SUBDOMAIN_OF " + GraphTestData.site(0),
                www + " REFERENCES/csp cdn0.static-example.net",
                www + " REFERENCES/csp cdn1.static-example.net",
                www + " REFERENCES/js js0.static-example.net",
                www + " REFERENCES/js js1.static-example.net");
        List<Record> depth2 = run(NeoGraphQueries.clusterAround(www, 2, 10_000));
        assertThat(depth2.size()).isGreaterThan(depth1.size());
        assertThat(depth2).anySatisfy(r -> {
            assertThat(r.get("type").asString()).isEqualTo("ISSUED_TO");
            assertThat(r.get("toLabel").asString()).isEqualTo("Organization");
        });
        assertThat(run(NeoGraphQueries.clusterAround("absent.example", 3, 100))).isEmpty();
    }

    @Test
    void sharedCertificatesListTheDomainsEachCertificateNames() {
        List<Record> shared = run(NeoGraphQueries.sharedCertificates(2, 100));
        assertThat(shared).hasSize(20);
        Record first = shared.stream().filter(r -> r.get("sha256").asString().equals(GraphTestData.leafSha(0)))
                .findFirst().orElseThrow();
        assertThat(first.get("domains").asList(v -> v.asString()))
                .containsExactly("api." + GraphTestData.site(0), "www." + GraphTestData.site(0));
        assertThat(first.get("subjectCn").asString()).isEqualTo("www." + GraphTestData.site(0));
        assertThat(run(NeoGraphQueries.sharedCertificates(3, 100))).isEmpty();

        List<Record> with = run(NeoGraphQueries.certificatesSharedWith("www." + GraphTestData.site(2)));
        assertThat(with).singleElement().satisfies(r -> {
            assertThat(r.get("sha256").asString()).isEqualTo(GraphTestData.leafSha(2));
            assertThat(r.get("sharedWith").asList(v -> v.asString())).containsExactly("api." + GraphTestData.site(2));
        });
    }

    @Test
    void ipsHostingARegistrableDomainAreThoseOfItsSubdomains() {
        List<Record> ips = run(NeoGraphQueries.ipsHostingRegistrableDomain(GraphTestData.site(4)));
        assertThat(ips).extracting(r -> r.get("ip").asString())
                .containsExactly(GraphTestData.ip(4), GraphTestData.ip(5));
        assertThat(ips).allSatisfy(r -> assertThat(r.get("domains").asList(v -> v.asString()))
                .containsExactly("api." + GraphTestData.site(4), "www." + GraphTestData.site(4)));
        assertThat(run(NeoGraphQueries.ipsHostingRegistrableDomain("nothing.example"))).isEmpty();
    }

    private static List<Record> run(CypherQuery query) {
        try (Session session = driver.session()) {
            return session.run(query.text(), query.parameters()).list();
        }
    }

    private static <V> SinkRecord record(TopicSpec<String, V> topic, V value, long offset) {
        try (AvroSerializer<V> serializer = new AvroSerializer<>(InMemorySchemaRegistryClient.scoped(SCOPE), true, false)) {
            return new SinkRecord(topic.name(), 0, null, null, null, serializer.serialize(topic.name(), value), offset);
        }
    }
}
