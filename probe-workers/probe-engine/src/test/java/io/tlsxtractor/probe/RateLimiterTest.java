package io.tlsxtractor.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void slotsAreSpacedByTheInterval() {
        RateLimiter r = new RateLimiter(100);
        long t0 = 1_000_000_000L;
        assertThat(r.reserveAt(t0)).isZero();
        assertThat(r.reserveAt(t0)).isEqualTo(10 * MS);
        assertThat(r.reserveAt(t0)).isEqualTo(20 * MS);
        // A caller 1 ms late for its slot goes at once; the schedule does not drift.
        assertThat(r.reserveAt(t0 + 31 * MS)).isZero();
        assertThat(r.reserveAt(t0 + 31 * MS)).isEqualTo(9 * MS);
    }

    @Test
    void rateChangesApplyToTheNextReservation() {
        RateLimiter r = new RateLimiter(10);
        long t0 = 0;
        r.reserveAt(t0);
        r.setRate(1000);
        assertThat(r.reserveAt(t0)).isEqualTo(100 * MS);
        assertThat(r.reserveAt(t0)).isEqualTo(101 * MS);
        r.setRate(0);
        assertThat(r.reserveAt(t0)).isZero();
    }

    @Test
    void idleTimeBuysOnlyASmallBurst() {
        RateLimiter r = new RateLimiter(1000);
        r.reserveAt(0);
        long later = TimeUnit.SECONDS.toNanos(10);
        int immediate = 0;
        while (r.reserveAt(later) == 0) {
            immediate++;
        }
        // 10 ms of tolerance at 1000/s: about 10 starts, not the 10,000 a naive bucket would allow.
        assertThat(immediate).isBetween(10, 12);
    }

    @Test
    void invalidRatesAreRefused() {
        assertThatThrownBy(() -> new RateLimiter(-1)).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> new RateLimiter(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void manyThreadsTogetherNeverExceedTheRate() throws Exception {
        double rate = 500;
        RateLimiter r = new RateLimiter(rate);
        AtomicInteger count = new AtomicInteger();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        r.acquire();
                        if (System.nanoTime() >= end) {
                            return;
                        }
                        count.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double achieved = count.get() / seconds;
        assertThat(achieved).isLessThanOrEqualTo(rate * 1.03);
        // Loose floor: the limiter must not throttle far below its rate either.
        assertThat(achieved).isGreaterThan(rate * 0.7);
    }

    @Test
    void prefixLimitsAreIndependentPerNetwork() throws Exception {
        PrefixRateLimiter p = new PrefixRateLimiter(1);
        InetAddress a1 = InetAddress.getByName("127.1.1.1");
        InetAddress a2 = InetAddress.getByName("127.1.1.200");
        InetAddress b = InetAddress.getByName("127.1.2.1");
        InetAddress v6a = InetAddress.getByName("2001:db8:0:1::1");
        InetAddress v6b = InetAddress.getByName("2001:db8:0:1:ffff::2");
        assertThat(p.reserve(a1)).isZero();
        assertThat(p.reserve(a2)).isGreaterThan(500 * MS); // same /24
        assertThat(p.reserve(b)).isZero();                 // another /24
        assertThat(p.reserve(v6a)).isZero();
        assertThat(p.reserve(v6b)).isGreaterThan(500 * MS); // same /64
        assertThat(PrefixRateLimiter.prefixOf(a1)).isEqualTo(PrefixRateLimiter.prefixOf(a2)).isNotEqualTo(PrefixRateLimiter.prefixOf(b));
        p.setRate(0);
        assertThat(p.reserve(a1)).isZero();
    }
}
