package io.tlsxtractor.bench;

import io.tlsxtractor.bench.internal.Args;
import io.tlsxtractor.bench.internal.LabProcess;
import io.tlsxtractor.bench.internal.ProcessStats;
import io.tlsxtractor.probe.ProbeEngine;
import io.tlsxtractor.probe.ProbeOutcome;
import io.tlsxtractor.probe.ProbeSettings;
import io.tlsxtractor.probe.ProbeTarget;
import io.tlsxtractor.probe.TlsProvider;
import io.tlsxtractor.probe.extractors.CertificateNameExtractor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU cost of one probe (new TCP connection, full handshake without session reuse, chain capture,
 * certificate parsing, name extraction) in this JVM, against {@code openssl s_time -new} on the same
 * lab in the same run. The lab runs as a child JVM so that its CPU is not counted.
 *
 * <p>Lab layout: {@code 127.88.0.0/24} default hosts (TLS 1.2 + 1.3: the engine negotiates 1.3),
 * {@code 127.88.1.0/24} {@code tls12} hosts; RSA 2048 leaf + one intermediate everywhere.
 *
 * <pre>java -cp CLASSPATH io.tlsxtractor.bench.HandshakeCpuBench [--handshakes 3000] [--warmup 3000]
 *     [--providers OPENSSL,JDK] [--concurrency 8] [--stime-seconds 10]</pre>
 */
public final class HandshakeCpuBench {
    private static final Pattern STIME = Pattern.compile("(\\d+) connections in ([\\d.]+)s; ([\\d.]+) connections/user sec");
    private static final Pattern STIME_REAL = Pattern.compile("(\\d+) connections in (\\d+) real seconds");

    private HandshakeCpuBench() {
    }

    /** What one measured engine run gave. */
    record EngineRun(String provider, String group, int handshakes, int ok, double wallSeconds, ProcessStats.Cpu cpu,
                     String tlsVersion, String cipher, long names, long jitMillis) {
        double perCpuSecond() {
            return ok / cpu.totalSeconds();
        }

        double perUserSecond() {
            return ok / cpu.userSeconds();
        }
    }

    /** What one {@code openssl s_time} run gave. */
    record STimeRun(String label, List<String> options, int connections, double userSeconds, double perUserSecond, int realSeconds) {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args("HandshakeCpuBench", argv, Map.of("handshakes", "3000", "warmup", "3000",
                "providers", "OPENSSL,JDK", "concurrency", "8", "stime-seconds", "10"));
        int n = args.integer("handshakes");
        int warmup = args.integer("warmup");
        int concurrency = args.integer("concurrency");
        int stimeSeconds = args.integer("stime-seconds");
        List<TlsProvider> providers = new ArrayList<>();
        for (String p : args.string("providers").split(",")) {
            providers.add(TlsProvider.valueOf(p.trim().toUpperCase(Locale.ROOT)));
        }
        Path spec = Files.createTempFile("handshake-bench", ".spec");
        Files.writeString(spec, "127.88.1.0/24 tls12\n");
        int port = LabProcess.freePort();
        List<EngineRun> runs = new ArrayList<>();
        List<STimeRun> stimes = new ArrayList<>();
        try (LabProcess lab = LabProcess.start("127.88.0.0/23", port, spec)) {
            System.out.printf("Lab: child JVM PID %d on port %d; bench JVM PID %d, %d cores, load average %s%n",
                    lab.pid(), port, ProcessHandle.current().pid(), Runtime.getRuntime().availableProcessors(), loadAverage());
            for (TlsProvider provider : providers) {
                ProbeSettings settings = ProbeSettings.builder()
                        .timeout(Duration.ofSeconds(10)).retries(0).maxInFlight(concurrency)
                        .tlsProvider(provider).build();
                try (ProbeEngine engine = new ProbeEngine(settings, List.of(new CertificateNameExtractor()))) {
                    // Warm-up of BOTH protocols before measuring either: JIT, pools, and the lab's lazily
                    // issued certificate of every address. Warming each protocol just before its own
                    // measurement left the JIT compiling the shared code (counted: it is this JVM's CPU)
                    // during the first measured protocol, which made TLS 1.3 look ~1.5x dearer than 1.2.
                    for (String group : List.of("127.88.0", "127.88.1")) {
                        run(engine, provider.name(), group, port, warmup);
                    }
                    for (String group : List.of("127.88.0", "127.88.1")) {
                        EngineRun r = run(engine, provider.name(), group, port, n);
                        runs.add(r);
                        System.out.printf("engine %-7s %s.x: %d/%d handshakes OK (%s %s, %d names) in %.2f s wall, CPU user %.2f s + sys %.2f s"
                                        + " (JMX %.2f s; JIT compiler threads at work %.2f s, elapsed) -> %.0f handshakes/CPU-s, %.0f handshakes/user-s%n",
                                r.provider, r.group, r.ok, r.handshakes, r.tlsVersion, r.cipher, r.names, r.wallSeconds,
                                r.cpu.userSeconds(), r.cpu.systemSeconds(), r.cpu.jmxNanos() / 1e9, r.jitMillis / 1e3,
                                r.perCpuSecond(), r.perUserSecond());
                    }
                }
            }
            EngineRun tls13 = runs.stream().filter(r -> r.group.equals("127.88.0")).findFirst().orElseThrow();
            EngineRun tls12 = runs.stream().filter(r -> r.group.equals("127.88.1")).findFirst().orElseThrow();
            String target13 = "127.88.0.1:" + port;
            String target12 = "127.88.1.1:" + port;
            stimes.add(stime("default (as briefed)", target13, stimeSeconds, List.of()));
            stimes.add(stime("TLS 1.3 matched", target13, stimeSeconds, List.of("-tls1_3", "-ciphersuites", tls13.cipher)));
            stimes.add(stime("TLS 1.2 matched", target12, stimeSeconds, List.of("-tls1_2", "-cipher", opensslName(tls12.cipher))));
        } finally {
            Files.deleteIfExists(spec);
        }
        report(runs, stimes);
    }

