package io.tlsxtractor.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsxtractor.plugins.core.csp.CspExtractor;
import io.tlsxtractor.plugins.core.js.JsExtractor;
import io.tlsxtractor.probe.FollowUpFetcher;
import io.tlsxtractor.probe.extractors.CertificateNameExtractor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JavaScript extractor reaches the engine as a follow-up fetcher with its own bounds; no other extractor does. */
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
}
