package io.tlsxtractor.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlsxtractor.probe.SniStrategy;
import io.tlsxtractor.schemas.avro.AddressRange;
import io.tlsxtractor.schemas.avro.BlockTarget;
import io.tlsxtractor.schemas.avro.ProbeOptions;
import io.tlsxtractor.schemas.avro.TargetBlock;
import io.tlsxtractor.worker.internal.BlockExpander.Endpoint;
import io.tlsxtractor.worker.internal.BlockExpander.SniCall;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expansion of target blocks into endpoints and their SNI plans. */
class BlockExpanderTest {

    private static TargetBlock.Builder block() {
        return TargetBlock.newBuilder().setBlockId("b1").setScanId("s1").setCreatedAt(Instant.EPOCH)
                .setOptions(ProbeOptions.newBuilder().build());
    }

    private static AddressRange range(String first, String last) {
        return AddressRange.newBuilder().setFirst(first).setLast(last).setCount(0).build();
    }

    private static BlockTarget target(String address, Integer port, String hostname, String url) {
        return BlockTarget.newBuilder().setAddress(address).setPort(port).setHostname(hostname).setUrl(url).build();
    }

    @Test
    void ipv4RangeIsInclusiveAcrossOctetsTimesEveryPort() {
        List<Endpoint> e = BlockExpander.expand(block().setRange(range("10.0.0.254", "10.0.1.1"))
                .setPorts(List.of(443, 8443)).build());
        assertThat(e).extracting(Endpoint::key).containsExactly(
                "10.0.0.254:443", "10.0.0.254:8443", "10.0.0.255:443", "10.0.0.255:8443",
                "10.0.1.0:443", "10.0.1.0:8443", "10.0.1.1:443", "10.0.1.1:8443");
        assertThat(e).allSatisfy(x -> {
            assertThat(x.hostname()).isNull();
            assertThat(x.sniCalls()).containsExactly(new SniCall(SniStrategy.NONE, null, List.of()));
        });
    }

    @Test
    void singleAddressRangeAndDuplicatePortsGiveOneEndpointPerPort() {
        List<Endpoint> e = BlockExpander.expand(block().setRange(range("127.0.0.1", "127.0.0.1"))
                .setPorts(List.of(443, 443)).build());
        assertThat(e).extracting(Endpoint::key).containsExactly("127.0.0.1:443");
    }

    @Test
    void ipv6RangeCarriesOverGroupsAndKeysUseBrackets() {
        List<Endpoint> e = BlockExpander.expand(block().setRange(range("2001:db8::fffe", "2001:db8::1:1"))
                .setPorts(List.of(443)).build());
        assertThat(e).extracting(Endpoint::key).containsExactly(
                "[2001:db8::fffe]:443", "[2001:db8::ffff]:443", "[2001:db8::1:0]:443", "[2001:db8::1:1]:443");
    }

    @Test
    void explicitTargetsKeepTheirOwnPortHostnameAndUrl() {
        List<Endpoint> e = BlockExpander.expand(block().setPorts(List.of(443, 8443)).setTargets(List.of(
                target("192.0.2.1", null, null, null),
                target("192.0.2.2", 9443, "www.example.com", "https://www.example.com:9443/a"),
                target("[2001:db8::5]", null, "v6.example.com", null))).build());
        assertThat(e).extracting(Endpoint::key).containsExactly(
                "192.0.2.1:443", "192.0.2.1:8443", "192.0.2.2:9443", "[2001:db8::5]:443", "[2001:db8::5]:8443");
        Endpoint named = e.get(2);
        assertThat(named.hostname()).isEqualTo("www.example.com");
        assertThat(named.url()).isEqualTo("https://www.example.com:9443/a");
        assertThat(named.sniCalls()).as("DEFAULT sends the input host name")
                .containsExactly(new SniCall(SniStrategy.HOSTNAME, "www.example.com", List.of()));
        assertThat(e.get(0).sniCalls()).as("DEFAULT sends no SNI to a bare IP")
                .containsExactly(new SniCall(SniStrategy.NONE, null, List.of()));
    }

