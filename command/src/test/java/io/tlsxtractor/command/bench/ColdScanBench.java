package io.tlsxtractor.command.bench;

import io.tlsxtractor.probe.ProbeEngine;
import io.tlsxtractor.probe.ProbeSettings;
import io.tlsxtractor.probe.extractors.CertificateNameExtractor;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The pipeline overhead as a user meets it: every measurement is a new process, as every {@code tlsxtractor} run is.
 * Per round, the probe engine alone in a new JVM ({@link EngineScanMain}) and the real command through the launcher
 * ({@code ./tlsxtractor --cidr …}, embedded pipeline, its class-data archives in place) scan the same lab network; the
 * lab runs in a process of its own (the launcher's {@code lab}), warmed first, so that neither side pays for it.
 * Prints, per round and as medians: process start → first probe, the scan (engine: first probe → last result;
 * command: request submitted → last result, from its log's timings line), the command's teardown, whole-process wall
 * times, and the ratios (goal: scan ≤ 1.5x). {@link ScanBench} measures the same in one warm JVM.
 *
 * <p>Arguments: {@code [cidr] [in flight] [data-dir] [rounds]}, default {@code 127.79.0.0/20 500 <tmp> 3}; run from the
 * {@code command} directory (the launcher is {@code ../tlsxtractor}, or {@code -Dtlsxtractor.project.dir}).
 */
public final class ColdScanBench {

    private static final Pattern TIMINGS = Pattern.compile("timings: process start -> first probe sent ([0-9.]+) s, "
            + "run start -> first probe sent [0-9.]+ s, request submitted -> last result ([0-9.]+) s, "
            + "last result -> all stopped ([0-9.]+) s");

    private ColdScanBench() {
    }

    public static void main(String[] args) throws Exception {
        String cidr = args.length > 0 ? args[0] : "127.79.0.0/20";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        Path data = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("tlsx-cold-bench");
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Files.createDirectories(data);
        Path project = Path.of(System.getProperty("tlsxtractor.project.dir", "..")).toAbsolutePath().normalize();
        Path launcher = project.resolve("tlsxtractor");
        int port = 18444;
        List<InetAddress> hosts = ScanBench.hosts(cidr);
        System.out.printf("Cold scan bench: %s (%d hosts) on port %d, %d in flight, data %s, load average %s%n", cidr,
                hosts.size(), port, threads, data, ScanBench.loadAverage());
        Process lab = start(List.of(launcher.toString(), "lab", "--range", cidr, "--port", Integer.toString(port)),
                data.resolve("lab.log"), data);
        try {
            awaitLine(lab, data.resolve("lab.log"), "Running until Ctrl-C", Duration.ofMinutes(3));
            ProbeSettings settings = ProbeSettings.builder().maxInFlight(threads).timeout(Duration.ofSeconds(5))
                    .retries(3).build();
            try (ProbeEngine engine = new ProbeEngine(settings, List.of(new CertificateNameExtractor()))) {
                System.out.printf("warm-up (the lab process issues every certificate): %.2f s%n",
                        ScanBench.engineScan(engine, hosts, port));
            }
            // The first scan of a data directory formats it and writes the command's and the broker's class-data
            // archives; every later scan is what a user meets from then on.
            Run prime = command(launcher, cidr, port, threads, data, 0);
            System.out.printf("first command run (formats %s, writes the class-data archives): %.2f s%n", data,
                    prime.wall);
            List<Double> scanRatios = new ArrayList<>();
            List<Double> wallRatios = new ArrayList<>();
            List<Double> startups = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                settle(lab);
                Run engine = engine(cidr, port, threads, data, round);
                settle(lab);
                Run command = command(launcher, cidr, port, threads, data, round);
                System.out.printf(Locale.ROOT, "round %d:%n  engine alone:  process start -> first probe %.2f s, scan %.2f s,"
                        + " process %.2f s (%s)%n", round, engine.toFirstProbe, engine.scan, engine.wall, engine.note);
                System.out.printf(Locale.ROOT, "  the command:   process start -> first probe %.2f s (goal <= 5 s), scan %.2f s,"
                        + " last result -> stopped %.2f s (goal <= 2 s), process %.2f s%n", command.toFirstProbe,
                        command.scan, command.teardown, command.wall);
                System.out.printf(Locale.ROOT, "  command / engine: scan %.2fx (goal <= 1.5x), process %.2fx%n",
                        command.scan / engine.scan, command.wall / engine.wall);
                scanRatios.add(command.scan / engine.scan);
                wallRatios.add(command.wall / engine.wall);
                startups.add(command.toFirstProbe);
            }
            System.out.printf(Locale.ROOT, "medians over %d rounds: scan %.2fx (goal <= 1.5x), process %.2fx, command start-up"
                    + " %.2f s (goal <= 5 s)%n", rounds, median(scanRatios), median(wallRatios), median(startups));
        } finally {
            lab.destroy();
            if (!lab.waitFor(15, TimeUnit.SECONDS)) {
                lab.destroyForcibly();
            }
        }
        System.out.printf("load average after: %s%n", ScanBench.loadAverage());
    }

    /** One measured process. */
    private record Run(double toFirstProbe, double scan, double teardown, double wall, String note) {
    }

    private static Run engine(String cidr, int port, int threads, Path data, int round) throws Exception {
        Path log = data.resolve("engine-" + round + ".log");
        String javaBinary = ProcessHandle.current().info().command().orElse("java");
        long start = System.nanoTime();
        // Absolute entries: the child runs in the data directory.
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(javaBinary, "-Xlog:disable", "-Xlog:all=warning:stderr"));
        // The JVM options the launcher gives a scan: both sides run on the same JVM (its collector and its C1-only
        // compilation unless TLSXTRACTOR_JAVA_OPTS names others, then those options).
        String options = System.getenv().getOrDefault("TLSXTRACTOR_JAVA_OPTS", "").strip();
        if (!options.contains("GC")) {
            command.add("-XX:+UseParallelGC");
        }
        if (!options.contains("Tiered")) {
            command.add("-XX:TieredStopAtLevel=1");
        }
        if (!options.isEmpty()) {
            command.addAll(List.of(options.split("\\s+")));
        }
        command.addAll(List.of("-cp", classPath, EngineScanMain.class.getName(), cidr, Integer.toString(port),
                Integer.toString(threads)));
        Process p = start(command, log, data);
        awaitExit(p, log);
        double wall = (System.nanoTime() - start) / 1e9;
        String line = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("ENGINE "))
                .findFirst().orElseThrow(() -> new IllegalStateException("no ENGINE line in " + log));
        String[] f = line.split(" ");
        return new Run(Double.parseDouble(f[1]), Double.parseDouble(f[2]), 0, wall,
                f[3] + " succeeded, " + f[4] + " s CPU");
    }

    private static Run command(Path launcher, String cidr, int port, int threads, Path data, int round)
            throws Exception {
        Path log = data.resolve("command-" + round + ".log");
        Path out = data.resolve("command-" + round + ".out");
        Files.deleteIfExists(log);
        long start = System.nanoTime();
        Process p = start(List.of(launcher.toString(), "--cidr", cidr, "--port", Integer.toString(port),
                "--allow-private", "--threads", Integer.toString(threads), "-q", "-o",
                data.resolve("command.json").toString(), "--log-file", log.toString()), out, data);
        awaitExit(p, out);
        double wall = (System.nanoTime() - start) / 1e9;
        String text = Files.readString(log, StandardCharsets.UTF_8);
        Matcher m = TIMINGS.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no timings line in " + log);
        }
        return new Run(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                wall, "");
    }

    private static Process start(List<String> command, Path output, Path dir) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("TLSXTRACTOR_LOCAL_DATA_DIR", dir.resolve("local").toString());
        return builder.start();
    }

    private static void awaitExit(Process p, Path output) throws Exception {
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("pid " + p.pid() + " did not finish within 10 minutes; see " + output);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("pid " + p.pid() + " exited with " + p.exitValue() + ":\n"
                    + Files.readString(output, StandardCharsets.UTF_8));
        }
    }

    private static void awaitLine(Process p, Path output, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(output) && Files.readString(output, StandardCharsets.UTF_8).contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("pid " + p.pid() + " exited with " + p.exitValue() + ":\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no '" + text + "' in " + output + " within " + timeout);
    }

    /**
     * Waits (up to 20 s) until the lab's JVM is quiet: after a scan it goes on compiling for a while, and that CPU would
     * be taken from the next measured process's start-up. Real servers are not on the scanning machine.
     */
    private static void settle(Process lab) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        double before = cpuSeconds(lab);
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000);
            double now = cpuSeconds(lab);
            if (now - before < 0.03) {
                return;
            }
            before = now;
        }
    }

    private static double cpuSeconds(Process process) {
        return process.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
