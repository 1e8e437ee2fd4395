package io.tlsxtractor.bench.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and memory of this JVM, read from {@code /proc/self} (Linux only: the benchmarks need
 * user and system time apart, which the JMX bean does not give).
 */
public final class ProcessStats {
    /** {@code getconf CLK_TCK}: 100 on every Linux x86-64 kernel configuration in use. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessStats() {
    }

    /** User and system CPU seconds consumed by this process so far (all threads). */
    public record Cpu(double userSeconds, double systemSeconds, long jmxNanos) {
        public double totalSeconds() {
            return userSeconds + systemSeconds;
        }

        /** What was spent between {@code earlier} and this sample. */
        public Cpu minus(Cpu earlier) {
            return new Cpu(userSeconds - earlier.userSeconds, systemSeconds - earlier.systemSeconds, jmxNanos - earlier.jmxNanos);
        }
    }

    public static Cpu cpu() {
        String stat = read(Path.of("/proc/self/stat"));
        // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // After ')' the fields start at number 3 (state); utime is field 14, stime field 15.
        long utime = Long.parseLong(f[14 - 3]);
        long stime = Long.parseLong(f[15 - 3]);
        long jmx = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            jmx = os.getProcessCpuTime();
        }
        return new Cpu(utime / TICKS_PER_SECOND, stime / TICKS_PER_SECOND, jmx);
    }

    /** Peak resident set size of this process so far ({@code VmHWM}), in bytes. */
    public static long peakRssBytes() {
        return statusKb("VmHWM:") * 1024;
    }

    /** Resident set size now ({@code VmRSS}), in bytes. */
    public static long rssBytes() {
        return statusKb("VmRSS:") * 1024;
    }

    private static long statusKb(String key) {
        for (String line : read(Path.of("/proc/self/status")).split("\n")) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("/proc/self/status has no " + key + " line");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + " (the benchmarks need Linux /proc): " + e.getMessage(), e);
        }
    }

    public static String mib(long bytes) {
        return String.format("%.0f MiB", bytes / 1048576.0);
    }
}
