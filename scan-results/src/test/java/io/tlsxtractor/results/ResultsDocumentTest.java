package io.tlsxtractor.results;

import static io.tlsxtractor.results.Fixtures.name;
import static org.assertj.core.api.Assertions.assertThat;

import io.tlsxtractor.schemas.avro.ErrorCategory;
import io.tlsxtractor.schemas.avro.ErrorCode;
import io.tlsxtractor.schemas.avro.NameSource;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.ProbeStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Accumulation: replays, arrival order, statistics, URL grouping, timestamps. */
class ResultsDocumentTest {

    private static ProbeResult failed(String ip, Instant at) {
        return Fixtures.failure(ip, 443, null, ProbeStatus.FAILED, ErrorCode.TLS_EOF, ErrorCategory.TLS, "EOF")
                .setProbedAt(at).build();
    }

    private static ProbeResult ok(String ip, Instant at, String domain) {
        return Fixtures.success(ip, 443, null, name(domain, NameSource.SAN)).setProbedAt(at).build();
    }

    @Test
    void anIdenticalReplayChangesNothing() {
        ResultsDocument doc = ResultsDocument.create(Fixtures.ipMetadata(), HostFilters.none());
        Fixtures.ipResults().forEach(doc::add);
        String once = doc.finish(Duration.ofMillis(2500)).toJson();
        Fixtures.ipResults().forEach(doc::add);
        assertThat(doc.size()).isEqualTo(2);
        assertThat(doc.replays()).isEqualTo(2);
        assertThat(doc.finish(Duration.ofMillis(2500)).toJson()).isEqualTo(once);
    }

    @Test
    void aSuccessReplacesAFailureAndIsNotReplacedByALaterFailure() {
        Instant t0 = Instant.parse("2026-01-03T10:00:00Z");
        ResultsDocument doc = ResultsDocument.create(Fixtures.ipMetadata(), HostFilters.none());
        assertThat(doc.add(failed("10.0.0.1", t0))).isTrue();
        assertThat(doc.add(ok("10.0.0.1", t0.plusSeconds(1), "a.example.com"))).isTrue();
        assertThat(doc.add(failed("10.0.0.1", t0.plusSeconds(5)))).as("a later failure loses to a success").isFalse();
        V1Document d = doc.finish(Duration.ofSeconds(1));
        assertThat(d.allResults()).hasSize(1);
        assertThat(d.allResults().get(0).get("status")).isEqualTo("success");
        Map<?, ?> stats = (Map<?, ?>) d.metadata().get("statistics");
        assertThat(stats.get("scanned")).isEqualTo(1);
        assertThat(stats.get("failed")).isEqualTo(0);
    }

    @Test
    void amongEqualOutcomesTheLaterProbeWinsWhateverTheArrivalOrder() {
        Instant t0 = Instant.parse("2026-01-03T10:00:00Z");
        ResultsDocument doc = ResultsDocument.create(Fixtures.ipMetadata(), HostFilters.none());
        doc.add(ok("10.0.0.1", t0.plusSeconds(9), "new.example.com"));
        doc.add(ok("10.0.0.1", t0, "old.example.com"));
        assertThat(doc.finish(Duration.ofSeconds(1)).allResults().get(0).get("domains")).isEqualTo(List.of("new.example.com"));
    }

    @Test
    void theSameAddressWithAnotherSniOrPortIsAnotherTarget() {
        ResultsDocument doc = ResultsDocument.create(Fixtures.ipMetadata(), HostFilters.none());
        doc.add(Fixtures.success("10.0.0.1", 443, null).build());
        doc.add(Fixtures.success("10.0.0.1", 443, "a.example.com").build());
        doc.add(Fixtures.success("10.0.0.1", 8443, null).build());
        assertThat(doc.size()).isEqualTo(3);
    }

