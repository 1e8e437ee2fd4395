package io.tlsxtractor.bench.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses to scan anything but the benchmark's own network: the range must lie in the RFC 2544
 * benchmarking block 198.18.0.0/15, and the kernel must route it through the namespace's veth
 * (without that route the machine's default gateway would carry the traffic off the machine).
 */
public final class ScanGuard {
    private static final long BENCH_BLOCK = 0xC612_0000L; // 198.18.0.0
    private static final long BENCH_MASK = 0xFFFE_0000L; // /15

    private ScanGuard() {
    }

    /**
     * @throws IllegalStateException naming what is wrong, when the range is not the benchmark's or is not
     *     routed through {@code iface} alone
     */
    public static void check(long first, int prefix, String iface) {
        long mask = prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
        if (prefix < 15 || (first & BENCH_MASK) != BENCH_BLOCK) {
            throw new IllegalStateException("refusing to scan " + format(first) + "/" + prefix
                    + ": only ranges inside the benchmarking block 198.18.0.0/15 (RFC 2544) may be scanned");
        }
        boolean routed = false;
        List<String> others = new ArrayList<>();
        for (String[] r : routes()) {
            long dest = Long.parseLong(r[1], 16);
            long rmask = Long.parseLong(r[7], 16);
            dest = Long.reverseBytes(dest) >>> 32;
            rmask = Long.reverseBytes(rmask) >>> 32;
            if (rmask == 0) {
                continue; // The default route: overridden by any route covering the range.
            }
            boolean covers = rmask <= mask && (first & rmask) == dest;
            boolean inside = rmask > mask && (dest & mask) == first;
            if (covers && rmask == mask && r[0].equals(iface)) {
                routed = true;
            } else if (covers && rmask == mask || inside) {
                others.add(format(dest) + "/" + Long.bitCount(rmask) + " dev " + r[0]);
            }
        }
        if (!routed) {
            throw new IllegalStateException("refusing to scan " + format(first) + "/" + prefix + ": it is not routed through "
                    + iface + " (no such route in /proc/net/route); run the benchmark through scan-lab.sh, which sets up the namespace");
        }
        if (!others.isEmpty()) {
            throw new IllegalStateException("refusing to scan " + format(first) + "/" + prefix + ": other routes cover part of it: "
                    + others);
        }
    }

    private static List<String[]> routes() {
        try {
            List<String[]> out = new ArrayList<>();
            List<String> lines = Files.readAllLines(Path.of("/proc/net/route"));
            for (String line : lines.subList(1, lines.size())) {
                out.add(line.trim().split("\\s+"));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/net/route to check where the scan goes: " + e.getMessage(), e);
        }
    }

    public static String format(long v) {
        return ((v >>> 24) & 0xFF) + "." + ((v >>> 16) & 0xFF) + "." + ((v >>> 8) & 0xFF) + "." + (v & 0xFF);
    }
}
