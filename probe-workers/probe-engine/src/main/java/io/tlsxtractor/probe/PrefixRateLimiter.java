package io.tlsxtractor.probe;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link RateLimiter} per network: per /24 for IPv4 and per /64 for IPv6, the usual unit of
 * one operator's hosts, so that a scan does not hammer one customer while respecting the global
 * rate. Networks idle for a while are forgotten, which bounds the memory to the networks being
 * probed right now. The rate can be changed at run time. A rate of 0 means unlimited.
 */
public final class PrefixRateLimiter {
    /** Above this many networks, idle ones are dropped (an idle limiter equals a fresh one). */
    private static final int SWEEP_THRESHOLD = 4096;

    private record Prefix(boolean v6, long bits) {
    }

    private final Map<Prefix, RateLimiter> limiters = new ConcurrentHashMap<>();
    private final Map<Prefix, Long> lastUse = new ConcurrentHashMap<>();
    private volatile double rate;

    public PrefixRateLimiter(double perSecondPerPrefix) {
        setRate(perSecondPerPrefix);
    }

    public void setRate(double perSecond) {
        new RateLimiter(perSecond); // validates
        rate = perSecond;
        limiters.values().forEach(l -> l.setRate(perSecond));
    }

    public double rate() {
        return rate;
    }

    /** The network key of an address: its /24 or /64. */
    static String prefixOf(InetAddress ip) {
        Prefix p = key(ip);
        return (p.v6 ? "v6:" : "v4:") + Long.toHexString(p.bits);
    }

    private static Prefix key(InetAddress ip) {
        byte[] a = ip.getAddress();
        if (ip instanceof Inet4Address) {
            return new Prefix(false, ((a[0] & 0xffL) << 16) | ((a[1] & 0xffL) << 8) | (a[2] & 0xffL));
        }
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (a[i] & 0xffL);
        }
        return new Prefix(true, bits);
    }

    /** Takes the next slot of the address's network; returns the wait in nanoseconds. */
    public long reserve(InetAddress ip) {
        double r = rate;
        if (r == 0) {
            return 0;
        }
        Prefix k = key(ip);
        long now = System.nanoTime();
        if (limiters.size() > SWEEP_THRESHOLD) {
            sweep(now);
        }
        lastUse.put(k, now);
        return limiters.computeIfAbsent(k, x -> new RateLimiter(r)).reserveAt(now);
    }

    /** Takes the next slot of the address's network and waits for it. */
    public void acquire(InetAddress ip) throws InterruptedException {
        RateLimiter.sleepNanos(reserve(ip));
    }

    /** Number of networks currently tracked. */
    public int trackedPrefixes() {
        return limiters.size();
    }

    private void sweep(long now) {
        long idle = Math.max(RateLimiter.TOLERANCE_NANOS, rate == 0 ? 0 : (long) (2e9 / rate));
        for (Iterator<Map.Entry<Prefix, Long>> it = lastUse.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Prefix, Long> e = it.next();
            if (now - e.getValue() > idle) {
                it.remove();
                limiters.remove(e.getKey());
            }
        }
    }
}
