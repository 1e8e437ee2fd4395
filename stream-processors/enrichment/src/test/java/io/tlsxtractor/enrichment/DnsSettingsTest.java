package io.tlsxtractor.enrichment;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsing and validation of {@link DnsSettings}. */
class DnsSettingsTest {

    @Test
    void resolversAreIpLiteralsWithOptionalPorts() {
        assertThat(DnsSettings.parseResolver("127.0.0.1")).isEqualTo(new InetSocketAddress("127.0.0.1", 53));
        assertThat(DnsSettings.parseResolver("127.0.0.1:5353")).isEqualTo(new InetSocketAddress("127.0.0.1", 5353));
        assertThat(DnsSettings.parseResolver("::1").getPort()).isEqualTo(53);
        assertThat(DnsSettings.parseResolver("[::1]:5353")).isEqualTo(new InetSocketAddress("::1", 5353));
    }

    @Test
    void hostNamesAndBadPortsAreRefusedNamingTheEntry() {
        assertThatThrownBy(() -> DnsSettings.parseResolver("dns.example.test"))
                .hasMessageContaining("'dns.example.test' is not an IP address");
        assertThatThrownBy(() -> DnsSettings.parseResolver("127.0.0.1:99999")).hasMessageContaining("invalid port '99999'");
    }

    @Test
    void everyProblemIsListedAtOnce() {
        assertThatThrownBy(() -> new DnsSettings(List.of("nameserver"), Duration.ZERO, -1, -5, Duration.ofHours(1),
                Duration.ofMinutes(1), 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dns.resolvers").hasMessageContaining("dns.query-timeout")
                .hasMessageContaining("dns.retries").hasMessageContaining("dns.cache-max-entries")
                .hasMessageContaining("dns.queries-per-second").hasMessageContaining("dns.max-concurrent-queries");
    }

    @Test
    void defaultsAreValid() {
        DnsSettings settings = DnsSettings.defaults(List.of("127.0.0.1:5353"));

        assertThat(settings.resolverAddresses()).containsExactly(new InetSocketAddress("127.0.0.1", 5353));
        assertThat(settings.withRetries(3).retries()).isEqualTo(3);
    }
}
