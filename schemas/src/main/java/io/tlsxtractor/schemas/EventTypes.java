package io.tlsxtractor.schemas;

import io.tlsxtractor.schemas.avro.EventType;
import java.util.Locale;

/**
 * The dotted external names of {@link EventType} ({@code scan.started}, {@code domain.discovered}...) used by the API,
 * WebSocket clients and JSON output. Avro enum symbols cannot hold dots, so the record stores the symbol.
 */
public final class EventTypes {

    private EventTypes() {
    }

    /** {@code SCAN_STARTED} → {@code scan.started}. */
    public static String wireName(EventType type) {
        String lower = type.name().toLowerCase(Locale.ROOT);
        int underscore = lower.indexOf('_');
        return underscore < 0 ? lower : lower.substring(0, underscore) + "." + lower.substring(underscore + 1);
    }

    /** {@code scan.started} → {@code SCAN_STARTED}; {@link EventType#UNKNOWN} for a name no symbol has. */
    public static EventType fromWireName(String name) {
        for (EventType type : EventType.values()) {
            if (wireName(type).equals(name)) {
                return type;
            }
        }
        return EventType.UNKNOWN;
    }
}
