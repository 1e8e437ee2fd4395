package io.tlsxtractor.command.scan;

import io.tlsxtractor.localstack.BrokerSettings;
import io.tlsxtractor.localstack.KafkaBrokerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step of an {@link EmbeddedPipeline}: this command's lock on the embedded data directory, and the broker's
 * JVM launched on a port chosen up front (so that clients can be built before it serves). The broker then needs
 * seconds to serve; {@link #await()} waits for that.
 *
 * <p>A step of its own so that the command can take it before anything else ({@link BrokerHeadStart}): nothing here
 * initialises logging or reads the configuration, so the broker's JVM starts while the command's own JVM is still
 * setting up (logging, the command line, the configuration: about a second).
 */
final class BrokerLaunch implements AutoCloseable {

    private static final String BROKER_PID_FILE = "tlsxtractor-broker.pid";
    private static final Duration PREVIOUS_BROKER_WAIT = Duration.ofSeconds(30);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final String heap;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final KafkaBrokerProcess broker;
    private boolean handedOver;

    private BrokerLaunch(Path dir, String heap, FileChannel lockChannel, FileLock lock, KafkaBrokerProcess broker) {
        this.dir = dir;
        this.heap = heap;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.broker = broker;
    }

    /**
     * Locks {@code dir} (the embedded directory, {@code local.data_dir/embedded}) for this command, waits for the
     * previous run's broker to be gone, and launches the broker with heap {@code heap}; returns without waiting for it
     * to serve.
     *
     * @throws IllegalStateException when another command holds the directory
     */
    static BrokerLaunch begin(Path dir, String heap) {
        FileChannel channel = null;
        FileLock lock = null;
        boolean ok = false;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve("command.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IllegalStateException("another tlsxtractor scan is using the embedded broker in " + dir
                        + "; wait for it to finish, or give it another local.data_dir (TLSXTRACTOR_LOCAL_DATA_DIR)");
            }
            awaitPreviousBroker(dir);
            KafkaBrokerProcess broker = KafkaBrokerProcess.launch(
                    new BrokerSettings(dir, brokerPort(dir), 0, heap, START_TIMEOUT));
            ok = true;
            return new BrokerLaunch(dir, heap, channel, lock, broker);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the embedded broker's directory " + dir + ": " + e.getMessage(), e);
        } finally {
            if (!ok) {
                releaseLock(lock, channel);
            }
        }
    }

    /** Whether this launch is the one a pipeline on {@code dir} with broker heap {@code heap} would make. */
    boolean matches(Path dir, String heap) {
        return this.dir.equals(dir) && this.heap.equals(heap);
    }

    Path dir() {
        return dir;
    }

    /** The broker's PID, known from its launch on. */
    long pid() {
        return broker.pid();
    }

    /** {@code 127.0.0.1:<port>}, known before the broker serves. */
    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Waits until the broker serves clients (or failed to: its exception, with the end of its log). */
    KafkaBrokerProcess await() {
        broker.awaitReady();
        try {
            Files.writeString(dir.resolve(BROKER_PID_FILE), Long.toString(broker.pid()));
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the broker's pid file in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The pipeline that started on this launch releases the lock itself, when it closes ({@link #releaseLock()}). */
    void handOver() {
        handedOver = true;
    }

    void releaseLock() {
        releaseLock(lock, lockChannel);
    }

    /**
     * Gives the launch up before a pipeline took it over: stops the broker by its PID, wherever its start is, and
     * releases the lock.
     */
    @Override
    public void close() {
        if (handedOver) {
            return;
        }
        handedOver = true;
        try {
            broker.close();
        } finally {
            releaseLock();
        }
    }

    /**
     * Waits until the broker of the previous run on {@code dir} is gone: a pipeline's close does not wait for its
     * clean shutdown, and a new broker could not lock the data directory while the old one still holds it. Killed
     * when it takes longer than {@link #PREVIOUS_BROKER_WAIT}.
     */
    static void awaitPreviousBroker(Path dir) {
        Path pidFile = dir.resolve(BROKER_PID_FILE);
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        Optional<ProcessHandle> previous;
        try {
            previous = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()));
        } catch (IOException | NumberFormatException e) {
            return;
        }
        // The PID may have been reused since: only a broker started by this code is waited for.
        Optional<ProcessHandle> broker = previous.filter(ProcessHandle::isAlive).filter(h -> h.info().commandLine()
                .map(c -> c.contains(KafkaBrokerProcess.COMMAND_MARKER)).orElse(false));
        if (broker.isEmpty()) {
            return;
        }
        ProcessHandle h = broker.get();
        Log.LOG.info("Waiting for the previous embedded broker (pid {}) to finish stopping", h.pid());
        h.destroy();
        if (awaitExit(h, PREVIOUS_BROKER_WAIT) || Thread.currentThread().isInterrupted()) {
            return;
        }
        Log.LOG.warn("The previous embedded broker (pid {}) did not stop within {}: killing it", h.pid(),
                PREVIOUS_BROKER_WAIT);
        h.destroyForcibly();
        if (!awaitExit(h, Duration.ofSeconds(10)) && !Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException("the previous embedded broker (pid " + h.pid() + ") in " + dir
                    + " does not stop; stop it and try again");
        }
    }

    /** Whether {@code h} exited within {@code timeout} (false also when this thread is interrupted meanwhile). */
    static boolean awaitExit(ProcessHandle h, Duration timeout) {
        try {
            h.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return !h.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The port the broker of {@code dir} had last time if it is free now, else a free one. */
    static int brokerPort(Path dir) {
        Path state = dir.resolve("tlsxtractor-broker.properties");
        if (Files.isRegularFile(state)) {
            Properties p = new Properties();
            try (var in = Files.newInputStream(state)) {
                p.load(in);
                int recorded = Integer.parseInt(p.getProperty("port", "0"));
                if (recorded > 0 && isFree(recorded)) {
                    return recorded;
                }
            } catch (IOException | NumberFormatException e) {
                Log.LOG.debug("Ignoring the broker state in {}: {}", state, e.toString());
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1 for the embedded broker: " + e.getMessage(), e);
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void releaseLock(FileLock lock, FileChannel channel) {
        try {
            if (lock != null) {
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            Log.LOG.debug("Releasing the embedded directory lock: {}", e.toString());
        }
    }

    /**
     * The logger, set up on first use only: setting logging up takes the command's JVM about half a second, which a
     * launch made first thing ({@link BrokerHeadStart}) must not wait for.
     */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(BrokerLaunch.class);
    }
}
