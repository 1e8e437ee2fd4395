package io.tlsxtractor.command.bench;

import io.tlsxtractor.command.scan.ScanPlan;
import io.tlsxtractor.command.scan.ScanRunner;
import io.tlsxtractor.config.ConfigLoader;
import io.tlsxtractor.config.TlsxConfig;
import io.tlsxtractor.probe.ProbeEngine;
import io.tlsxtractor.probe.ProbeOutcome;
import io.tlsxtractor.probe.ProbeSettings;
import io.tlsxtractor.probe.ProbeTarget;
import io.tlsxtractor.probe.extractors.CertificateNameExtractor;
import io.tlsxtractor.tlslab.LabSpec;
import io.tlsxtractor.tlslab.TlsLab;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The scan command's benchmarks, printed (no assertions):
 *
 * <ul>
 *   <li>embedded start-up: command start → first probe sent by the in-process worker (and → first result), and last
 *   result → everything stopped (goals ≤ 5 s and ≤ 2 s). Round 1 on a new data directory also formats it, creates the
 *   topics, and its broker writes the class-data archive when it exits, which round 2 waits for: round 3 on is what
 *   every later scan sees;</li>
 *   <li>pipeline overhead: the same lab scan through the full embedded pipeline (ingest, worker, Kafka, collector,
 *   the 1.x document) versus the probe engine alone in this process, with the same in-flight budget (goal ≤ 1.5x).
 *   The lab's certificates are issued in a warm-up pass first, so that neither run pays for them.</li>
 * </ul>
 *
 * Arguments: {@code [cidr] [threads] [data-dir] [rounds]}, default {@code 127.79.0.0/20 500 <tmp> 3}. Each round
 * prints where the CPU went (this JVM's threads and the broker's child JVM), per target.
 */
public final class ScanBench {

    private ScanBench() {
    }

