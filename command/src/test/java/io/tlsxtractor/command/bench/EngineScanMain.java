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
 * <first probe -> last result s> <succeeded> <cpu s>}. Arguments: {@code <cidr> <port> <in flight>}.
 */
public final class EngineScanMain {

    private EngineScanMain() {
    }

    public static void main(String[] args) throws Exception {
        List<InetAddress> hosts = ScanBench.hosts(args[0]);
        int port = Integer.parseInt(args[1]);
        ProbeSettings settings = ProbeSettings.builder().maxInFlight(Integer.parseInt(args[2]))
                .timeout(Duration.ofSeconds(5)).retries(3).build();
        long processStart = System.nanoTime() - ProcessHandle.current().info().startInstant()
                .map(start -> Duration.between(start, Instant.now()).toNanos()).orElse(0L);
        try (ProbeEngine engine = new ProbeEngine(settings, List.of(new CertificateNameExtractor()))) {
            long first = System.nanoTime();
            List<CompletableFuture<ProbeOutcome>> all = new ArrayList<>(hosts.size());
            for (InetAddress ip : hosts) {
                all.add(engine.probe(ProbeTarget.of(ip, port)));
            }
            long ok = all.stream().map(CompletableFuture::join).filter(ProbeOutcome::succeeded).count();
            long last = System.nanoTime();
            double cpu = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(-1.0);
            System.out.printf(Locale.ROOT, "ENGINE %.3f %.3f %d %.2f%n", (first - processStart) / 1e9,
                    (last - first) / 1e9, ok, cpu);
        }
    }
}
