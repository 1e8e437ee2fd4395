package io.tlsxtractor.streams;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the inventory refused because a domain's record was full ({@link InventoryLimits}), across every stream
 * thread of one application instance. Thread-safe, process-local, starting at zero: for operators (logs, metrics).
 */
public final class InventoryCounters {

    private final LongAdder ipsRefused = new LongAdder();
    private final LongAdder certificatesRefused = new LongAdder();

    /** Endpoints not added to a domain that already held {@link InventoryLimits#maxIpsPerDomain()}. */
    public long ipsRefused() {
        return ipsRefused.sum();
    }

    /** Certificates not added to a domain that already held {@link InventoryLimits#maxCertificatesPerDomain()}. */
    public long certificatesRefused() {
        return certificatesRefused.sum();
    }

    public void ipRefused() {
        ipsRefused.increment();
    }

    public void certificateRefused() {
        certificatesRefused.increment();
    }

    @Override
    public String toString() {
        return "ipsRefused=" + ipsRefused() + ", certificatesRefused=" + certificatesRefused();
    }
}
