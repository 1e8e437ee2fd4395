package io.tlsxtractor.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsxtractor.schemas.avro.EventType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EventTypesTest {

    @Test
    void everyArchitectureEventNameMapsToASymbolAndBack() {
        String[] names = {"scan.started", "scan.progress", "scan.completed", "scan.failed", "domain.discovered",
            "certificate.found", "vulnerability.detected", "worker.started", "worker.stopped", "plugin.loaded",
            "config.reloaded"};
        for (String name : names) {
            EventType type = EventTypes.fromWireName(name);
            assertThat(type).as(name).isNotEqualTo(EventType.UNKNOWN);
            assertThat(EventTypes.wireName(type)).isEqualTo(name);
        }
        assertThat(Arrays.stream(EventType.values()).filter(t -> t != EventType.UNKNOWN)).hasSize(names.length);
    }

    @Test
    void unknownNamesReadAsUnknown() {
        assertThat(EventTypes.fromWireName("scan.exploded")).isEqualTo(EventType.UNKNOWN);
    }
}
