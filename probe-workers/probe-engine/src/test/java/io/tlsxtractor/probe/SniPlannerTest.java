package io.tlsxtractor.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsxtractor.plugin.api.ExtractedName;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class SniPlannerTest {

    @Test
    void learnsCertificateNamesButNotWildcardsIpsOrOtherSources() throws Exception {
        ProbeTarget t = ProbeTarget.of(InetAddress.getByName("127.0.0.1"), 443);
        ProbeOutcome o = new ProbeOutcome(t, null, ProbeStatus.SUCCESS, null, "TLSv1.3", "TLS_AES_128_GCM_SHA256", null,
                List.of(), List.of(), null, List.of(
                        ExtractedName.of("WWW.Example.com.", ExtractedName.SOURCE_SAN),
                        ExtractedName.of("www.example.com", ExtractedName.SOURCE_CN),
                        ExtractedName.of("*.example.com", ExtractedName.SOURCE_SAN),
                        ExtractedName.of("192.0.2.1", ExtractedName.SOURCE_SAN),
                        ExtractedName.of("Example Corp Root", ExtractedName.SOURCE_CN),
                        ExtractedName.of("cdn.other.net", ExtractedName.SOURCE_CSP),
                        ExtractedName.of("api.example.com", ExtractedName.SOURCE_SAN)),
                new Timings(1, 1, -1, 2), 1, 1, null, null, List.of());

        assertThat(SniPlanner.learnableNames(o)).containsExactly("www.example.com", "api.example.com");
    }
}
