package io.tlsxtractor.probe.internal;

import java.util.concurrent.Semaphore;

/** A fair semaphore whose number of permits can be changed while permits are held. */
public final class ResizableSemaphore extends Semaphore {
    private static final long serialVersionUID = 1L;

    private int size;

    public ResizableSemaphore(int permits) {
        super(permits, true);
        this.size = permits;
    }

    /** Sets the number of permits; holders beyond a lowered size finish, no new ones start until below it. */
    public synchronized void resize(int newSize) {
        int delta = newSize - size;
        size = newSize;
        if (delta > 0) {
            release(delta);
        } else if (delta < 0) {
            reducePermits(-delta);
        }
    }

    public synchronized int size() {
        return size;
    }
}
