package io.tlsxtractor.streams;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of names dropped during extraction, by {@link DropReason}, across every stream thread of one application
 * instance. Thread-safe. Counts are process-local and start at zero: they are for operators (logs, metrics), not
 * part of the inventory.
 */
public final class DropCounters {

    private final Map<DropReason, LongAdder> counts = new EnumMap<>(DropReason.class);

    public DropCounters() {
        for (DropReason reason : DropReason.values()) {
            counts.put(reason, new LongAdder());
        }
    }

    /** Records one drop. */
    public void increment(DropReason reason) {
        counts.get(reason).increment();
    }

    /** Names dropped for {@code reason} so far. */
    public long count(DropReason reason) {
        return counts.get(reason).sum();
    }

    /** Every reason with a non-zero count. */
    public Map<DropReason, Long> snapshot() {
        Map<DropReason, Long> out = new EnumMap<>(DropReason.class);
        counts.forEach((reason, adder) -> {
            long n = adder.sum();
            if (n > 0) {
                out.put(reason, n);
            }
        });
        return out;
    }

    /** Total names dropped. */
    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
