package io.tlsxtractor.sinks.connect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.utils.internals.Exit;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.errors.NotFoundException;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.TargetState;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.util.FutureCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standalone Kafka Connect worker in this JVM: the same start-up as Connect's {@code connect-standalone} (plugin
 * scan, REST API, herder), with connectors created from {@link ConnectorDefinition}s and the calls a program needs.
 * A JVM shutdown hook (Connect's own) stops it on Ctrl-C.
 *
 * <p>Standalone mode keeps no connector configs across restarts: whoever starts the worker creates its connectors.
 * Sink tasks commit their progress to their consumer group, so a new worker resumes where the last one committed.
 */
public final class ConnectWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectWorker.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private final Connect<StandaloneHerder> connect;
    private boolean closed;

    private ConnectWorker(Connect<StandaloneHerder> connect) {
        this.connect = connect;
    }

    /** Starts a worker with these settings and no connectors. */
    public static ConnectWorker start(ConnectWorkerSettings settings) {
        return start(settings, List.of());
    }

    /** Starts a worker, creates {@code connectors}, and returns once the worker is ready (REST included). */
    public static ConnectWorker start(ConnectWorkerSettings settings, List<ConnectorDefinition> connectors) {
        List<String> problems = settings.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Cannot start the Connect worker: " + String.join("; ", problems));
        }
        try {
            Files.createDirectories(settings.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the Connect worker's data directory " + settings.dataDir()
                    + ": " + e.getMessage(), e);
        }
        return start(settings.toWorkerProperties(), connectors);
    }

    /** Starts a worker from raw standalone worker properties (what {@code connect-standalone.properties} holds). */
    public static ConnectWorker start(Map<String, String> workerProperties, List<ConnectorDefinition> connectors) {
        Connect<StandaloneHerder> connect = startConnect(workerProperties);
        ConnectWorker worker = new ConnectWorker(connect);
        try {
            for (ConnectorDefinition connector : connectors) {
                worker.createConnector(connector);
            }
        } catch (RuntimeException e) {
            worker.close();
            throw e;
        }
        // Standalone health checks answer 503 until this is called: the worker is now what was asked for.
        connect.herder().ready();
        LOG.info("Connect worker ready at {} with connectors {}", worker.restUrl(), worker.connectors());
        return worker;
    }

    private static Connect<StandaloneHerder> startConnect(Map<String, String> workerProperties) {
        // Connect's start-up calls Exit.exit when the herder cannot start; inside a program that would end the whole
        // JVM without a word to the caller, so the exit becomes an exception for the time of the start.
        Exit.setExitProcedure((code, message) -> {
            throw new IllegalStateException("The Connect worker failed to start (exit code " + code
                    + (message == null ? "" : ", " + message) + "); see the worker log above");
        });
        try {
            return new ConnectStandalone().startConnect(workerProperties);
        } catch (org.apache.kafka.common.config.ConfigException e) {
            throw new IllegalArgumentException("Invalid Connect worker configuration: " + e.getMessage(), e);
        } finally {
            Exit.resetExitProcedure();
        }
    }

    /** The REST API's base URL, e.g. {@code http://127.0.0.1:41234/}. */
    public URI restUrl() {
        return connect.rest().advertisedUrl();
    }

    /** Creates (or replaces) a connector and waits until the worker has accepted its configuration. */
    public void createConnector(ConnectorDefinition connector) {
        FutureCallback<Herder.Created<ConnectorInfo>> done = new FutureCallback<>();
        connect.herder().putConnectorConfig(connector.name(), connector.config(), TargetState.STARTED, true, done);
        Herder.Created<ConnectorInfo> created = await(done, "create connector " + connector.name());
        LOG.info("Connector {} {} ({} tasks)", connector.name(), created.created() ? "created" : "updated",
                created.result().tasks().size());
    }

    public void createConnector(String name, Map<String, String> config) {
        createConnector(new ConnectorDefinition(name, config));
    }

    /** Deletes a connector; its consumer group (and so its committed offsets) stays in Kafka. */
    public void deleteConnector(String name) {
        FutureCallback<Herder.Created<ConnectorInfo>> done = new FutureCallback<>();
        connect.herder().deleteConnectorConfig(name, done);
        await(done, "delete connector " + name);
        LOG.info("Connector {} deleted", name);
    }

    public Collection<String> connectors() {
        FutureCallback<Collection<String>> done = new FutureCallback<>();
        connect.herder().connectors(done);
        return await(done, "list connectors");
    }

    /** The connector's and its tasks' states; fails when the worker has no such connector. */
    public ConnectorStatus status(String name) {
        ConnectorStateInfo info;
        try {
            info = connect.herder().connectorStatus(name);
        } catch (NotFoundException e) {
            throw new IllegalArgumentException("The Connect worker has no connector " + name, e);
        }
        List<ConnectorStatus.TaskStatus> tasks = new ArrayList<>();
        for (ConnectorStateInfo.TaskState task : info.tasks()) {
            tasks.add(new ConnectorStatus.TaskStatus(task.id(), task.state(), task.trace()));
        }
        return new ConnectorStatus(name, info.connector().state(), info.connector().trace(), tasks);
    }

    /**
     * Waits until the connector and all its tasks run; fails at once with the trace when one of them fails, or with
     * the last status seen at the deadline.
     */
    public ConnectorStatus awaitRunning(String name, Duration timeout) {
        return Polling.awaitRunning(name, timeout, () -> status(name));
    }

    /** Blocks until the worker stops (Ctrl-C, or {@link #close()} from another thread). */
    public void awaitStop() {
        connect.awaitStop();
    }

    /** Stops the connectors (tasks commit their offsets) and the worker. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        connect.stop();
        connect.awaitStop();
        LOG.info("Connect worker stopped");
    }

    private static <T> T await(FutureCallback<T> future, String what) {
        try {
            return future.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("Connect worker: cannot " + what + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Connect worker: " + what + " did not finish within " + CALL_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Connect worker: interrupted while waiting to " + what, e);
        }
    }

    /** Status polling shared by the in-process worker and the child process. */
    static final class Polling {
        private Polling() {
        }

        interface StatusSource {
            ConnectorStatus get();
        }

        static ConnectorStatus awaitRunning(String name, Duration timeout, StatusSource source) {
            Instant deadline = Instant.now().plus(timeout);
            ConnectorStatus last = null;
            RuntimeException lastError = null;
            while (true) {
                try {
                    last = source.get();
                    lastError = null;
                    String failure = last.failure();
                    if (failure != null) {
                        throw new IllegalStateException("Connector " + name + " failed: " + failure);
                    }
                    if (last.running()) {
                        return last;
                    }
                } catch (IllegalArgumentException e) {
                    // Not known yet (a restarted worker re-creates its connectors): keep waiting until the deadline.
                    lastError = e;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Connector " + name + " was not RUNNING within " + timeout
                            + "; last status: " + (last == null ? lastError.getMessage() : last));
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for connector " + name, e);
                }
            }
        }
    }
}
