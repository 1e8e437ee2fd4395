package io.tlsxtractor.sinks.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlsxtractor.schemas.avro.DomainRecord;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.sinks.neo4j.internal.GraphFacts;
import io.tlsxtractor.sinks.neo4j.internal.GraphFacts.Label;
import io.tlsxtractor.sinks.neo4j.internal.GraphFacts.RelType;
import io.tlsxtractor.sinks.neo4j.internal.GraphMapper;
import io.tlsxtractor.sinks.neo4j.internal.GraphWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The record-to-graph mapping and the folding of rows, without a server. */
class GraphMapperTest {

    @Test
    void aProbeResultBecomesPresentedIssuedByNamesResolvesToReferencesAndIssuedTo() {
        GraphFacts facts = GraphMapper.map(GraphTestData.probe(4));
        String leaf = GraphTestData.leafSha(4);
        assertThat(facts.rels()).extracting(r -> r.type() + " " + r.from() + " -> " + r.to() + (r.via() == null ? "" : " via " + r.via()))
                .containsExactlyInAnyOrder(
                        "ISSUED_BY " + leaf + " -> " + GraphTestData.intermediateSha(4),
                        "PRESENTED 10.0.0.4 -> " + leaf,
                        "ISSUED_TO " + leaf + " -> Org 2",
                        "NAMES " + leaf + " -> www.site2.example2.com",
                        "RESOLVES_TO www.site2.example2.com -> 10.0.0.4",
                        "NAMES " + leaf + " -> api.site2.example2.com",
                        "RESOLVES_TO api.site2.example2.com -> 10.0.0.4",
                        "RESOLVES_TO www.site2.example2.com -> 10.0.0.4",
                        "REFERENCES www.site2.example2.com -> cdn4.static-example.net via csp",
                        "REFERENCES www.site2.example2.com -> js1.static-example.net via js");
        assertThat(facts.rels()).allSatisfy(r -> assertThat(r.first()).isEqualTo(GraphTestData.T0.plusSeconds(4).toEpochMilli()));
    }

    @Test
    void aDomainRecordLinksItsRegistrableDomainItsIpsWithoutPortsAndItsCertificates() {
        DomainRecord record = DomainRecord.newBuilder()
                .setDomain("WWW.Example.ORG.").setRegistrableDomain("example.org")
                .setFirstSeen(Instant.ofEpochMilli(1000)).setLastSeen(Instant.ofEpochMilli(5000))
                .setIps(List.of("192.0.2.1:443", "[2001:db8::1]:8443", "2001:db8::2"))
                .setCertificates(List.of("ABCDEF"))
                .build();
        GraphFacts facts = GraphMapper.map(record);
        assertThat(facts.rels()).extracting(r -> r.type() + " " + r.from() + " -> " + r.to())
                .containsExactlyInAnyOrder("SUBDOMAIN_OF www.example.org -> example.org",
                        "RESOLVES_TO www.example.org -> 192.0.2.1", "RESOLVES_TO www.example.org -> 2001:db8::1",
                        "RESOLVES_TO www.example.org -> 2001:db8::2", "NAMES abcdef -> www.example.org");
        assertThat(facts.nodes()).filteredOn(n -> n.label() == Label.DOMAIN && n.key().equals("www.example.org"))
                .anySatisfy(n -> assertThat(n.properties()).containsEntry("registrableDomain", "example.org"));
        assertThat(facts.rels()).allSatisfy(r -> {
            assertThat(r.first()).isEqualTo(1000);
            assertThat(r.last()).isEqualTo(5000);
        });
    }

    @Test
    void recordsThatCannotBeMappedAreRejectedWithTheReason() {
        ProbeResult noIp = ProbeResult.newBuilder(GraphTestData.probe(1)).setIp(" ").build();
        assertThatThrownBy(() -> GraphMapper.map(noIp)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IP address is empty");
        assertThatThrownBy(() -> GraphMapper.map("a string")).hasMessageContaining("no graph mapping for java.lang.String");
    }

    @Test
    void foldingKeepsTheEarliestFirstSeenAndTheLatestLastSeenAndOneRowPerRelationship() {
        GraphFacts later = new GraphFacts().rel(RelType.RESOLVES_TO, "a.example", "192.0.2.1", null, 50, 60);
        GraphFacts earlier = new GraphFacts().rel(RelType.RESOLVES_TO, "a.example", "192.0.2.1", null, 10, 20);
        GraphWriter.Statements statements = GraphWriter.statements(List.of(later, earlier));
        assertThat(statements.rels().get(RelType.RESOLVES_TO)).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("first", 10L).containsEntry("last", 60L);
        });
        assertThat(statements.nodes().get(Label.DOMAIN)).extracting(row -> (Map<?, ?>) row)
                .singleElement().satisfies(row -> assertThat(row.get("key")).isEqualTo("a.example"));
        assertThat(statements.relationships()).isEqualTo(1);
    }
}