    @Test
    void sniStrategiesBecomePlannerCalls() {
        ProbeOptions.Builder o = ProbeOptions.newBuilder();
        List<String> hints = List.of("a.example.com", "www.example.com", " ", "b.example.com", "a.example.com");

        o.setSniStrategy(io.tlsxtractor.schemas.avro.SniStrategy.NONE);
        assertThat(BlockExpander.sniCalls(o.build(), "www.example.com", hints))
                .containsExactly(new SniCall(SniStrategy.NONE, null, List.of()));

        o.setSniStrategy(io.tlsxtractor.schemas.avro.SniStrategy.HINTS);
        assertThat(BlockExpander.sniCalls(o.build(), null, hints)).as("the default handshake plus one per hint")
                .containsExactly(new SniCall(SniStrategy.NONE, null, List.of()),
                        new SniCall(SniStrategy.NAMES, null, List.of("a.example.com", "www.example.com", "b.example.com")));
        assertThat(BlockExpander.sniCalls(o.build(), "www.example.com", hints)).as("the host name is not tried twice")
                .containsExactly(new SniCall(SniStrategy.HOSTNAME, "www.example.com", List.of()),
                        new SniCall(SniStrategy.NAMES, null, List.of("a.example.com", "b.example.com")));
        assertThat(BlockExpander.sniCalls(o.build(), null, List.of()))
                .containsExactly(new SniCall(SniStrategy.NONE, null, List.of()));

        o.setSniStrategy(io.tlsxtractor.schemas.avro.SniStrategy.CERT_NAMES);
        assertThat(BlockExpander.sniCalls(o.build(), "www.example.com", hints))
                .containsExactly(new SniCall(SniStrategy.LEARNED, "www.example.com", List.of()));

        o.setSniStrategy(io.tlsxtractor.schemas.avro.SniStrategy.REVERSE_DNS);
        assertThat(BlockExpander.sniCalls(o.build(), null, hints))
                .containsExactly(new SniCall(SniStrategy.REVERSE_DNS, null, List.of()));
    }

    @Test
    void blockHintsReachEveryEndpoint() {
        List<Endpoint> e = BlockExpander.expand(block().setRange(range("192.0.2.1", "192.0.2.2")).setPorts(List.of(443))
                .setSniHints(List.of("x.example.com"))
                .setOptions(ProbeOptions.newBuilder().setSniStrategy(io.tlsxtractor.schemas.avro.SniStrategy.HINTS).build())
                .build());
        assertThat(e).hasSize(2).allSatisfy(x -> assertThat(x.sniCalls()).containsExactly(
                new SniCall(SniStrategy.NONE, null, List.of()),
                new SniCall(SniStrategy.NAMES, null, List.of("x.example.com"))));
    }

    @Test
    void blocksThatCannotBeProbedAsWrittenAreRefusedWithTheReason() {
        assertThatThrownBy(() -> BlockExpander.expand(block().setRange(range("10.0.0.1", "2001:db8::1")).build()))
                .hasMessageContaining("b1").hasMessageContaining("mixes IPv4 and IPv6");
        assertThatThrownBy(() -> BlockExpander.expand(block().setRange(range("10.0.0.9", "10.0.0.1")).build()))
                .hasMessageContaining("ends before it starts");
        assertThatThrownBy(() -> BlockExpander.expand(block().setTargets(List.of(target("example.com", null, null, null))).build()))
                .as("a host name is not resolved here").hasMessageContaining("'example.com' is not an IP address literal");
        assertThatThrownBy(() -> BlockExpander.expand(block().setRange(range("10.0.0.1", "10.0.0.1")).setPorts(List.of(0)).build()))
                .hasMessageContaining("port 0 is out of range");
        assertThatThrownBy(() -> BlockExpander.expand(block().setTargets(List.of(target("10.0.0.1", 70000, null, null))).build()))
                .hasMessageContaining("port 70000 out of range");
        assertThatThrownBy(() -> BlockExpander.expand(block().setRange(range("10.0.0.1", "10.0.0.1")).setPorts(List.of()).build()))
                .hasMessageContaining("no ports");
        assertThatThrownBy(() -> BlockExpander.expand(block().setRange(range("10.0.0.0", "10.255.255.255")).build()))
                .hasMessageContaining("16777216 endpoints");
    }

    @Test
    void blockWithoutTargetsHasNoEndpoints() {
        assertThat(BlockExpander.expand(block().build())).isEmpty();
    }
}
