package io.tlsxtractor.streams;

import static io.tlsxtractor.streams.Fixtures.certificate;
import static io.tlsxtractor.streams.Fixtures.name;
import static io.tlsxtractor.streams.Fixtures.plugin;
import static io.tlsxtractor.streams.Fixtures.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.tlsxtractor.schemas.DlqHeaders;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.ChainCertificate;
import io.tlsxtractor.schemas.avro.DomainObservation;
import io.tlsxtractor.schemas.avro.NameSource;
import io.tlsxtractor.schemas.avro.ProbeResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Rule 1 (extraction and normalisation) and rule 6 (bad input) through the production topology. */
class ExtractionTopologyTest {

    @Test
    void emitsOneObservationPerNameAndSourceFromSniSansCnAndExtractors() {
        try (Pipeline p = new Pipeline(b -> b.extraction(ExtractionSettings.keepAll()))) {
            byte[] leaf = certificate("www.example.com", List.of("www.example.com", "Example.COM.", "*.example.com"));
            p.pipe(success("scan-1", "127.0.0.10", 443, "www.example.com", "www.example.com", p.at(0), List.of(leaf),
                    name("www.example.com", NameSource.SAN), // the worker reports SANs too: not twice
                    name("cdn.partner.net", NameSource.CSP),
                    name("static.partner.net", NameSource.JS),
                    plugin("api.example.com", "robots-txt")));
            assertThat(p.domains).extracting(TestRecord::key, r -> r.value().getSource(), r -> r.value().getPlugin())
                    .containsExactlyInAnyOrder(
                            tuple("www.example.com", NameSource.SNI, null),
                            tuple("www.example.com", NameSource.SAN, null),
                            tuple("example.com", NameSource.SAN, null),
                            tuple("*.example.com", NameSource.SAN, null),
                            tuple("www.example.com", NameSource.CN, null),
                            tuple("cdn.partner.net", NameSource.CSP, null),
                            tuple("static.partner.net", NameSource.JS, null),
                            tuple("api.example.com", NameSource.PLUGIN, "robots-txt"));
            DomainObservation wildcard = p.domains.stream().filter(r -> r.key().equals("*.example.com"))
                    .findFirst().orElseThrow().value();
            assertThat(wildcard.getWildcard()).isTrue();
            assertThat(wildcard.getRegistrableDomain()).isEqualTo("example.com");
            assertThat(wildcard.getCertSha256()).hasSize(64);
            assertThat(wildcard.getInInput()).isFalse();
            DomainObservation sni = p.domains.get(0).value();
            assertThat(sni.getDomain()).isEqualTo("www.example.com");
            assertThat(sni.getInInput()).as("the scanned hostname is part of the input").isTrue();
            assertThat(sni.getIp()).isEqualTo("127.0.0.10");
            assertThat(sni.getPort()).isEqualTo(443);
            assertThat(sni.getScanId()).isEqualTo("scan-1");
        }
    }

    @Test
    void aCnThatIsNotAHostnameIsDroppedAndCounted() {
        try (Pipeline p = new Pipeline(b -> b.extraction(ExtractionSettings.keepAll()))) {
            byte[] leaf = certificate("Fixture Device 42", List.of("device.example.org"));
            p.pipe(success("scan-1", "127.0.0.11", 443, null, null, p.at(0), List.of(leaf)));
            assertThat(p.domains).extracting(TestRecord::key).containsExactly("device.example.org");
            assertThat(p.drops.count(DropReason.WHITESPACE)).isEqualTo(1);
        }
    }

    @Test
    void badNamesAreDroppedWithCountedReasonsAndGoodOnesSurvive() {
        try (Pipeline p = new Pipeline(b -> b.extraction(ExtractionSettings.keepAll()))) {
            p.pipe(success("scan-1", "127.0.0.12", 443, null, null, p.at(0), List.of(),
                    name("a".repeat(10_000) + ".example.com", NameSource.CSP),
                    name("evil\u0007.example.com", NameSource.CSP),
                    name("10.1.2.3", NameSource.CSP),
                    name("intranet", NameSource.CSP),
                    name("*.co.uk", NameSource.CSP),
                    name("bad_name.com", NameSource.CSP),
                    name("Bücher.example", NameSource.CSP),
                    name("good.example.net", NameSource.CSP)));
            assertThat(p.domains).extracting(TestRecord::key)
                    .containsExactlyInAnyOrder("good.example.net", "xn--bcher-kva.example");
            assertThat(p.domains).extracting(r -> r.value().getUnicodeDomain())
                    .containsExactlyInAnyOrder(null, "bücher.example");
            assertThat(p.drops.snapshot()).containsOnlyKeys(DropReason.TOO_LONG, DropReason.CONTROL_CHARACTER,
                    DropReason.IP_LITERAL, DropReason.SINGLE_LABEL, DropReason.PUBLIC_SUFFIX,
                    DropReason.UNDERSCORE_IN_REGISTRABLE);
            assertThat(p.drops.total()).isEqualTo(6);
        }
    }

