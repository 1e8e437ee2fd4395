package io.tlsxtractor.streams.internal;

import io.tlsxtractor.schemas.avro.Event;
import io.tlsxtractor.schemas.avro.EventType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Events the streams application emits. */
final class Events {

    static final String SOURCE = "streams";

    private Events() {
    }

    /**
     * An event whose id is derived from {@code identity}: an event that is "once per X" gets the same id however
     * often it would be emitted, so a consumer can recognise a duplicate even across a reprocessing.
     */
    static Event once(EventType type, String subjectId, String scanId, long time, String identity,
            Map<String, String> data) {
        String id = UUID.nameUUIDFromBytes((SOURCE + ":" + type + ":" + identity).getBytes(StandardCharsets.UTF_8))
                .toString();
        return build(id, type, subjectId, scanId, time, data);
    }

    /** An event that has no identity beyond its moment (progress). */
    static Event unique(EventType type, String subjectId, String scanId, long time, Map<String, String> data) {
        return build(UUID.randomUUID().toString(), type, subjectId, scanId, time, data);
    }

    private static Event build(String id, EventType type, String subjectId, String scanId, long time,
            Map<String, String> data) {
        Map<String, String> values = new LinkedHashMap<>();
        data.forEach((k, v) -> {
            if (v != null) {
                values.put(k, v);
            }
        });
        return Event.newBuilder()
                .setEventId(id)
                .setType(type)
                .setSubjectId(subjectId)
                .setScanId(scanId)
                .setSource(SOURCE)
                .setTime(Instant.ofEpochMilli(time))
                .setData(new LinkedHashMap<>(values))
                .build();
    }
}
