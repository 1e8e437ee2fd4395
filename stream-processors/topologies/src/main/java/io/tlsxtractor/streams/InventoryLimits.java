package io.tlsxtractor.streams;

/**
 * How much one domain's inventory record may hold. A domain served by a CDN or a shared host can be seen on
 * hundreds of thousands of addresses; its record (rewritten on every change) must stay small. Additions beyond a
 * cap are refused and counted in {@link InventoryCounters}; the record keeps the first ones, sorted.
 *
 * @param maxIpsPerDomain {@code ip:port} endpoints kept per domain
 * @param maxCertificatesPerDomain certificate SHA-256s kept per domain
 */
public record InventoryLimits(int maxIpsPerDomain, int maxCertificatesPerDomain) {

    public static final int DEFAULT_MAX = 1000;

    public InventoryLimits {
        if (maxIpsPerDomain < 1) {
            throw new IllegalArgumentException("max IPs per domain must be at least 1, got " + maxIpsPerDomain);
        }
        if (maxCertificatesPerDomain < 1) {
            throw new IllegalArgumentException("max certificates per domain must be at least 1, got "
                    + maxCertificatesPerDomain);
        }
    }

    /** 1,000 of each, as 1.x kept. */
    public static InventoryLimits defaults() {
        return new InventoryLimits(DEFAULT_MAX, DEFAULT_MAX);
    }
}
