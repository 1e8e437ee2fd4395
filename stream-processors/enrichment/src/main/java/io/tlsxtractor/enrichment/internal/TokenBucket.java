package io.tlsxtractor.enrichment.internal;

import java.util.function.LongSupplier;

/**
 * A token bucket that hands out reservations instead of refusals: {@link #reserve()} takes a token now and
 * says how long to wait before using it. Waiting callers are bounded elsewhere (the enricher's in-flight
 * limit), so the debt this bucket can run up is bounded too.
 */
public final class TokenBucket {

    private final double tokensPerNano;
    private final double capacity;
    private final LongSupplier nanoClock;
    private double tokens;
    private long last;

    /**
     * @param perSecond rate of tokens
     * @param burst     tokens available at once (the bucket starts full)
     */
    public TokenBucket(double perSecond, double burst, LongSupplier nanoClock) {
        if (!(perSecond > 0) || !(burst >= 1)) {
            throw new IllegalArgumentException("token bucket needs rate > 0 and burst >= 1, got " + perSecond + "/" + burst);
        }
        this.tokensPerNano = perSecond / 1e9;
        this.capacity = burst;
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.last = nanoClock.getAsLong();
    }

    /** Takes one token; returns the nanoseconds to wait before it may be used (0 when available now). */
    public synchronized long reserve() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(capacity, tokens + (now - last) * tokensPerNano);
        last = now;
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / tokensPerNano);
    }
}
