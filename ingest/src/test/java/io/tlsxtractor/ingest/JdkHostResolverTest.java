package io.tlsxtractor.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsxtractor.schemas.avro.ErrorCode;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Resolves only names the machine answers itself ({@code localhost}, from /etc/hosts): no DNS traffic. */
class JdkHostResolverTest {

    @Test
    void localhostResolvesToLoopback() throws Exception {
        try (JdkHostResolver resolver = new JdkHostResolver(2, Duration.ofSeconds(5))) {
            Resolution resolution = resolver.resolve("localhost", false).get(10, TimeUnit.SECONDS);
            assertThat(resolution.succeeded()).isTrue();
            assertThat(resolution.addresses()).contains("127.0.0.1").allMatch(a -> !a.contains(":"));
        }
    }

    @Test
    void answersAreSortedIpv4FirstAndIpv6OnlyWhenAskedFor() throws Exception {
        List<InetAddress> found = List.of(InetAddress.getByName("2001:db8::2"), InetAddress.getByName("192.0.2.9"),
                InetAddress.getByName("2001:db8::1"), InetAddress.getByName("192.0.2.1"));

        assertThat(JdkHostResolver.fromAddresses("h", found, true).addresses())
                .containsExactly("192.0.2.1", "192.0.2.9", "2001:db8::1", "2001:db8::2");
        assertThat(JdkHostResolver.fromAddresses("h", found, false).addresses()).containsExactly("192.0.2.1", "192.0.2.9");
        Resolution v6only = JdkHostResolver.fromAddresses("h", List.of(InetAddress.getByName("2001:db8::1")), false);
        assertThat(v6only.error()).isEqualTo(ErrorCode.DNS_NO_DATA);
        assertThat(v6only.message()).isEqualTo("h has no A record");
    }
}
