package io.tlsxtractor.streams;

import static io.tlsxtractor.streams.Fixtures.failure;
import static io.tlsxtractor.streams.Fixtures.name;
import static io.tlsxtractor.streams.Fixtures.success;
import static org.assertj.core.api.Assertions.assertThat;

import io.tlsxtractor.schemas.avro.ErrorCategory;
import io.tlsxtractor.schemas.avro.ErrorCode;
import io.tlsxtractor.schemas.avro.Event;
import io.tlsxtractor.schemas.avro.EventType;
import io.tlsxtractor.schemas.avro.NameSource;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.ScanState;
import io.tlsxtractor.schemas.avro.ScanStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rule 4: scan status merged with ingest's totals, bounded progress, completion exactly once. */
class ScanStatusTopologyTest {

    /** What the ingest service writes: RUNNING with the total, keyed by scan id. */
    private static void ingestRunning(Pipeline p, String scanId, long total, boolean complete, Instant at) {
        p.ingestStatus.pipeInput(scanId, ScanStatus.newBuilder().setScanId(scanId).setState(ScanState.RUNNING)
                .setTotalTargets(total).setExpansionComplete(complete).setStartedAt(at).setUpdatedAt(at).build(), at);
        p.drain();
    }

    private static ProbeResult ok(Pipeline p, String scanId, int host, String... names) {
        return success(scanId, "127.0.1." + host, 443, null, null, p.at(host), List.of(),
                java.util.Arrays.stream(names).map(n -> name(n, NameSource.CSP))
                        .toArray(io.tlsxtractor.schemas.avro.ExtractedName[]::new));
    }

    @Test
    void countsDistinctTargetsAndCompletesExactlyOnceDespiteReplays() {
        try (Pipeline p = new Pipeline(b -> b.extraction(ExtractionSettings.keepAll()))) {
            ingestRunning(p, "scan-a", 4, true, p.at(0));
            ProbeResult first = ok(p, "scan-a", 1, "one.example.com", "both.example.com");
            p.pipe(first, first, ok(p, "scan-a", 2, "both.example.com"),
                    failure("scan-a", "127.0.1.3", 443, ErrorCategory.TIMEOUT, ErrorCode.CONN_TIMEOUT, p.at(3)));
            assertThat(p.events(EventType.SCAN_COMPLETED)).isEmpty();
            p.advance(Duration.ofSeconds(1));
            ScanStatus running = p.latestStatus().get("scan-a");
            assertThat(running.getState()).isEqualTo(ScanState.RUNNING);
            assertThat(running.getDone()).as("the replayed result is counted once").isEqualTo(3);
            assertThat(running.getTotalTargets()).isEqualTo(4);

            p.pipe(failure("scan-a", "127.0.1.4", 443, ErrorCategory.REFUSED, ErrorCode.CONN_REFUSED, p.at(4)));
            p.pipe(first); // a late replay after completion
            p.advance(Duration.ofSeconds(5));

            assertThat(p.events(EventType.SCAN_COMPLETED)).singleElement()
                    .satisfies(e -> assertThat(e.getData()).containsEntry("done", "4").containsEntry("total", "4"));
            ScanStatus done = p.latestStatus().get("scan-a");
            assertThat(done.getState()).isEqualTo(ScanState.COMPLETED);
            assertThat(done.getDone()).isEqualTo(4);
            assertThat(done.getSucceeded()).isEqualTo(2);
            assertThat(done.getFailed()).isEqualTo(2);
            assertThat(done.getErrorsByCategory()).containsEntry("timeout", 1L).containsEntry("refused", 1L);
            assertThat(done.getErrorsByCode()).containsEntry("CONN_TIMEOUT", 1L).containsEntry("CONN_REFUSED", 1L);
            assertThat(done.getRetrySuccessDistribution()).containsEntry("1", 2L);
            assertThat(done.getDomainsFound()).isEqualTo(2);
            assertThat(done.getStartedAt()).isEqualTo(p.at(0));
            assertThat(done.getFinishedAt()).isNotNull();
        }
    }

    @Test
    void anEndedScanForgetsItsMemberSetsAndIgnoresLateReplays() {
        try (Pipeline p = new Pipeline(b -> b.extraction(ExtractionSettings.keepAll()))) {
            ingestRunning(p, "scan-m", 2, true, p.at(0));
            ingestRunning(p, "scan-other", 5, true, p.at(0));
            ProbeResult first = ok(p, "scan-m", 1, "one.example.com");
            p.pipe(ok(p, "scan-other", 9, "other.example.com"), first);
            org.apache.kafka.streams.state.KeyValueStore<String, String> members =
                    p.driver.getKeyValueStore(StreamsTopologies.SCAN_MEMBERS_STORE);
            assertThat(memberKeys(members, "scan-m")).as("a target and a domain of the running scan").hasSize(2);

            p.pipe(ok(p, "scan-m", 2, "two.example.com"));
            assertThat(p.latestStatus().get("scan-m").getState()).isEqualTo(ScanState.COMPLETED);
            assertThat(memberKeys(members, "scan-m")).as("deleted when the scan completed").isEmpty();
            assertThat(memberKeys(members, "scan-other")).as("another scan's sets stay").hasSize(2);

            p.pipe(first); // a replay after the end
            p.advance(Duration.ofSeconds(2));
            ScanStatus done = p.latestStatus().get("scan-m");
            assertThat(done.getDone()).isEqualTo(2);
            assertThat(done.getDomainsFound()).as("incl. the one found by the last result, after the end").isEqualTo(2);
            assertThat(memberKeys(members, "scan-m")).as("nothing recorded after the end").isEmpty();
            assertThat(p.events(EventType.SCAN_COMPLETED)).hasSize(1);
        }
    }

