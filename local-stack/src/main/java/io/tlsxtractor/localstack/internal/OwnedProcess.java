package io.tlsxtractor.localstack.internal;

import io.tlsxtractor.localstack.ChildProcesses;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service process this JVM started and owns: stopped by its PID when {@link #close()} is called, and by a JVM
 * shutdown hook until {@link #detach()} lets it outlive this JVM (the developer stack). One place for what every
 * service class of the local stack does the same way.
 */
public final class OwnedProcess {

    private static final Logger LOG = LoggerFactory.getLogger(OwnedProcess.class);

    private final ProcessHandle process;
    private final String name;
    private final Duration stopGrace;
    private Thread stopHook;
    private boolean closed;

    /**
     * @param name how logs and the shutdown hook's thread name the service, e.g. {@code Neo4j}
     * @param stopGrace how long SIGTERM may take before SIGKILL
     */
    public OwnedProcess(ProcessHandle process, String name, Duration stopGrace) {
        this.process = process;
        this.name = name;
        this.stopGrace = stopGrace;
        this.stopHook = ChildProcesses.stopOnExitHook(process, name);
    }

    public ProcessHandle handle() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The process outlives this JVM: no shutdown hook stops it; {@link #close()} still does. */
    public synchronized void detach() {
        ChildProcesses.removeHook(stopHook);
        stopHook = null;
    }

    /** Stops the process by its PID: SIGTERM, then SIGKILL after the grace period. Idempotent. */
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ChildProcesses.removeHook(stopHook);
        if (!ChildProcesses.stop(process, stopGrace)) {
            LOG.error("{} (pid {}) is still running after SIGKILL", name, process.pid());
        } else {
            LOG.info("{} (pid {}) stopped", name, process.pid());
        }
    }
}
