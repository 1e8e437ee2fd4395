package io.tlsxtractor.command.scan;

import io.tlsxtractor.config.ConfigKey;
import io.tlsxtractor.config.ConfigKeys;
import io.tlsxtractor.config.ConfigLoader;
import io.tlsxtractor.localstack.KafkaBrokerProcess;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launches the embedded broker as the command's very first act, when the arguments and the environment say that this
 * run is a scan on the embedded pipeline. The broker's JVM needs about three seconds of CPU before it serves; the
 * command's own JVM spends about one second setting up (logging, the command line, the configuration, the scan plan)
 * before it would otherwise launch it. Launched here, the two overlap, and the scan's first probe goes out sooner.
 *
 * <p>The guess is cheap and conservative: a scan input flag, no {@code --config}, {@code --bootstrap-servers},
 * {@code --help} or {@code --version}, no configuration file or cluster in the environment, and a class-data archive
 * for the broker already written by an earlier scan (a broker stopped during its start would write a poor one). The
 * data directory and heap come from the environment or the defaults, as the configuration would give them. The
 * pipeline {@link #claim claims} the launch only if its configuration names the same directory and heap; a launch
 * nobody claims (a bad flag, a plan that fails) is stopped by {@link #discardUnclaimed}, which {@code Main} calls
 * before the JVM exits.
 */
public final class BrokerHeadStart {

    private static final Set<String> SCAN_INPUTS = Set.of("--cidr", "-f", "--file", "-u", "--url", "--resume");
    /** Flags after which the run is not an embedded scan, or its broker settings may differ from the defaults. */
    private static final Set<String> NOT_AN_EMBEDDED_SCAN = Set.of("-h", "--help", "--version", "--config",
            "--bootstrap-servers");

    private static CompletableFuture<BrokerLaunch> pending;

    private BrokerHeadStart() {
    }

    /**
     * Where the broker of this run would live: the embedded directory ({@code local.data_dir/embedded}) and its heap.
     */
    record Plan(Path embeddedDir, String heap) {
    }

    /**
     * Launches the broker in the background when {@link #plan} says this run is an embedded scan; returns at once.
     * Never fails: whatever goes wrong here, the pipeline launches the broker itself later and reports it.
     */
    public static synchronized void begin(String[] args, Map<String, String> environment) {
        Optional<Plan> plan = plan(List.of(args), environment);
        if (plan.isEmpty() || !KafkaBrokerProcess.hasClassArchive(plan.get().embeddedDir())) {
            return;
        }
        Plan p = plan.get();
        // A thread of its own: the previous run's broker may still be stopping, and the launch waits for it.
        pending = CompletableFuture.supplyAsync(() -> BrokerLaunch.begin(p.embeddedDir(), p.heap()), runnable -> {
            Thread t = new Thread(runnable, "tlsx-broker-head-start");
            t.setDaemon(true);
            t.start();
        });
    }

    /**
     * The run's broker settings when the arguments and environment make it a scan on the embedded pipeline with
     * settings known before the configuration is read; empty otherwise.
     */
    static Optional<Plan> plan(List<String> args, Map<String, String> environment) {
        // The scan is the top-level command: a subcommand (topics, lab, worker...) comes first as a word.
        if (args.isEmpty() || !args.get(0).startsWith("-")) {
            return Optional.empty();
        }
        boolean scan = false;
        for (String arg : args) {
            String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (NOT_AN_EMBEDDED_SCAN.contains(flag)) {
                return Optional.empty();
            }
            scan |= SCAN_INPUTS.contains(flag);
        }
        if (!scan || isSet(environment, ConfigLoader.CONFIG_FILE_VARIABLE)
                || isSet(environment, key("kafka.bootstrap_servers").envVariable())) {
            return Optional.empty();
        }
        String dataDir = valueOf(key("local.data_dir"), environment);
        String heap = valueOf(key("local.broker_heap"), environment);
        try {
            return Optional.of(new Plan(homeExpanded(dataDir).resolve("embedded").toAbsolutePath().normalize(), heap));
        } catch (InvalidPathException e) {
            return Optional.empty(); // the configuration reports it
        }
    }

    /**
     * The launch made for this run if it is the one a pipeline on {@code embeddedDir} with {@code heap} needs; a launch
     * for other settings is stopped. Empty when there was none, or it failed (the caller launches and reports then).
     */
    static synchronized Optional<BrokerLaunch> claim(Path embeddedDir, String heap) {
        BrokerLaunch launch = take();
        if (launch == null) {
            return Optional.empty();
        }
        if (!launch.matches(embeddedDir, heap)) {
            Log.LOG.info("The broker launched at start (for {}) does not match the configuration ({}, heap {}): "
                    + "stopping it", launch.dir(), embeddedDir, heap);
            launch.close();
            return Optional.empty();
        }
        Log.LOG.info("Embedded broker (pid {}) launched at the command's start, before its set-up", launch.pid());
        return Optional.of(launch);
    }

    /** Stops a launch that no pipeline claimed (the run ended before its scan started). */
    public static synchronized void discardUnclaimed() {
        BrokerLaunch launch = take();
        if (launch != null) {
            launch.close();
        }
    }

    private static BrokerLaunch take() {
        CompletableFuture<BrokerLaunch> launching = pending;
        pending = null;
        if (launching == null) {
            return null;
        }
        try {
            return launching.join();
        } catch (RuntimeException e) {
            Log.LOG.debug("The broker launch at start failed; the pipeline launches it: {}", e.toString());
            return null;
        }
    }

    private static ConfigKey key(String path) {
        return ConfigKeys.find(path).orElseThrow(() -> new IllegalStateException("no configuration key " + path));
    }

    private static String valueOf(ConfigKey key, Map<String, String> environment) {
        return isSet(environment, key.envVariable()) ? environment.get(key.envVariable()).strip()
                : String.valueOf(key.defaultValue());
    }

    private static boolean isSet(Map<String, String> environment, String variable) {
        String value = environment.get(variable);
        return value != null && !value.isBlank();
    }

    /** {@code ~} and {@code ~/…} as the configuration reads a path. */
    private static Path homeExpanded(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + path.substring(1));
        }
        return Path.of(path);
    }

    /** Set up on first use: the launch must not wait for logging's set-up (about half a second). */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(BrokerHeadStart.class);
    }
}