    private static List<String> memberKeys(org.apache.kafka.streams.state.KeyValueStore<String, String> members,
            String scanId) {
        List<String> keys = new ArrayList<>();
        try (var all = members.all()) {
            all.forEachRemaining(kv -> {
                if (kv.key.contains("\u0000" + scanId + "\u0000")) {
                    keys.add(kv.key);
                }
            });
        }
        return keys;
    }

    @Test
    void progressIsEmittedAtABoundedRateNotPerResult() {
        try (Pipeline p = new Pipeline(b -> b.extraction(ExtractionSettings.keepAll()))) {
            ingestRunning(p, "scan-b", 1000, true, p.at(0));
            List<ProbeResult> batch = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                batch.add(failure("scan-b", "127.0.2." + i, 443, ErrorCategory.TIMEOUT, ErrorCode.CONN_TIMEOUT,
                        p.at(i)));
            }
            p.pipe(batch.toArray(ProbeResult[]::new));
            assertThat(p.events(EventType.SCAN_PROGRESS)).as("nothing before the punctuator runs").isEmpty();
            p.advance(Duration.ofSeconds(1));
            p.advance(Duration.ofSeconds(1)); // no change since: nothing more
            assertThat(p.events(EventType.SCAN_PROGRESS)).singleElement()
                    .satisfies(e -> assertThat(e.getData()).containsEntry("done", "200").containsEntry("percent",
                            "20.0"));
            assertThat(p.latestStatus().get("scan-b").getRatePerSecond()).isGreaterThan(0.0);
        }
    }

    @Test
    void manyScansAtOnceKeepSeparateCounts() {
        try (Pipeline p = new Pipeline(b -> b.extraction(ExtractionSettings.keepAll()))) {
            int scans = 120;
            for (int s = 0; s < scans; s++) {
                ingestRunning(p, "scan-" + s, 1 + s % 3, true, p.at(0));
            }
            for (int s = 0; s < scans; s++) {
                for (int t = 0; t < 1 + s % 3; t++) {
                    p.results.pipeInput("127.0.3." + t + ":443", success("scan-" + s, "127.0.3." + t, 443, null, null,
                            p.at(t), List.of()));
                }
            }
            p.advance(Duration.ofSeconds(1));
            Map<String, ScanStatus> status = p.latestStatus();
            assertThat(status).hasSize(scans);
            for (int s = 0; s < scans; s++) {
                ScanStatus st = status.get("scan-" + s);
                assertThat(st.getDone()).as("scan-%d", s).isEqualTo(1 + s % 3);
                assertThat(st.getState()).as("scan-%d", s).isEqualTo(ScanState.COMPLETED);
            }
            assertThat(p.events(EventType.SCAN_COMPLETED)).extracting(Event::getSubjectId).hasSize(scans)
                    .doesNotHaveDuplicates();
        }
    }

    @Test
    void waitsForIngestToFinishCountingBeforeCompleting() {
        try (Pipeline p = new Pipeline(b -> b.extraction(ExtractionSettings.keepAll()))) {
            ingestRunning(p, "scan-c", 2, false, p.at(0)); // hostnames still being expanded
            p.pipe(ok(p, "scan-c", 1), ok(p, "scan-c", 2));
            assertThat(p.events(EventType.SCAN_COMPLETED)).isEmpty();
            ingestRunning(p, "scan-c", 3, true, p.at(0));
            p.pipe(ok(p, "scan-c", 3));
            assertThat(p.events(EventType.SCAN_COMPLETED)).hasSize(1);
            // Our own merged status read back from the shared topic must not be taken for ingest's totals.
            p.advance(Duration.ofSeconds(2));
            assertThat(p.latestStatus().get("scan-c").getTotalTargets()).isEqualTo(3);
            assertThat(p.events(EventType.SCAN_COMPLETED)).hasSize(1);
        }
    }

    @Test
    void aScanThatIngestFailedIsReportedFailed() {
        try (Pipeline p = new Pipeline(b -> b.extraction(ExtractionSettings.keepAll()))) {
            p.ingestStatus.pipeInput("scan-d", ScanStatus.newBuilder().setScanId("scan-d").setState(ScanState.FAILED)
                    .setMessage("nothing in scope").setExpansionComplete(true).setFinishedAt(p.at(1))
                    .setUpdatedAt(p.at(1)).build(), p.at(1));
            p.drain();
            ScanStatus st = p.latestStatus().get("scan-d");
            assertThat(st.getState()).isEqualTo(ScanState.FAILED);
            assertThat(st.getMessage()).isEqualTo("nothing in scope");
            assertThat(p.events(EventType.SCAN_COMPLETED)).isEmpty();
        }
    }
}
