package io.tlsxtractor.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsxtractor.schemas.avro.AddressRange;
import io.tlsxtractor.schemas.avro.BlockTarget;
import io.tlsxtractor.schemas.avro.TargetBlock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a resumed scan still probes of a block, given the endpoints that already have a result. */
class FinishedTargetsTest {

    private static TargetBlock rangeBlock(String first, String last, long count, List<Integer> ports) {
        return TargetBlock.newBuilder().setBlockId("s:0").setScanId("s").setSequence(0)
                .setRange(AddressRange.newBuilder().setFirst(first).setLast(last).setCount(count).build())
                .setTargets(List.of()).setPorts(ports).setCreatedAt(Instant.EPOCH).build();
    }

    @Test
    void aRangeWithSomeFinishedAddressesBecomesTheListOfTheRestOnEveryPort() {
        FinishedTargets done = new FinishedTargets(Set.of(FinishedTargets.key("10.0.0.2", 443, null, null),
                FinishedTargets.key("10.0.0.3", 8443, null, null)));
        TargetBlock rest = done.remaining(rangeBlock("10.0.0.1", "10.0.0.3", 3, List.of(443, 8443)));
        assertThat(rest.getRange()).isNull();
        assertThat(rest.getTargets()).extracting(t -> t.getAddress() + ":" + t.getPort())
                .containsExactly("10.0.0.1:443", "10.0.0.1:8443", "10.0.0.2:8443", "10.0.0.3:443");
        assertThat(rest.getBlockId()).isEqualTo("s:0");
    }

    @Test
    void aBlockWithNothingFinishedIsSentAsItIsAndOneWithEverythingFinishedNotAtAll() {
        TargetBlock block = rangeBlock("10.0.0.1", "10.0.0.2", 2, List.of(443));
        assertThat(new FinishedTargets(Set.of(FinishedTargets.key("10.0.0.9", 443, null, null))).remaining(block))
                .isSameAs(block);
        assertThat(new FinishedTargets(Set.of(FinishedTargets.key("10.0.0.1", 443, null, null),
                FinishedTargets.key("10.0.0.2", 443, null, null))).remaining(block)).isNull();
    }

    @Test
    void listTargetsAreMatchedByTheirNameOrUrlAndIpv6InCanonicalForm() {
        BlockTarget byName = BlockTarget.newBuilder().setAddress("2001:db8:0:0:0:0:0:1").setHostname("a.example").build();
        BlockTarget byUrl = BlockTarget.newBuilder().setAddress("2001:db8::1").setPort(8443)
                .setUrl("https://a.example:8443/").setHostname("a.example").build();
        TargetBlock block = TargetBlock.newBuilder().setBlockId("s:1").setScanId("s").setSequence(1)
                .setTargets(List.of(byName, byUrl)).setPorts(List.of(443)).setCreatedAt(Instant.EPOCH).build();
        // The worker reports the address as the JDK prints it; the same host under another name is another target.
        FinishedTargets done = new FinishedTargets(Set.of(FinishedTargets.key("2001:db8:0:0:0:0:0:1", 443, "a.example", null),
                FinishedTargets.key("2001:db8::1", 8443, "b.example", null)));
        TargetBlock rest = done.remaining(block);
        assertThat(rest.getTargets()).containsExactly(byUrl);
    }
}
