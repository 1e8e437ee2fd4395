package io.tlsxtractor.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.tlsxtractor.enrichment.DnsAnswerSet;
import io.tlsxtractor.enrichment.DnsRecord;
import io.tlsxtractor.enrichment.DnsStatus;
import io.tlsxtractor.schemas.avro.DnsAnswer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the enricher's answers become the inventory's DNS answers and status (real resolver: EnrichedStreamsIT). */
class EnrichmentTest {

    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    private static DnsAnswerSet set(DnsStatus status, Duration cacheTtl, DnsRecord... records) {
        return new DnsAnswerSet("web.site.test", status, List.of(records), List.of(), cacheTtl, AT, Duration.ZERO,
                false, "127.0.0.1:53", "");
    }

    @Test
    void recordsOfAnAnswerAreKeptWithTheirTtlsAndNoStatus() {
        DnsLookup.Result result = Enrichment.result(set(DnsStatus.OK, Duration.ofSeconds(60),
                new DnsRecord("web.site.test", DnsRecord.Type.CNAME, 90, "cdn.site.test"),
                new DnsRecord("cdn.site.test", DnsRecord.Type.A, 60, "127.0.0.1")));
        assertThat(result.answers()).extracting(DnsAnswer::getType, DnsAnswer::getValue, DnsAnswer::getTtl,
                DnsAnswer::getResolvedAt).containsExactly(tuple("CNAME", "cdn.site.test", 90L, AT),
                tuple("A", "127.0.0.1", 60L, AT));
        assertThat(result.status()).isNull();
    }

    @Test
    void resolutionWithoutAddressesIsRecordedAsItsStatusNotAsAnAnswer() {
        DnsLookup.Result nxdomain = Enrichment.result(set(DnsStatus.NXDOMAIN, Duration.ofMinutes(5)));
        assertThat(nxdomain.answers()).isEmpty();
        assertThat(nxdomain.status()).isEqualTo("NXDOMAIN");
        DnsLookup.Result timeout = Enrichment.result(set(DnsStatus.TIMEOUT, Duration.ZERO));
        assertThat(timeout.answers()).isEmpty();
        assertThat(timeout.status()).isEqualTo("TIMEOUT");
        // A CNAME chain that ends without an address: the CNAME is a record, and the outcome is still NODATA.
        DnsLookup.Result dangling = Enrichment.result(set(DnsStatus.NODATA, Duration.ofMinutes(1),
                new DnsRecord("web.site.test", DnsRecord.Type.CNAME, 90, "gone.site.test")));
        assertThat(dangling.answers()).extracting(DnsAnswer::getType, DnsAnswer::getValue)
                .containsExactly(tuple("CNAME", "gone.site.test"));
        assertThat(dangling.status()).isEqualTo("NODATA");
    }

    @Test
    void aLookupWithoutRecordsMustSayHowItEnded() {
        assertThatThrownBy(() -> new DnsLookup.Result(List.of(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("status");
        assertThatThrownBy(() -> DnsLookup.Result.withoutRecords(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
    }
}