    private static EngineRun run(ProbeEngine engine, String provider, String group, int port, int count) throws Exception {
        List<InetAddress> hosts = new ArrayList<>();
        for (int i = 1; i <= 254; i++) {
            hosts.add(InetAddress.getByName(group + "." + i));
        }
        AtomicLong ok = new AtomicLong();
        AtomicLong names = new AtomicLong();
        Map<String, String> negotiated = new ConcurrentHashMap<>();
        Map<String, Long> failures = new ConcurrentHashMap<>();
        List<CompletableFuture<ProbeOutcome>> futures = new ArrayList<>(count);
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        long jit0 = jit.getTotalCompilationTime();
        ProcessStats.Cpu before = ProcessStats.cpu();
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            CompletableFuture<ProbeOutcome> f = engine.probe(ProbeTarget.of(hosts.get(i % hosts.size()), port));
            futures.add(f.whenComplete((o, e) -> {
                if (o != null && o.succeeded() && !o.names().isEmpty()) {
                    ok.incrementAndGet();
                    names.addAndGet(o.names().size());
                    negotiated.putIfAbsent("version", o.tlsVersion());
                    negotiated.putIfAbsent("cipher", o.cipherSuite());
                } else {
                    failures.merge(o == null ? String.valueOf(e) : String.valueOf(o.errorCode()), 1L, Long::sum);
                }
            }));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        double wall = (System.nanoTime() - t0) / 1e9;
        ProcessStats.Cpu used = ProcessStats.cpu().minus(before);
        long jitMillis = jit.getTotalCompilationTime() - jit0;
        if (!failures.isEmpty()) {
            System.out.printf("  engine %s %s.x: failures %s%n", provider, group, failures);
        }
        return new EngineRun(provider, group, count, (int) ok.get(), wall, used, negotiated.get("version"),
                negotiated.get("cipher"), names.get(), jitMillis);
    }

    private static STimeRun stime(String label, String target, int seconds, List<String> extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_time", "-connect", target, "-new", "-time", Integer.toString(seconds)));
        cmd.addAll(extra);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            out = String.join("\n", r.lines().toList());
        }
        int rc = p.waitFor();
        Matcher m = STIME.matcher(out);
        Matcher real = STIME_REAL.matcher(out);
        if (rc != 0 || !m.find()) {
            throw new IllegalStateException("openssl s_time failed (exit " + rc + ", " + String.join(" ", cmd) + "):\n" + out);
        }
        int realSeconds = real.find() ? Integer.parseInt(real.group(2)) : -1;
        STimeRun s = new STimeRun(label, cmd.subList(1, cmd.size()), Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2)),
                Double.parseDouble(m.group(3)), realSeconds);
        System.out.printf("openssl %s: %d connections, %.2f user-s, %.0f connections/user-s (%s)%n", label, s.connections,
                s.userSeconds, s.perUserSecond, String.join(" ", s.options));
        return s;
    }

    /** The OpenSSL name of a TLS 1.2 suite given by its IANA name, as {@code openssl ciphers -stdname} maps them. */
    static String opensslName(String iana) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("openssl", "ciphers", "-stdname", "ALL:COMPLEMENTOFALL").redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line : r.lines().toList()) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 3 && f[0].equals(iana) && f[1].equals("-")) {
                    return f[2];
                }
            }
        } finally {
            p.waitFor();
        }
        throw new IllegalStateException("openssl ciphers -stdname knows no suite " + iana);
    }

    private static void report(List<EngineRun> runs, List<STimeRun> stimes) {
        Map<String, STimeRun> byProtocol = new LinkedHashMap<>();
        byProtocol.put("127.88.0", stimes.get(1));
        byProtocol.put("127.88.1", stimes.get(2));
        STimeRun briefed = stimes.get(0);
        System.out.println();
        System.out.println("=== CPU per handshake: engine (capture + parse + names) vs openssl s_time -new ===");
        System.out.printf("%-8s %-8s %-40s %12s %12s %14s %10s %12s%n", "provider", "protocol", "negotiated", "hs/CPU-s",
                "hs/user-s", "openssl c/us", "ratio", "ratio(user)");
        for (EngineRun r : runs) {
            STimeRun ref = byProtocol.get(r.group);
            System.out.printf("%-8s %-8s %-40s %12.0f %12.0f %14.0f %10.2f %12.2f%n", r.provider, r.tlsVersion,
                    r.tlsVersion + " " + r.cipher, r.perCpuSecond(), r.perUserSecond(), ref.perUserSecond,
                    r.perCpuSecond() / ref.perUserSecond, r.perUserSecond() / ref.perUserSecond);
        }
        EngineRun first = runs.get(0);
        System.out.printf("openssl s_time default options: %.0f connections/user-s; ratio of %s %s against it: %.2f%n",
                briefed.perUserSecond, first.provider, first.tlsVersion, first.perCpuSecond() / briefed.perUserSecond);
        System.out.println("ratio = engine handshakes per CPU-second (user+sys of the whole bench JVM) / openssl connections per"
                + " user-second (protocol and cipher matched); goal >= 0.5");
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
