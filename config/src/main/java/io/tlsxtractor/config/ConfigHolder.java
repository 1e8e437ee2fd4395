package io.tlsxtractor.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The current configuration of a running process, and the seam through which a new one arrives
 * (reloading is a separate concern: whoever reloads calls {@link #update}). Thread-safe: readers
 * never block, updates are applied one at a time, so listeners see them in order.
 */
public final class ConfigHolder {

    /** Told about each new configuration. */
    @FunctionalInterface
    public interface Listener {

        /** Called on the updating thread after {@code current} has replaced {@code previous}. */
        void configChanged(TlsxConfig previous, TlsxConfig current);
    }

    /** Ends a subscription. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {

        @Override
        void close();
    }

    private static final Logger LOG = LoggerFactory.getLogger(ConfigHolder.class);

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Object updateLock = new Object();
    private volatile TlsxConfig current;

    public ConfigHolder(TlsxConfig initial) {
        this.current = Objects.requireNonNull(initial, "initial");
    }

    /** The configuration now in force. */
    public TlsxConfig current() {
        return current;
    }

    /** Calls {@code listener} on every later change, until the returned subscription is closed. */
    public Subscription subscribe(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Makes {@code next} the current configuration and tells every listener, in subscription order.
     * A listener that throws is logged and does not keep the others from being told.
     *
     * @return whether anything changed; an equal configuration notifies nobody
     */
    public boolean update(TlsxConfig next) {
        Objects.requireNonNull(next, "next");
        synchronized (updateLock) {
            TlsxConfig previous = current;
            if (previous.equals(next)) {
                return false;
            }
            current = next;
            for (Listener listener : listeners) {
                try {
                    listener.configChanged(previous, next);
                } catch (RuntimeException e) {
                    LOG.error("Configuration listener {} failed on the new configuration", listener, e);
                }
            }
            return true;
        }
    }
}
