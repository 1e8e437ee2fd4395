package io.tlsxtractor.sinks.clickhouse.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IpAddressesTest {

    @Test
    void parsesIpv4AndIpv6LiteralsAndMapsIpv4IntoIpv6() {
        assertThat(IpAddresses.parse("10.1.2.3")).containsExactly(10, 1, 2, 3);
        byte[] mapped = IpAddresses.sixteen(IpAddresses.parse("10.1.2.3"));
        assertThat(mapped).hasSize(16);
        assertThat(IpAddresses.ipv4(mapped)).containsExactly(10, 1, 2, 3);
        byte[] v6 = IpAddresses.parse("[2001:db8::1]");
        assertThat(v6).hasSize(16);
        assertThat(IpAddresses.ipv4(v6)).isNull();
        assertThat(IpAddresses.parse("fe80::1%eth0")).hasSize(16);
    }

    @Test
    void refusesNamesAndMalformedAddressesWithoutResolvingThem() {
        assertThatThrownBy(() -> IpAddresses.parse("localhost")).hasMessageContaining("'localhost' is not an IP address");
        assertThatThrownBy(() -> IpAddresses.parse("10.0.0.256")).hasMessageContaining("256 > 255");
        assertThatThrownBy(() -> IpAddresses.parse("1.2.3")).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> IpAddresses.parse("2001:db8::zz")).hasMessageContaining("not an IPv6 address");
        assertThatThrownBy(() -> IpAddresses.parse("")).hasMessageContaining("empty");
    }
}
