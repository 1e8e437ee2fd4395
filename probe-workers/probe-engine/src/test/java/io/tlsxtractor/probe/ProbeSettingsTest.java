package io.tlsxtractor.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProbeSettingsTest {

    @Test
    void defaultsAreThe1xDefaults() {
        ProbeSettings s = ProbeSettings.builder().build();
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.retries()).isEqualTo(3);
        assertThat(s.maxInFlight()).isEqualTo(50);
        assertThat(s.rateLimit()).isZero();
        assertThat(s.maxRedirects()).isEqualTo(10);
        assertThat(s.fetchHttp()).isFalse();
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> ProbeSettings.builder().timeout(Duration.ZERO).retries(-1).maxInFlight(0).rateLimit(-5)
                .httpPath("x").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout must be positive")
                .hasMessageContaining("retries must be in 0..100, got -1")
                .hasMessageContaining("maxInFlight")
                .hasMessageContaining("rateLimit")
                .hasMessageContaining("httpPath");
    }

    @Test
    void backoffDoublesUpToItsBound() {
        ProbeSettings s = ProbeSettings.builder().backoff(Duration.ofMillis(100), Duration.ofMillis(350)).build();
        assertThat(s.backoffBefore(2)).isEqualTo(Duration.ofMillis(100));
        assertThat(s.backoffBefore(3)).isEqualTo(Duration.ofMillis(200));
        assertThat(s.backoffBefore(4)).isEqualTo(Duration.ofMillis(350));
        assertThat(s.backoffBefore(9)).isEqualTo(Duration.ofMillis(350));
    }

    @Test
    void theQueueingBoundIsTwiceTheTimeoutButAtLeastTenSeconds() {
        assertThat(ProbeSettings.builder().timeout(Duration.ofSeconds(2)).build().queueTimeout())
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(ProbeSettings.builder().timeout(Duration.ofSeconds(30)).build().queueTimeout())
                .isEqualTo(Duration.ofSeconds(60));
    }
}
