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

    @Test
    void aTimeoutOnAnAcceptedConnectionIsRetriedOnceEvenWithoutRetriesASilentHostIsNot() {
        assertThat(ProbeSettings.builder().build().connectedTimeoutRetries()).as("off by default (1.x --retry 0)").isZero();
        ProbeSettings none = ProbeSettings.builder().retries(0).connectedTimeoutRetries(1).build();
        ProbeError handshakeTimeout = new ProbeError(ErrorCode.SOCKET_TIMEOUT, "deadline in handshake", java.util.Map.of());
        ProbeError connectTimeout = new ProbeError(ErrorCode.CONN_TIMEOUT, "deadline in connect", java.util.Map.of());
        ProbeError eof = new ProbeError(ErrorCode.TLS_EOF, "closed", java.util.Map.of());
        assertThat(none.connectedTimeoutRetries()).isEqualTo(1);
        assertThat(none.retryAfter(1, handshakeTimeout, true)).isTrue();
        assertThat(none.retryAfter(2, handshakeTimeout, true)).as("once only").isFalse();
        assertThat(none.retryAfter(1, connectTimeout, false)).as("silent host").isFalse();
        assertThat(none.retryAfter(1, eof, true)).as("only timeouts get the extra attempt").isFalse();

        ProbeSettings off = ProbeSettings.builder().retries(0).connectedTimeoutRetries(0).build();
        assertThat(off.retryAfter(1, handshakeTimeout, true)).isFalse();

        // The configured retries still apply to every transient failure; the extra is a floor, not an addition.
        ProbeSettings three = ProbeSettings.builder().retries(3).build();
        assertThat(three.retryAfter(3, connectTimeout, false)).isTrue();
        assertThat(three.retryAfter(4, handshakeTimeout, true)).isFalse();
        assertThat(three.retryAfter(1, new ProbeError(ErrorCode.CONN_REFUSED, "refused", java.util.Map.of()), false)).isFalse();

        assertThatThrownBy(() -> ProbeSettings.builder().connectedTimeoutRetries(-1).build())
                .hasMessageContaining("connectedTimeoutRetries must be in 0..10, got -1");
    }
}
