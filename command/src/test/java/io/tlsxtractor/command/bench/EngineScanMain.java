package io.tlsxtractor.command.bench;

import io.tlsxtractor.probe.ProbeEngine;
import io.tlsxtractor.probe.ProbeOutcome;
import io.tlsxtractor.probe.ProbeSettings;
import io.tlsxtractor.probe.ProbeTarget;
import io.tlsxtractor.probe.extractors.CertificateNameExtractor;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The probe engine alone in a new process, for {@link ColdScanBench}: scans every host of a network once with the
 * settings of the command's embedded worker, and prints one line, {@code ENGINE <process start -> first probe s>
 * <first probe -> last result s> <succeeded> <cpu s>}. Arguments: {@code <cidr> <port> <in flight> [passes]}: with
 * more than one pass it scans the network again and prints {@code PASS <n> <s> ...} per later pass (a long scan's steady
 * state, for comparing JVM options).
 */
public final class EngineScanMain {

    private EngineScanMain() {
    }

    private static double cpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(-1.0);
    }

    public static void main(String[] args) throws Exception {
        List<InetAddress> hosts = ScanBench.hosts(args[0]);
        int port = Integer.parseInt(args[1]);
        ProbeSettings settings = ProbeSettings.builder().maxInFlight(Integer.parseInt(args[2]))
                .timeout(Duration.ofSeconds(5)).retries(3).build();
        long processStart = System.nanoTime() - ProcessHandle.current().info().startInstant()
                .map(start -> Duration.between(start, Instant.now()).toNanos()).orElse(0L);
        int passes = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        try (ProbeEngine engine = new ProbeEngine(settings, List.of(new CertificateNameExtractor()))) {
            long first = System.nanoTime();
            for (int pass = 1; pass <= passes; pass++) {
                long passStart = System.nanoTime();
                double cpuBefore = cpuSeconds();
                List<CompletableFuture<ProbeOutcome>> all = new ArrayList<>(hosts.size());
                for (InetAddress ip : hosts) {
                    all.add(engine.probe(ProbeTarget.of(ip, port)));
                }
                long ok = all.stream().map(CompletableFuture::join).filter(ProbeOutcome::succeeded).count();
                long last = System.nanoTime();
                if (pass == 1) {
                    System.out.printf(Locale.ROOT, "ENGINE %.3f %.3f %d %.2f%n", (first - processStart) / 1e9,
                            (last - first) / 1e9, ok, cpuSeconds());
                } else {
                    // Later passes of the same hosts: the steady state of a long scan, once the JIT is done.
                    System.out.printf(Locale.ROOT, "PASS %d %.3f s %d succeeded %.2f s CPU%n", pass,
                            (last - passStart) / 1e9, ok, cpuSeconds() - cpuBefore);
                }
            }
        }
    }
}
