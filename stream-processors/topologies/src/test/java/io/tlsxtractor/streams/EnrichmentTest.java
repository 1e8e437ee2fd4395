package io.tlsxtractor.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.tlsxtractor.enrichment.DnsAnswerSet;
import io.tlsxtractor.enrichment.DnsRecord;
import io.tlsxtractor.enrichment.DnsStatus;
import io.tlsxtractor.schemas.avro.DnsAnswer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the enricher's answers become the inventory's DNS answers (the real resolver is in EnrichedStreamsIT). */
class EnrichmentTest {

    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    private static DnsAnswerSet set(DnsStatus status, Duration cacheTtl, DnsRecord... records) {
        return new DnsAnswerSet("web.site.test", status, List.of(records), List.of(), cacheTtl, AT, Duration.ZERO,
                false, "127.0.0.1:53", "");
    }

    @Test
    void recordsOfAnAnswerAreKeptWithTheirTtlsAndNoStatus() {
        List<DnsAnswer> answers = Enrichment.answers(set(DnsStatus.OK, Duration.ofSeconds(60),
                new DnsRecord("web.site.test", DnsRecord.Type.CNAME, 90, "cdn.site.test"),
                new DnsRecord("cdn.site.test", DnsRecord.Type.A, 60, "127.0.0.1")));
        assertThat(answers).extracting(DnsAnswer::getType, DnsAnswer::getValue, DnsAnswer::getTtl,
                DnsAnswer::getResolvedAt).containsExactly(tuple("CNAME", "cdn.site.test", 90L, AT),
                tuple("A", "127.0.0.1", 60L, AT));
    }

    @Test
    void resolutionWithoutAddressesIsRecordedAsItsStatus() {
        assertThat(Enrichment.answers(set(DnsStatus.NXDOMAIN, Duration.ofMinutes(5))))
                .extracting(DnsAnswer::getType, DnsAnswer::getValue, DnsAnswer::getTtl)
                .containsExactly(tuple(DnsLookup.STATUS_TYPE, "NXDOMAIN", 300L));
        // A failure is about the moment, not the name: no TTL.
        assertThat(Enrichment.answers(set(DnsStatus.TIMEOUT, Duration.ZERO)))
                .extracting(DnsAnswer::getType, DnsAnswer::getValue, DnsAnswer::getTtl)
                .containsExactly(tuple(DnsLookup.STATUS_TYPE, "TIMEOUT", null));
    }
}