    @Test
    void resultsKeepTheOrderOfFirstArrivalAndStatisticsIgnoreShuffledReplays() {
        List<ProbeResult> results = new ArrayList<>();
        Instant t0 = Instant.parse("2026-01-03T10:00:00Z");
        for (int i = 1; i <= 20; i++) {
            results.add(i % 4 == 0 ? failed("10.0.0." + i, t0) : ok("10.0.0." + i, t0, "h" + i + ".example.com"));
        }
        ResultsDocument doc = ResultsDocument.create(Fixtures.ipMetadata(), HostFilters.none());
        results.forEach(doc::add);
        List<ProbeResult> replays = new ArrayList<>(results);
        Collections.shuffle(replays, new Random(7));
        replays.forEach(doc::add);
        V1Document d = doc.finish(Duration.ofSeconds(4));
        assertThat(d.allResults()).extracting(r -> r.get("ip"))
                .containsExactlyElementsOf(results.stream().map(ProbeResult::getIp).toList());
        Map<?, ?> stats = (Map<?, ?>) d.metadata().get("statistics");
        assertThat(stats.get("scanned")).isEqualTo(20);
        assertThat(stats.get("successful")).isEqualTo(15);
        assertThat(stats.get("failed")).isEqualTo(5);
        assertThat(stats.get("unique_domains")).isEqualTo(15);
        assertThat(stats.get("scan_rate")).isEqualTo(5.0);
        Map<?, ?> breakdown = (Map<?, ?>) stats.get("error_breakdown");
        assertThat(breakdown.get("by_category")).isEqualTo(Map.of("tls", 5));
        assertThat(breakdown.get("by_code")).isEqualTo(Map.of("TLS_EOF", 5));
        assertThat(breakdown.get("retry_success_distribution")).isEqualTo(Map.of("1", 15));
    }

    @Test
    void aUrlSeenOnlyInResultsGetsAnEntryFromItsConnections() {
        ScanMetadata meta = ScanMetadata.builder(ScanMode.MIXED_SCAN).v1Parameters("f.txt", 443, 5, 50, 3).build();
        ResultsDocument doc = ResultsDocument.create(meta, HostFilters.none());
        doc.add(Fixtures.success("10.0.0.2", 443, "www.example.com").setHostname("www.example.com").build());
        doc.add(Fixtures.success("10.0.0.1", 443, null).build());
        doc.add(Fixtures.success("10.0.0.3", 443, "www.example.com").setHostname("www.example.com").build());
        V1Document d = doc.finish(Duration.ofSeconds(1));
        assertThat(d.ipResults()).extracting(r -> r.get("ip")).containsExactly("10.0.0.1");
        Map<String, Object> entry = d.urlEntries().get(0);
        assertThat(entry.get("url")).isEqualTo("www.example.com");
        assertThat(entry.get("dns_status")).isEqualTo("success");
        assertThat(entry.get("resolved_ips")).isEqualTo(List.of("10.0.0.2", "10.0.0.3"));
        Map<?, ?> stats = (Map<?, ?>) d.metadata().get("statistics");
        assertThat(stats.get("total_ips")).isEqualTo(1);
        assertThat(stats.get("total_urls")).isEqualTo(1);
        assertThat(stats.get("total_targets")).as("unknown total: the results counted").isEqualTo(3);
    }

    @Test
    void scanTimestampIsWrittenAsPythonIsoformatDoes() {
        assertThat(ResultsDocument.timestamp(Instant.parse("2026-01-03T10:00:00.123456789Z")))
                .isEqualTo("2026-01-03T10:00:00.123456Z");
        assertThat(ResultsDocument.timestamp(Instant.parse("2026-01-03T10:00:00.000001Z")))
                .isEqualTo("2026-01-03T10:00:00.000001Z");
        assertThat(ResultsDocument.timestamp(Instant.parse("2026-01-03T10:00:00Z")))
                .as("isoformat() leaves out zero microseconds").isEqualTo("2026-01-03T10:00:00Z");
    }
}
