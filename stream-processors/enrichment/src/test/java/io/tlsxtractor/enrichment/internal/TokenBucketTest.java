package io.tlsxtractor.enrichment.internal;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The reservation arithmetic of {@link TokenBucket}, on a clock the test moves. */
class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void burstIsFreeThenEachReservationWaitsOneIntervalMore() {
        AtomicLong clock = new AtomicLong();
        TokenBucket bucket = new TokenBucket(4, 2, clock::get);

        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isEqualTo(SECOND / 4);
        assertThat(bucket.reserve()).isEqualTo(2 * SECOND / 4);
    }

    @Test
    void tokensComeBackWithTimeUpToTheBurst() {
        AtomicLong clock = new AtomicLong();
        TokenBucket bucket = new TokenBucket(10, 3, clock::get);
        for (int i = 0; i < 3; i++) {
            bucket.reserve();
        }
        clock.addAndGet(10 * SECOND);   // far more than needed to refill: the bucket holds 3 at most

        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isPositive();
    }
}
