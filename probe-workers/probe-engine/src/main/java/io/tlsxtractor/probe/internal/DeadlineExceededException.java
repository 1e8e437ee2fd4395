package io.tlsxtractor.probe.internal;

import io.tlsxtractor.probe.ProbePhase;
import java.util.concurrent.TimeoutException;

/** The hard per-attempt deadline fired while the probe was in the given phase. */
public final class DeadlineExceededException extends TimeoutException {
    private static final long serialVersionUID = 1L;

    private final transient ProbePhase phase;

    public DeadlineExceededException(ProbePhase phase, long deadlineMillis) {
        super("deadline of " + deadlineMillis + " ms exceeded during " + phase.wireName());
        this.phase = phase;
    }

    public ProbePhase phase() {
        return phase;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        // Thrown by the thousand on slow networks; the stack says nothing useful.
        return this;
    }
}
