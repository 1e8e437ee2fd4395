package io.tlsxtractor.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsxtractor.plugins.core.csp.CspExtractor;
import io.tlsxtractor.plugins.core.js.JsExtractor;
import io.tlsxtractor.probe.FollowUpFetcher;
import io.tlsxtractor.probe.ProbeSettings;
import io.tlsxtractor.probe.extractors.CertificateNameExtractor;
import io.tlsxtractor.schemas.avro.ProbeOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JavaScript extractor reaches the engine as a follow-up fetcher with its own bounds; no other extractor does. One
 * engine per profile: blocks with the same options share it, whoever started it.
 */
class EnginePoolTest {

    @Test
    void onlyTheJavaScriptExtractorBecomesAFollowUpFetcherWithItsBounds() {
        JsExtractor js = new JsExtractor();
        List<FollowUpFetcher> fetchers =
                EnginePool.followUps(List.of(new CertificateNameExtractor(), new CspExtractor(), js));
        assertThat(fetchers).hasSize(1);
        assertThat(fetchers.get(0).name()).isEqualTo(js.name());
        assertThat(fetchers.get(0).maxFetches()).isEqualTo(js.maxScripts());
        assertThat(fetchers.get(0).maxBytes()).isEqualTo(js.maxScriptBytes());
        assertThat(EnginePool.followUps(List.of(new CertificateNameExtractor()))).isEmpty();
    }

    @Test
    void blocksWithTheSameOptionsShareOneEngineAndOtherOptionsStartAnother() {
        CertificateNameExtractor certificate = new CertificateNameExtractor();
        try (EnginePool pool = new EnginePool(ProbeSettings.builder().maxInFlight(8).build(),
                Map.of(certificate.name(), certificate), 4)) {
            ProbeOptions fast = ProbeOptions.newBuilder().setConnectTimeoutMs(2000).setRetries(0).build();
            EnginePool.Entry first = pool.acquire(pool.profile(fast));
            first.release();
            EnginePool.Entry again = pool.acquire(pool.profile(ProbeOptions.newBuilder(fast).build()));
            assertThat(again).isSameAs(first);
            assertThat(pool.started()).isEqualTo(1);

            pool.acquire(pool.profile(ProbeOptions.newBuilder(fast).setRetries(2).build())).release();
            again.release();
            assertThat(pool.started()).isEqualTo(2);
            assertThat(pool.size()).isEqualTo(2);
        }
    }
}