    @Test
    void defaultExclusionsAndListsFilterNamesAsIn1x() {
        try (Pipeline p = new Pipeline(b -> b.extraction(new ExtractionSettings(true, List.of(),
                List.of("internal.example.com"))))) {
            p.pipe(success("scan-1", "127.0.0.13", 443, null, null, p.at(0), List.of(),
                    name("cdnjs.cloudflare.com", NameSource.CSP),
                    name("www.google-analytics.com", NameSource.JS),
                    name("db.internal.example.com", NameSource.CSP),
                    name("shop.example.com", NameSource.CSP)));
            assertThat(p.domains).extracting(TestRecord::key).containsExactly("shop.example.com");
            assertThat(p.drops.count(DropReason.FILTERED)).isEqualTo(3);
        }
        try (Pipeline p = new Pipeline(b -> b.extraction(new ExtractionSettings(false, List.of("example.com"),
                List.of())))) {
            p.pipe(success("scan-1", "127.0.0.13", 443, null, null, p.at(0), List.of(),
                    name("cdnjs.cloudflare.com", NameSource.CSP),
                    name("shop.example.com", NameSource.CSP)));
            assertThat(p.domains).extracting(TestRecord::key).containsExactly("shop.example.com");
        }
    }

    /**
     * Runs at-least-once: under exactly-once, TopologyTestDriver loses what is sent while a record is being queued
     * (before any transaction), which is where Streams dead-letters unreadable records. {@code StreamsAppIT} checks
     * the same path exactly-once on a real broker.
     */
    @Test
    void anUnreadableRecordGoesToTheDeadLetterTopicAndProcessingGoesOn() {
        try (Pipeline p = new Pipeline(b -> b.extraction(ExtractionSettings.keepAll()),
                Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE))) {
            byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
            p.rawResults.pipeInput("127.0.0.1:443".getBytes(StandardCharsets.UTF_8), garbage);
            p.pipe(success("scan-1", "127.0.0.14", 443, null, null, p.at(0), List.of(),
                    name("after.example.com", NameSource.CSP)));
            assertThat(p.deadLetters).hasSize(1);
            assertThat(p.deadLetters.get(0).value()).isEqualTo(garbage);
            DlqHeaders.Failure failure = DlqHeaders.read(p.deadLetters.get(0).headers()).orElseThrow();
            assertThat(failure.sourceTopic()).isEqualTo(Topics.PROBE_RESULTS.name());
            assertThat(failure.reason()).contains("cannot deserialize");
            assertThat(p.domains).extracting(TestRecord::key).containsExactly("after.example.com");
        }
    }

    @Test
    void garbageCertificateBytesSendTheWholeResultToTheDeadLetterTopic() {
        try (Pipeline p = new Pipeline(b -> b.extraction(ExtractionSettings.keepAll()))) {
            ProbeResult bad = success("scan-1", "127.0.0.15", 443, null, null, p.at(0), List.of(),
                    name("never.example.com", NameSource.CSP));
            bad.setChain(List.of(ChainCertificate.newBuilder()
                    .setDer(ByteBuffer.wrap(new byte[] {0x13, 0x37, 0x00, 0x01}))
                    .setSha256("0".repeat(64)).build()));
            p.pipe(bad);
            p.pipe(success("scan-1", "127.0.0.16", 443, null, null, p.at(1), List.of(),
                    name("later.example.com", NameSource.CSP)));
            assertThat(p.deadLetters).hasSize(1);
            DlqHeaders.Failure failure = DlqHeaders.read(p.deadLetters.get(0).headers()).orElseThrow();
            assertThat(failure.reason()).contains("127.0.0.15:443").contains("not a certificate");
            assertThat(failure.exceptionClass()).isEqualTo(BadRecordException.class.getName());
            assertThat(new String(p.deadLetters.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("127.0.0.15:443");
            assertThat(p.domains).extracting(TestRecord::key).containsExactly("later.example.com");
            assertThat(p.certificates).isEmpty();
        }
    }
}
