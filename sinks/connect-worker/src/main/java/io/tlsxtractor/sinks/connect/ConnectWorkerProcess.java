package io.tlsxtractor.sinks.connect;

import io.tlsxtractor.localstack.ChildProcesses;
import io.tlsxtractor.sinks.connect.internal.ChildJvm;
import io.tlsxtractor.sinks.connect.internal.ConnectRestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standalone Connect worker in its own JVM ({@link ConnectWorkerMain} on a given class path), so that a test can
 * {@code kill -9} it mid-batch and start it again. Everything goes through the REST API, as for a deployed worker.
 *
 * <p>The connectors created through this object are kept under {@code <dataDir>/connectors/} and created again by
 * {@link #restart()} (standalone workers keep no connector configs themselves); {@link #start} begins with none.
 * A JVM shutdown hook stops the child if the caller forgets to.
 */
public final class ConnectWorkerProcess implements AutoCloseable {

    /** A part of the command line that identifies a worker started by this class. */
    public static final String COMMAND_MARKER = "-Dtlsxtractor.service=connect-worker";
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(120);
    static final String LOG_FILE = "connect-worker.log";
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final int TAIL_LINES = 60;
    private static final Logger LOG = LoggerFactory.getLogger(ConnectWorkerProcess.class);

    private final ConnectWorkerSettings settings;
    private final String classPath;
    private final Duration startTimeout;
    private final Path dataDir;
    private final Path connectorsDir;
    private final Path logFile;
    private ProcessHandle process;
    private URI restUrl;
    private ConnectRestClient rest;
    private Thread stopHook;

    private ConnectWorkerProcess(ConnectWorkerSettings settings, String classPath, Duration startTimeout) {
        this.settings = settings;
        this.classPath = ChildProcesses.absoluteClassPath(classPath);
        this.startTimeout = startTimeout;
        this.dataDir = settings.dataDir().toAbsolutePath();
        this.connectorsDir = dataDir.resolve("connectors");
        this.logFile = dataDir.resolve(LOG_FILE);
    }

    /** Starts a worker with no connectors on this JVM's class path and waits until its REST API answers. */
    public static ConnectWorkerProcess start(ConnectWorkerSettings settings) {
        return start(settings, System.getProperty("java.class.path"), DEFAULT_START_TIMEOUT);
    }

    /** Starts a worker with no connectors on {@code classPath} and waits until its REST API answers. */
    public static ConnectWorkerProcess start(ConnectWorkerSettings settings, String classPath, Duration startTimeout) {
        List<String> problems = settings.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Cannot start the Connect worker: " + String.join("; ", problems));
        }
        ConnectWorkerProcess worker = new ConnectWorkerProcess(settings, classPath, startTimeout);
        try {
            Files.createDirectories(worker.connectorsDir);
            try (Stream<Path> old = Files.list(worker.connectorsDir)) {
                for (Path file : (Iterable<Path>) old::iterator) {
                    Files.delete(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the Connect worker's directory " + worker.dataDir + ": "
                    + e.getMessage(), e);
        }
        worker.launch();
        return worker;
    }

    /**
     * This JVM's class path without some entries, typically a connector module's own {@code target/classes}: the
     * child worker should find that connector only in its plugin directory, as a deployed worker does.
     */
    public static String currentClassPathWithout(Path... excluded) {
        List<Path> skip = Stream.of(excluded).map(p -> p.toAbsolutePath().normalize()).toList();
        List<String> kept = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty() && !skip.contains(Path.of(entry).toAbsolutePath().normalize())) {
                kept.add(entry);
            }
        }
        return String.join(java.io.File.pathSeparator, kept);
    }

    private synchronized void launch() {
        Path workerProperties = dataDir.resolve("worker.properties");
        Path logConfig = dataDir.resolve("connect-log4j2.xml");
        Path readyFile = dataDir.resolve("rest.url");
        List<String> command = new ArrayList<>(List.of(
                ChildJvm.javaBinary().toString(),
                COMMAND_MARKER,
                "-Xmx" + settings.heap(),
                "-XX:+ExitOnOutOfMemoryError",
                "-Dlog4j2.configurationFile=" + logConfig,
                ConnectWorkerMain.class.getName(),
                workerProperties.toString(),
                readyFile.toString()));
        Process child;
        try {
            writeProperties(workerProperties, settings.toWorkerProperties());
            Files.writeString(logConfig, LOG_CONFIG);
            Files.deleteIfExists(readyFile);
            try (Stream<Path> files = Files.list(connectorsDir)) {
                files.filter(f -> f.toString().endsWith(".json")).sorted().forEach(f -> command.add(f.toString()));
            }
            ChildProcesses.rotate(logFile);
            child = ChildProcesses.startLogged(command, Map.of("CLASSPATH", classPath), dataDir, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the Connect worker in " + dataDir + ": " + e.getMessage(), e);
        }
        process = child.toHandle();
        stopHook = new Thread(() -> ChildProcesses.stop(child.toHandle(), Duration.ofSeconds(20)),
                "stop-connect-worker-" + child.pid());
        Runtime.getRuntime().addShutdownHook(stopHook);
        LOG.info("Starting Connect worker (pid {}, log {})", child.pid(), logFile);
        Instant deadline = Instant.now().plus(startTimeout);
        while (true) {
            if (!child.isAlive()) {
                failStart("exited with code " + child.exitValue() + " before its REST API answered");
            }
            if (Files.isRegularFile(readyFile)) {
                try {
                    URI url = URI.create(Files.readString(readyFile).trim());
                    ConnectRestClient client = new ConnectRestClient(url);
                    if (client.answers()) {
                        restUrl = url;
                        rest = client;
                        break;
                    }
                } catch (IOException e) {
                    // Written by a rename, so this is a vanished file after a restart: look again.
                }
            }
            if (Instant.now().isAfter(deadline)) {
                failStart("did not answer on its REST API within " + startTimeout);
            }
            sleep(100);
        }
        LOG.info("Connect worker ready at {} (pid {})", restUrl, child.pid());
    }

    private void failStart(String why) {
        long pid = process.pid();
        stopProcess(false);
        throw new IllegalStateException("The Connect worker (pid " + pid + ", data " + dataDir + ") " + why + "; "
                + logFile + " ends with:" + System.lineSeparator() + ChildProcesses.tail(logFile, TAIL_LINES));
    }

    /** The REST API's base URL of the current run (a port of 0 gives a new one at each start). */
    public synchronized URI restUrl() {
        return restUrl;
    }

    public synchronized long pid() {
        return process.pid();
    }

    public synchronized boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    public ConnectWorkerSettings settings() {
        return settings;
    }

    /** Creates (or replaces) a connector through the REST API; {@link #restart()} creates it again. */
    public void createConnector(String name, Map<String, String> config) {
        createConnector(new ConnectorDefinition(name, config));
    }

    public synchronized void createConnector(ConnectorDefinition connector) {
        try {
            ChildJvm.writeAtomically(connectorFile(connector.name()), connector.toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep connector " + connector.name() + " in " + connectorsDir, e);
        }
        withLog(() -> {
            rest.putConnectorConfig(connector.name(), connector.config());
            return null;
        });
    }

    public synchronized void deleteConnector(String name) {
        withLog(() -> {
            rest.deleteConnector(name);
            return null;
        });
        try {
            Files.deleteIfExists(connectorFile(name));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot forget connector " + name + " in " + connectorsDir, e);
        }
    }

    public ConnectorStatus status(String name) {
        ConnectRestClient client;
        synchronized (this) {
            client = rest;
        }
        return client.status(name);
    }

    /** {@code RUNNING}, {@code FAILED}, ... of the connector itself. */
    public String connectorState(String name) {
        return status(name).state();
    }

    /** The states of the connector's tasks, by task id. */
    public List<String> taskStates(String name) {
        return status(name).taskStates();
    }

    /**
     * Waits until the connector and all its tasks run; fails at once when one of them fails, with its trace and the
     * end of the worker log.
     */
    public ConnectorStatus awaitRunning(String name, Duration timeout) {
        return withLog(() -> ConnectWorker.Polling.awaitRunning(name, timeout, () -> status(name)));
    }

    /**
     * Stops the worker if it still runs (SIGTERM: tasks commit what they have) and starts it again with the same
     * settings and connectors.
     */
    public synchronized void restart() {
        stopProcess(true);
        launch();
    }

    /** {@code kill -9}: the worker gets no chance to commit or flush anything. */
    public synchronized void kill() {
        removeStopHook();
        if (ChildProcesses.kill(process)) {
            LOG.info("Connect worker (pid {}) killed", process.pid());
        } else {
            LOG.error("Connect worker (pid {}) is still running after SIGKILL", process.pid());
        }
    }

    /** SIGTERM by PID (a clean stop), SIGKILL after 30 s. */
    @Override
    public synchronized void close() {
        stopProcess(true);
    }

    private void removeStopHook() {
        if (stopHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(stopHook);
            } catch (IllegalStateException shuttingDown) {
                // The hook runs and stops the process itself.
            }
            stopHook = null;
        }
    }

    private void stopProcess(boolean log) {
        removeStopHook();
        if (ChildProcesses.stop(process, STOP_GRACE)) {
            if (log) {
                LOG.info("Connect worker (pid {}) stopped", process.pid());
            }
        } else {
            LOG.error("Connect worker (pid {}) is still running after SIGKILL", process.pid());
        }
    }

    private Path connectorFile(String name) {
        return connectorsDir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".json");
    }

    private <T> T withLog(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + System.lineSeparator() + logFile + " ends with:"
                    + System.lineSeparator() + ChildProcesses.tail(logFile, TAIL_LINES), e);
        }
    }

    private static void writeProperties(Path file, Map<String, String> values) throws IOException {
        Properties props = new Properties();
        props.putAll(values);
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(writer, "Written by ConnectWorkerProcess; rewritten at each start");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Connect worker", e);
        }
    }

    /** The child logs to stdout, which goes to the log file; client chatter stays at WARN. */
    private static final String LOG_CONFIG = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Configuration status="WARN">
              <Appenders>
                <Console name="out" target="SYSTEM_OUT">
                  <PatternLayout pattern="[%d] %p %m (%c)%n"/>
                </Console>
              </Appenders>
              <Loggers>
                <Logger name="org.apache.kafka.clients" level="WARN"/>
                <Logger name="org.apache.kafka.common" level="WARN"/>
                <Logger name="org.reflections" level="ERROR"/>
                <Root level="INFO">
                  <AppenderRef ref="out"/>
                </Root>
              </Loggers>
            </Configuration>
            """;
}
