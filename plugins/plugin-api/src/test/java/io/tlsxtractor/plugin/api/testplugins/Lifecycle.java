package io.tlsxtractor.plugin.api.testplugins;

import java.util.ArrayList;
import java.util.List;

/** What the test plugins were asked to do, in order, so tests can check the lifecycle. */
public final class Lifecycle {
    private static final List<String> EVENTS = new ArrayList<>();

    private Lifecycle() {
    }

    public static synchronized void record(String event) {
        EVENTS.add(event);
    }

    public static synchronized List<String> events() {
        return List.copyOf(EVENTS);
    }

    public static synchronized void clear() {
        EVENTS.clear();
    }
}
