package io.tlsxtractor.ingest;

import java.math.BigInteger;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the scope policy refused in one scan, counted per refusing range or domain, never per address: a /8 of
 * private space is one line ("skipped 10.0.0.0/8 (private) — 16,777,214 addresses"), and so are a million private
 * addresses from a file. Its size is bounded by the policy's ranges and exclusions, not by the input. Thread-safe.
 */
public final class ScopeReport {

    private static final Logger LOG = LoggerFactory.getLogger(ScopeReport.class);

    /**
     * Everything refused because of one range or domain.
     *
     * @param what the refusing range ({@code 10.0.0.0/8}) or excluded domain
     * @param reason why it is refused: private, loopback, excluded...
     * @param count addresses (or hostnames, for a domain) refused because of it
     * @param unit {@code addresses} or {@code hostnames}
     * @param inputs how many targets of the input it cut into
     */
    public record Refusal(String what, String reason, long count, String unit, long inputs) {
        @Override
        public String toString() {
            return "skipped " + what + " (" + reason + ") — " + NumberFormat.getIntegerInstance(Locale.ROOT).format(count)
                    + " " + (count != 1 ? unit : unit.equals("addresses") ? "address" : unit.substring(0, unit.length() - 1));
        }
    }

    private final Map<String, long[]> counts = new LinkedHashMap<>();
    private final Map<String, String[]> labels = new LinkedHashMap<>();

    synchronized void refuse(String what, String reason, BigInteger count, String unit) {
        String key = what + "\u0000" + reason;
        long[] entry = counts.get(key);
        if (entry == null) {
            entry = new long[2];
            counts.put(key, entry);
            labels.put(key, new String[] {what, reason, unit});
            LOG.debug("Skipping targets in {} ({}){}", what, reason,
                    reason.startsWith("excluded") ? "" : " unless private ranges are allowed");
        }
        long add = count.bitLength() < 63 ? count.longValue() : Long.MAX_VALUE;
        entry[0] = entry[0] > Long.MAX_VALUE - add ? Long.MAX_VALUE : entry[0] + add;
        entry[1]++;
    }

    /** Every refusal, in the order first met. */
    public synchronized List<Refusal> refusals() {
        List<Refusal> out = new ArrayList<>(counts.size());
        counts.forEach((key, entry) -> {
            String[] label = labels.get(key);
            out.add(new Refusal(label[0], label[1], entry[0], label[2], entry[1]));
        });
        return out;
    }

    /** Addresses refused in total. */
    public synchronized long refusedAddresses() {
        return refusals().stream().filter(r -> r.unit().equals("addresses")).mapToLong(Refusal::count).sum();
    }

    public synchronized boolean isEmpty() {
        return counts.isEmpty();
    }
}
