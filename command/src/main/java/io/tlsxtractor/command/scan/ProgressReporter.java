package io.tlsxtractor.command.scan;

import io.tlsxtractor.schemas.avro.ExtractedName;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.ProbeStatus;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The progress of a scan on stderr, as 1.x showed it: targets done / total, percent, rate, ETA, domains found and
 * errors by category, and each newly found domain with its sources. On a terminal the status line redraws itself
 * ({@code \r}); otherwise a plain line is printed every few seconds, so that a log file stays readable. Silent with
 * {@code --quiet}. Called from the collector's thread only.
 */
public final class ProgressReporter implements ResultCollector.Listener {

    private final PrintWriter err;
    private final boolean quiet;
    private final boolean terminal;
    private final long startNanos;
    private final long intervalNanos;
    private final Set<String> domains = new HashSet<>();
    private final Map<String, Long> errorsByCategory = new TreeMap<>();
    private long done;
    private long successful;
    private long total = -1;
    private boolean totalFinal;
    private long lastPrint;
    private int lineWidth;

    public ProgressReporter(PrintWriter err, boolean quiet, boolean terminal) {
        this.err = err;
        this.quiet = quiet;
        this.terminal = terminal;
        this.startNanos = System.nanoTime();
        this.intervalNanos = terminal ? 200_000_000L : 5_000_000_000L;
        this.lastPrint = startNanos;
    }

    @Override
    public void onResult(ProbeResult result, boolean firstForEndpoint) {
        if (firstForEndpoint) {
            done++;
            if (result.getStatus() == ProbeStatus.SUCCESS) {
                successful++;
            } else {
                String category = result.getErrorCategory() == null ? "unknown"
                        : result.getErrorCategory().name().toLowerCase(Locale.ROOT);
                errorsByCategory.merge(category, 1L, Long::sum);
            }
        }
        Map<String, Set<String>> fresh = new LinkedHashMap<>();
        for (ExtractedName n : result.getNames()) {
            String name = n.getName().toLowerCase(Locale.ROOT);
            if (!domains.contains(name) || fresh.containsKey(name)) {
                fresh.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(n.getSource().name().toLowerCase(Locale.ROOT));
            }
        }
        domains.addAll(fresh.keySet());
        if (!quiet) {
            fresh.forEach((name, sources) -> line("[+] " + name + " (" + String.join(", ", sources) + ") from "
                    + result.getIp() + ":" + result.getPort()));
        }
        tick(false);
    }

    @Override
    public void onNotice(String message) {
        if (!quiet) {
            line("Warning: " + message);
        }
    }

    @Override
    public void onTotal(long newTotal, boolean complete) {
        total = newTotal;
        totalFinal = complete;
        tick(false);
    }

    /** A message of the command itself, kept apart from the status line. */
    public void message(String text) {
        if (!quiet) {
            line(text);
        }
    }

    /** Redraws or prints the status line when it is due, or now when {@code force}. */
    public void tick(boolean force) {
        if (quiet) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastPrint < intervalNanos) {
            return;
        }
        lastPrint = now;
        String status = statusLine(now);
        if (terminal) {
            String padded = status.length() < lineWidth ? status + " ".repeat(lineWidth - status.length()) : status;
            err.print("\r" + padded);
            lineWidth = status.length();
        } else {
            err.println(status);
        }
        err.flush();
    }

    /** Ends the status line before other output follows it. */
    public void finish() {
        if (!quiet && terminal && lineWidth > 0) {
            err.println();
            err.flush();
            lineWidth = 0;
        }
    }

    String statusLine(long now) {
        double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
        double rate = done / seconds;
        StringBuilder b = new StringBuilder("Progress: ");
        if (total >= 0) {
            b.append(done).append('/').append(total).append(totalFinal ? "" : "+");
            if (total > 0) {
                b.append(String.format(Locale.ROOT, " (%.1f%%)", 100.0 * done / total));
            }
        } else {
            b.append(done).append("/?");
        }
        b.append(String.format(Locale.ROOT, " | %.1f/s", rate));
        if (totalFinal && total > done && rate > 0) {
            b.append(" | ETA ").append(duration((total - done) / rate));
        }
        b.append(" | domains ").append(domains.size());
        if (!errorsByCategory.isEmpty()) {
            b.append(" | errors");
            errorsByCategory.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        }
        return b.toString();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
    }

    private void line(String text) {
        if (terminal && lineWidth > 0) {
            err.print("\r" + " ".repeat(lineWidth) + "\r");
            lineWidth = 0;
        }
        err.println(text);
        err.flush();
    }

    public long done() {
        return done;
    }

    public long successful() {
        return successful;
    }

    public int domainsFound() {
        return domains.size();
    }

    public Map<String, Long> errorsByCategory() {
        return errorsByCategory;
    }
}
