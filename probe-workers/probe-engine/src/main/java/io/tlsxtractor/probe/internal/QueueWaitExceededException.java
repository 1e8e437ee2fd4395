package io.tlsxtractor.probe.internal;

import java.util.concurrent.TimeoutException;

/**
 * An attempt waited longer than the engine's queueing bound for its event loop to issue the
 * connect: the engine is overloaded (far more work than its I/O threads get through), not the
 * host slow. Classified as a connect timeout; the {@code exception} detail tells the two apart.
 */
public final class QueueWaitExceededException extends TimeoutException {
    private static final long serialVersionUID = 1L;

    public QueueWaitExceededException(long waitedMillis, long boundMillis) {
        super("waited " + waitedMillis + " ms for an I/O thread before connecting, more than the queueing bound of "
                + boundMillis + " ms: the probe engine is overloaded");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        // Comes by the thousand when the engine is overloaded; the stack says nothing useful.
        return this;
    }
}
