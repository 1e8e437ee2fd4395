package io.tlsxtractor.probe;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A token bucket for connection starts, in the virtual-scheduling form (GCRA): each start is
 * given the next slot {@code 1/rate} after the previous one, so the achieved rate never exceeds
 * the set rate by more than the small catch-up allowance ({@link #TOLERANCE_NANOS} worth of
 * starts), whatever the number of callers. The rate can be changed at any time; the next
 * reservation uses it. A rate of 0 means unlimited. Thread-safe.
 */
public final class RateLimiter {
    /**
     * How far a late caller may catch up: a thread woken late by the OS would otherwise lose its
     * slot for good and the achieved rate would fall below the target. 10 ms is a few scheduler
     * ticks and at most 0.5% of a two-second window.
     */
    static final long TOLERANCE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private long intervalNanos;
    private double rate;
    private long nextSlot = Long.MIN_VALUE;

    /** @param perSecond starts per second, 0 for unlimited */
    public RateLimiter(double perSecond) {
        setRate(perSecond);
    }

    /** Changes the rate; takes effect with the next reservation. */
    public synchronized void setRate(double perSecond) {
        if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate must be a finite number >= 0 (0 = unlimited), got " + perSecond);
        }
        rate = perSecond;
        intervalNanos = perSecond == 0 ? 0 : Math.max(1, Math.round(1e9 / perSecond));
    }

    public synchronized double rate() {
        return rate;
    }

    /** Takes the next slot and says how long to wait for it, in nanoseconds (0 = go now). */
    public long reserve() {
        return reserveAt(System.nanoTime());
    }

    synchronized long reserveAt(long now) {
        if (intervalNanos == 0) {
            return 0;
        }
        long start = nextSlot == Long.MIN_VALUE ? now : Math.max(nextSlot, now - TOLERANCE_NANOS);
        nextSlot = start + intervalNanos;
        return Math.max(0, start - now);
    }

    /** Takes the next slot and waits for it. */
    public void acquire() throws InterruptedException {
        sleepNanos(reserve());
    }

    static void sleepNanos(long nanos) throws InterruptedException {
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for the rate limit");
            }
        }
    }
}
