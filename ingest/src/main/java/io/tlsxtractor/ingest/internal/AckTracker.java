package io.tlsxtractor.ingest.internal;

import io.tlsxtractor.ingest.Checkpoint;
import java.time.Duration;

/**
 * Bounds the sends in flight and knows which checkpoint is safe: acknowledgements arrive out of order (blocks go to
 * different partitions), and a checkpoint may only be committed once it and everything before it is acknowledged.
 * {@link #register} blocks while the window is full: that is the expansion's backpressure. Thread-safe: the producer's
 * I/O thread acknowledges, the expanding thread registers.
 */
public final class AckTracker {

    private final Checkpoint[] checkpoints;
    private final boolean[] acked;
    private long low;
    private long next;
    private Checkpoint safe;
    private Exception failure;

    /**
     * @param window sends in flight at most
     * @param start the checkpoint that is safe before anything is sent
     */
    public AckTracker(int window, Checkpoint start) {
        if (window < 1) {
            throw new IllegalArgumentException("in-flight window must be at least 1, not " + window);
        }
        this.checkpoints = new Checkpoint[window];
        this.acked = new boolean[window];
        this.safe = start;
    }

    /**
     * Takes a slot for a send whose delivery makes {@code after} safe; waits for a free slot.
     *
     * @return the ticket to acknowledge with
     * @throws SendFailedException when an earlier send failed
     */
    public synchronized long register(Checkpoint after) throws InterruptedException {
        while (next - low >= checkpoints.length && failure == null) {
            wait();
        }
        throwIfFailed();
        int slot = (int) (next % checkpoints.length);
        checkpoints[slot] = after;
        acked[slot] = false;
        return next++;
    }

    /** The send of {@code ticket} was acknowledged, or failed when {@code error} is not null. */
    public synchronized void complete(long ticket, Exception error) {
        if (error != null) {
            if (failure == null) {
                failure = error;
            }
            notifyAll();
            return;
        }
        acked[(int) (ticket % checkpoints.length)] = true;
        while (low < next && acked[(int) (low % checkpoints.length)]) {
            int slot = (int) (low % checkpoints.length);
            safe = checkpoints[slot];
            checkpoints[slot] = null;
            low++;
        }
        notifyAll();
    }

    /** The newest checkpoint whose sends, and all before them, are acknowledged. */
    public synchronized Checkpoint safe() {
        return safe;
    }

    /** Waits until every registered send is acknowledged. */
    public synchronized void awaitAll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (low < next && failure == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SendFailedException("sends not acknowledged within " + timeout.toMillis() + " ms ("
                        + (next - low) + " outstanding)", null);
            }
            wait(Math.max(1, left / 1_000_000));
        }
        throwIfFailed();
    }

    private void throwIfFailed() {
        if (failure != null) {
            throw new SendFailedException("a send to Kafka failed: " + failure, failure);
        }
    }

    /** A send failed; what was sent after the safe checkpoint must be sent again. */
    public static final class SendFailedException extends RuntimeException {
        public SendFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
