package io.tlsxtractor.worker;

import io.tlsxtractor.probe.ProbeSettings;
import io.tlsxtractor.probe.TlsProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one worker until SIGTERM / SIGINT: parses the options, builds the {@link WorkerService},
 * starts it, and on shutdown lets it drain. Wiring only; the {@code tlsxtractor worker} command
 * does the same from the project's configuration model.
 *
 * <pre>
 * java -cp … io.tlsxtractor.worker.WorkerMain --bootstrap-servers 127.0.0.1:9092 --registry-url http://127.0.0.1:8081
 *     [--group tlsx-workers] [--worker-id ID] [--max-in-flight N] [--metrics-port P] [--drain-timeout 30s]
 *     [--poll-timeout 500ms] [--extractors certificate,csp-extractor] [--plugin-dir DIR]...
 *     [--timeout 5s] [--retries 3] [--rate-limit 0] [--tls-provider auto|openssl|jdk] [--io-threads 0]
 *     [--property key=value]...
 * </pre>
 *
 * <p>Exit status: 0 after a clean stop, 1 when the worker failed, 2 for invalid options.
 */
public final class WorkerMain {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerMain.class);

    private WorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        WorkerSettings settings;
        try {
            settings = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("tlsxtractor worker: " + e.getMessage());
            System.exit(2);
            return;
        }
        WorkerService worker = new WorkerService(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(worker::close, "tlsx-worker-shutdown"));
        worker.start();
        while (!worker.awaitStopped(Duration.ofMinutes(1))) {
            LOG.debug("Worker {}: {}", worker.workerId(), worker.stats());
        }
        if (worker.failure() != null) {
            System.exit(1);
        }
    }

    /**
     * The settings the options describe.
     *
     * @throws IllegalArgumentException naming every unknown option, missing value and invalid setting
     */
    public static WorkerSettings parse(String[] args) {
        Map<String, List<String>> opts = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value;
            if (!a.startsWith("--")) {
                problems.add("unexpected argument '" + a + "'");
                continue;
            }
            int eq = a.indexOf('=');
            if (eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                problems.add("option " + a + " needs a value");
                continue;
            }
            opts.computeIfAbsent(a, k -> new ArrayList<>()).add(value);
        }
        List<String> known = List.of("--bootstrap-servers", "--registry-url", "--group", "--worker-id", "--max-in-flight",
                "--metrics-port", "--drain-timeout", "--poll-timeout", "--extractors", "--plugin-dir", "--timeout",
                "--retries", "--rate-limit", "--tls-provider", "--io-threads", "--property");
        for (String k : opts.keySet()) {
            if (!known.contains(k)) {
                problems.add("unknown option " + k + " (known: " + String.join(" ", known) + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        WorkerSettings.Builder b = WorkerSettings.builder(one(opts, "--bootstrap-servers", null),
                one(opts, "--registry-url", null));
        String group = one(opts, "--group", null);
        if (group != null) {
            b.groupId(group);
        }
        b.workerId(one(opts, "--worker-id", null));
        int maxInFlight = integer(opts, "--max-in-flight", WorkerSettings.DEFAULT_MAX_IN_FLIGHT, problems);
        b.maxInFlight(maxInFlight);
        b.metricsPort(integer(opts, "--metrics-port", 0, problems));
        Duration drain = duration(opts, "--drain-timeout", Duration.ofSeconds(30), problems);
        Duration poll = duration(opts, "--poll-timeout", Duration.ofMillis(500), problems);
        b.drainTimeout(drain).pollTimeout(poll);
        String extractors = one(opts, "--extractors", null);
        if (extractors != null) {
            b.extractors(Arrays.stream(extractors.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
        }
        b.pluginDirectories(opts.getOrDefault("--plugin-dir", List.of()).stream().map(Path::of).toList());
        Map<String, String> props = new LinkedHashMap<>();
        for (String p : opts.getOrDefault("--property", List.of())) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                problems.add("--property needs key=value, got '" + p + "'");
            } else {
                props.put(p.substring(0, eq).strip(), p.substring(eq + 1));
            }
        }
        b.clientProperties(props);
        ProbeSettings.Builder probe = ProbeSettings.builder().maxInFlight(Math.max(1, maxInFlight));
        probe.timeout(duration(opts, "--timeout", Duration.ofSeconds(5), problems));
        probe.retries(integer(opts, "--retries", 3, problems));
        String rate = one(opts, "--rate-limit", null);
        if (rate != null) {
            try {
                probe.rateLimit(Double.parseDouble(rate));
            } catch (NumberFormatException e) {
                problems.add("--rate-limit must be a number, got '" + rate + "'");
            }
        }
        String provider = one(opts, "--tls-provider", null);
        if (provider != null) {
            try {
                probe.tlsProvider(TlsProvider.valueOf(provider.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                problems.add("--tls-provider must be auto, openssl or jdk, got '" + provider + "'");
            }
        }
        probe.ioThreads(integer(opts, "--io-threads", 0, problems));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        b.probe(probe.build());
        return b.build();
    }

    private static String one(Map<String, List<String>> opts, String key, String fallback) {
        List<String> v = opts.get(key);
        return v == null || v.isEmpty() ? fallback : v.get(v.size() - 1);
    }

    private static int integer(Map<String, List<String>> opts, String key, int fallback, List<String> problems) {
        String v = one(opts, key, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            problems.add(key + " must be an integer, got '" + v + "'");
            return fallback;
        }
    }

    /** {@code 1500ms}, {@code 30s}, {@code 2m}, or a bare number of milliseconds. */
    static Duration duration(Map<String, List<String>> opts, String key, Duration fallback, List<String> problems) {
        String v = one(opts, key, null);
        if (v == null) {
            return fallback;
        }
        String s = v.strip().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            if (s.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
            }
            if (s.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
            }
            return Duration.ofMillis(Long.parseLong(s));
        } catch (NumberFormatException e) {
            problems.add(key + " must be a duration such as 500ms, 30s or 2m, got '" + v + "'");
            return fallback;
        }
    }
}
