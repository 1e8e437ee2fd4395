package io.tlsxtractor.localstack;

import io.tlsxtractor.localstack.internal.JavaRuntimes;
import io.tlsxtractor.localstack.internal.KafkaNode;
import io.tlsxtractor.localstack.internal.KafkaProbe;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft broker in its own JVM, the way user-facing runs start it: a fatal broker
 * fault halts only that JVM. The child runs {@link KafkaBrokerMain} on this JVM's class path.
 *
 * <p>A JVM shutdown hook stops the broker unless {@link #detach()} was called.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    /** A part of the command line that identifies a broker started by this class. */
    public static final String COMMAND_MARKER = "-Dtlsxtractor.service=kafka-broker";
    static final String LOG_FILE = "broker.log";
    static final String LOG_CONFIG_FILE = "broker-log4j2.xml";
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Process child;
    private final ProcessHandle process;
    private final KafkaNode.Layout layout;
    private final Path logFile;
    private final boolean writesClassArchive;
    private final Duration startTimeout;
    private Thread stopHook;
    private boolean closed;

    private KafkaBrokerProcess(Process child, KafkaNode.Layout layout, Path logFile, boolean writesClassArchive,
            Duration startTimeout) {
        this.child = child;
        this.process = child.toHandle();
        this.startTimeout = startTimeout;
        this.layout = layout;
        this.logFile = logFile;
        this.writesClassArchive = writesClassArchive;
    }

    /**
     * Starts the broker and returns once it serves clients. Fails within the start timeout, with the
     * end of the broker log in the message, when it cannot start.
     */
    public static KafkaBrokerProcess start(BrokerSettings settings) {
        KafkaBrokerProcess broker = launch(settings);
        broker.awaitReady();
        return broker;
    }

    /**
     * Launches the broker's JVM and returns at once, before it serves: {@link #awaitReady()} waits for that, and
     * {@link #close()} stops it at any point. For a caller with other work to do while the broker starts.
     */
    public static KafkaBrokerProcess launch(BrokerSettings settings) {
        KafkaNode.Layout layout = KafkaNode.prepare(settings.dataDir(), settings.port(), settings.controllerPort());
        Path dataDir = layout.dataDir();
        Path logFile = dataDir.resolve(LOG_FILE);
        Path logConfig = dataDir.resolve(LOG_CONFIG_FILE);
        String classPath = ownBrokerClassPath();
        String archiveOption = classDataArchiveOption(dataDir, classPath);
        List<String> command = new ArrayList<>(List.of(
                JavaRuntimes.currentJavaBinary().toString(),
                COMMAND_MARKER,
                "-Xmx" + settings.heap(),
                "-XX:+ExitOnOutOfMemoryError",
                // A scan waits for this JVM to serve clients: start-up is the cost that matters, not peak throughput
                // (a local broker moves a few MB/s). C1 only and the serial collector start markedly faster on 2 cores,
                // and the class-data archive (written when a broker of this class path first exits, read by the
                // next ones) saves most of the class loading.
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                archiveOption,
                // The archive's own messages (hundreds of "not supported by CDS" lines as it is written) would bury
                // the end of the broker log, which is what a start failure reports.
                "-Xlog:disable",
                "-Xlog:all=warning,cds*=off:stderr",
                "-Dlog4j2.configurationFile=" + logConfig,
                KafkaBrokerMain.class.getName(),
                layout.serverProperties().toString()));
        // The class path goes through the environment: as an argument it can exceed the OS limit for
        // one argument, and it would bury the command line that identifies the process.
        Map<String, String> environment = Map.of("CLASSPATH", classPath);
        Process child;
        try {
            Files.writeString(logConfig, LOG_CONFIG);
            ChildProcesses.rotate(logFile);
            child = ChildProcesses.startLogged(command, environment, dataDir, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the Kafka broker for " + dataDir + ": " + e.getMessage(), e);
        }
        KafkaBrokerProcess broker = new KafkaBrokerProcess(child, layout, logFile,
                archiveOption.startsWith("-XX:ArchiveClassesAtExit="), settings.startTimeout());
        broker.stopHook = ChildProcesses.stopOnExitHook(broker.process, "kafka-broker");
        Log.LOG.info("Starting Kafka broker (pid {}) on {} (data {}, log {})", child.pid(), layout.bootstrapServers(),
                dataDir, logFile);
        return broker;
    }

    /**
     * Waits until the broker {@link #launch launched} serves clients. Fails within the start timeout, with the end of
     * the broker log in the message, when it cannot start; the broker is stopped then.
     */
    public void awaitReady() {
        boolean ready;
        try {
            ready = KafkaProbe.awaitReady(layout.port(), Instant.now().plus(startTimeout), process::isAlive);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ready = false;
        }
        if (!ready) {
            String why = child.isAlive()
                    ? "did not serve clients within " + startTimeout
                    : "exited with code " + child.exitValue() + " before serving clients";
            close();
            throw new IllegalStateException("The Kafka broker (pid " + process.pid() + ", " + layout.bootstrapServers()
                    + ", data " + layout.dataDir() + ") " + why + "; " + logFile + " ends with:" + System.lineSeparator()
                    + ChildProcesses.tail(logFile, 40));
        }
        Log.LOG.info("Kafka broker ready on {} (pid {})", layout.bootstrapServers(), process.pid());
    }

    /**
     * Whether a broker launched from this JVM on {@code dataDir} would read a class-data archive written by an earlier
     * one (rather than write it as it exits, which a broker stopped during its start would do with half the classes).
     */
    public static boolean hasClassArchive(Path dataDir) {
        return classDataArchiveOption(dataDir.toAbsolutePath().normalize(), ownBrokerClassPath())
                .startsWith("-XX:SharedArchiveFile=");
    }

    /** The class path of a broker launched from this JVM ({@link #brokerClassPath} of this JVM's). */
    private static String ownBrokerClassPath() {
        return brokerClassPath(ChildProcesses.absoluteClassPath(System.getProperty("java.class.path")),
                codeSource(KafkaBrokerMain.class));
    }

    /**
     * The broker JVM's class path: this JVM's, without the class directories other than the one holding
     * {@link KafkaBrokerMain}. The broker needs only this module and the Kafka jars; other modules' class directories
     * (a test or IDE run of the command) are useless to it, and a class-data archive refuses a class path with a
     * non-empty directory, which would leave such runs without the archive's start-up saving.
     */
    static String brokerClassPath(String classPath, Path ownCodeSource) {
        List<String> kept = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (!Files.isDirectory(path) || (ownCodeSource != null && path.equals(ownCodeSource))) {
                kept.add(entry);
            }
        }
        return String.join(File.pathSeparator, kept);
    }

    /** The jar or directory a class was loaded from, or null when the JVM does not say. */
    private static Path codeSource(Class<?> type) {
        try {
            var source = type.getProtectionDomain().getCodeSource();
            return source == null ? null : Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
        } catch (java.net.URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Reads the dynamic class-data archive of this class path when one exists, else asks the JVM to write it at exit.
     * The archive's name carries a digest of the Java version and of every class path entry's path, size and time, so a
     * rebuilt jar or another JDK gets a fresh archive instead of one the JVM would reject.
     */
    static String classDataArchiveOption(Path dataDir, String classPath) {
        StringBuilder identity = new StringBuilder(System.getProperty("java.vm.version", "")).append('\n');
        for (String entry : classPath.split(File.pathSeparator)) {
            Path path = Path.of(entry);
            identity.append(entry).append('\n');
            try {
                if (Files.isRegularFile(path)) {
                    identity.append(Files.size(path)).append(' ').append(Files.getLastModifiedTime(path).toMillis());
                }
            } catch (IOException e) {
                identity.append("unreadable");
            }
            identity.append('\n');
        }
        Path archive = dataDir.resolve("broker-classes-" + Integer.toHexString(identity.toString().hashCode()) + ".jsa");
        return Files.isRegularFile(archive) ? "-XX:SharedArchiveFile=" + archive : "-XX:ArchiveClassesAtExit=" + archive;
    }


    /**
     * Whether this broker writes the class-data archive of its class path when it exits (the first broker of a class
     * path in a data directory): its exit then takes seconds longer, and whoever deletes the directory must wait for it.
     */
    public boolean writesClassArchiveAtExit() {
        return writesClassArchive;
    }

    /** {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return layout.bootstrapServers();
    }

    public int port() {
        return layout.port();
    }

    public long pid() {
        return process.pid();
    }

    /** The cluster id of the formatted data directory: the same on every start of that directory. */
    public String clusterId() {
        return layout.clusterId();
    }

    public Path dataDir() {
        return layout.dataDir();
    }

    public Path logFile() {
        return logFile;
    }

    /** Lets the broker outlive this JVM: {@link #close()} still stops it when called. */
    public synchronized KafkaBrokerProcess detach() {
        ChildProcesses.removeHook(stopHook);
        stopHook = null;
        return this;
    }

    /** Stops the broker by its PID: SIGTERM (a clean shutdown), then SIGKILL after 30 s. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ChildProcesses.removeHook(stopHook);
        if (ChildProcesses.stop(process, STOP_GRACE)) {
            Log.LOG.info("Kafka broker (pid {}) stopped", process.pid());
        } else {
            Log.LOG.error("Kafka broker (pid {}) is still running after SIGKILL", process.pid());
        }
    }

    /** The child logs to stdout, which goes to {@value #LOG_FILE}; request logs stay quiet. */
    private static final String LOG_CONFIG = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Configuration status="WARN">
              <Appenders>
                <Console name="out" target="SYSTEM_OUT">
                  <PatternLayout pattern="[%d] %p %m (%c)%n"/>
                </Console>
              </Appenders>
              <Loggers>
                <Logger name="kafka.request.logger" level="WARN"/>
                <Logger name="org.apache.kafka.clients" level="WARN"/>
                <Root level="INFO">
                  <AppenderRef ref="out"/>
                </Root>
              </Loggers>
            </Configuration>
            """;

    /**
     * The logger, set up on first use: a command that launches the broker first thing ({@link #launch}) would otherwise
     * wait for its logging's set-up (about half a second) before the broker's JVM even starts.
     */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerProcess.class);
    }
}
