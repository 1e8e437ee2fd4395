package io.tlsxtractor.command.scan;

import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) during a scan: the first one asks the scan to stop and write what it has (the command then exits
 * 130, as 1.x did); a second one exits at once. Handled as a signal rather than in a shutdown hook, because a hook
 * runs while the JVM is already going down and could neither finish writing the results nor choose the exit code.
 */
final class InterruptSignal implements AutoCloseable {

    private static final Signal INT = new Signal("INT");

    private final AtomicBoolean raised = new AtomicBoolean();
    private final SignalHandler previous;

    private InterruptSignal(Runnable onFirst) {
        SignalHandler handler = signal -> {
            if (raised.compareAndSet(false, true)) {
                onFirst.run();
            } else {
                System.exit(130);
            }
        };
        this.previous = Signal.handle(INT, handler);
    }

    /** Installs the handler; {@code onFirst} runs on the signal's thread and must only set flags and wake threads. */
    static InterruptSignal install(Runnable onFirst) {
        return new InterruptSignal(onFirst);
    }

    boolean raised() {
        return raised.get();
    }

    @Override
    public void close() {
        Signal.handle(INT, previous);
    }
}