    public static void main(String[] args) throws Exception {
        String cidr = args.length > 0 ? args[0] : "127.79.0.0/20";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        Path data = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("tlsx-scan-bench");
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Files.createDirectories(data);
        int port = 18443;
        List<InetAddress> hosts = hosts(cidr);
        System.out.printf("Scan bench: %s (%d hosts) on port %d, %d in flight, data %s, load average %s%n", cidr,
                hosts.size(), port, threads, data, loadAverage());
        CpuSampler cpu = CpuSampler.start();
        try (TlsLab lab = TlsLab.start(LabSpec.builder().build().withRange(cidr), port)) {
            ProbeSettings settings = ProbeSettings.builder().maxInFlight(threads).timeout(Duration.ofSeconds(5))
                    .retries(3).build();
            try (ProbeEngine engine = new ProbeEngine(settings, List.of(new CertificateNameExtractor()))) {
                double warm = engineScan(engine, hosts, port);
                System.out.printf("warm-up (lab issues every certificate, JIT): %.2f s%n", warm);
                long engineStart = System.nanoTime();
                double engineSeconds = engineScan(engine, hosts, port);
                System.out.printf("probe engine alone: %.2f s (%.0f targets/s); %s%n", engineSeconds,
                        hosts.size() / engineSeconds, cpu.between(engineStart, System.nanoTime(), hosts.size()));

                Map<String, String> overrides = new LinkedHashMap<>();
                overrides.put("scanning.threads", Integer.toString(threads));
                overrides.put("scanning.port", Integer.toString(port));
                overrides.put("scanning.allow_private", "true");
                overrides.put("local.data_dir", data.toString());
                overrides.put("output.path", data.resolve("bench.json").toString());
                overrides.put("logging.quiet", "true");
                TlsxConfig config = ConfigLoader.create().environment(Map.of()).overrides(overrides).load();
                List<Double> scanSeconds = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    ScanPlan plan = ScanPlan.of(config, ScanPlan.InputKind.CIDR, cidr, Instant.now());
                    ScanRunner.Report r = ScanRunner.run(new ScanRunner.Request(config, plan, null, port,
                            new PrintWriter(new StringWriter()), false, true));
                    double startup = (r.firstResult() - r.started()) / 1e9;
                    double toFirstProbe = (r.firstProbe() - r.started()) / 1e9;
                    double scan = (r.lastResult() - r.submitted()) / 1e9;
                    scanSeconds.add(scan);
                    double teardown = (r.ended() - r.lastResult()) / 1e9;
                    double total = (r.ended() - r.started()) / 1e9;
                    System.out.printf("embedded pipeline round %d (exit %d, %s results):%n", round, r.exitCode(),
                            ((Map<?, ?>) r.document().metadata().get("statistics")).get("scanned"));
                    System.out.printf("  start-up: command start -> first probe sent %.2f s (goal <= 5 s: ratio %.2f);"
                            + " -> first result %.2f s%n", toFirstProbe, toFirstProbe / 5, startup);
                    System.out.printf("  teardown: last result -> all stopped, document written %.2f s (goal <= 2 s: ratio %.2f)%n",
                            teardown, teardown / 2);
                    System.out.printf("  scan: request submitted -> last result %.2f s; pipeline / engine = %.2fx (goal <= 1.5x)%n",
                            scan, scan / engineSeconds);
                    System.out.printf("  whole command %.2f s; whole command / engine = %.2fx%n", total, total / engineSeconds);
                    System.out.printf("  scan phase %s%n", cpu.between(r.submitted(), r.lastResult(), hosts.size()));
                }
                // The engine alone once more, after the rounds: a drift of the machine shows as two different figures.
                long againStart = System.nanoTime();
                double again = engineScan(engine, hosts, port);
                System.out.printf("probe engine alone, after the rounds: %.2f s (%.0f targets/s); %s%n", again,
                        hosts.size() / again, cpu.between(againStart, System.nanoTime(), hosts.size()));
                double meanEngine = (engineSeconds + again) / 2;
                StringBuilder ratios = new StringBuilder();
                scanSeconds.forEach(t -> ratios.append(String.format(" %.2fx", t / meanEngine)));
                System.out.printf("pipeline / engine against the mean of both engine passes (%.2f s), round by round:%s"
                        + " (goal <= 1.5x)%n", meanEngine, ratios);
            }
        }
        cpu.close();
        System.out.printf("load average after: %s%n", loadAverage());
    }

    static double engineScan(ProbeEngine engine, List<InetAddress> hosts, int port) throws InterruptedException {
        long start = System.nanoTime();
        List<CompletableFuture<ProbeOutcome>> all = new ArrayList<>(hosts.size());
        for (InetAddress ip : hosts) {
            all.add(engine.probe(ProbeTarget.of(ip, port)));
        }
        long ok = all.stream().map(CompletableFuture::join).filter(ProbeOutcome::succeeded).count();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (ok != hosts.size()) {
            System.out.printf("  (engine: %d of %d succeeded)%n", ok, hosts.size());
        }
        return seconds;
    }

    /** The usable hosts of an IPv4 network, as the CLI scans them (no network or broadcast address). */
    static List<InetAddress> hosts(String cidr) throws Exception {
        String[] parts = cidr.split("/");
        byte[] base = InetAddress.getByName(parts[0]).getAddress();
        int prefix = Integer.parseInt(parts[1]);
        long first = ((base[0] & 0xffL) << 24 | (base[1] & 0xffL) << 16 | (base[2] & 0xffL) << 8 | (base[3] & 0xffL))
                & (0xffffffffL << (32 - prefix));
        long count = 1L << (32 - prefix);
        List<InetAddress> hosts = new ArrayList<>();
        for (long a = first + 1; a < first + count - 1; a++) {
            hosts.add(InetAddress.getByAddress(new byte[] {(byte) (a >> 24), (byte) (a >> 16), (byte) (a >> 8), (byte) a}));
        }
        return hosts;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
