package io.tlsxtractor.sinks.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectWorkerSettingsTest {

    @TempDir
    Path dir;

    @Test
    void workerPropertiesBindRestToLoopbackUseByteArrayConvertersAndLetExtrasWin() {
        Map<String, String> props = ConnectWorkerSettings.of("127.0.0.1:9092", dir)
                .withPluginPath(List.of(dir.resolve("a"), dir.resolve("b")))
                .withOffsetFlushInterval(Duration.ofSeconds(2))
                .withWorkerProperty("plugin.discovery", "hybrid_warn")
                .toWorkerProperties();
        assertThat(props)
                .containsEntry("bootstrap.servers", "127.0.0.1:9092")
                .containsEntry("listeners", "http://127.0.0.1:0")
                .containsEntry("value.converter", ConnectWorkerSettings.BYTE_ARRAY_CONVERTER)
                .containsEntry("key.converter", ConnectWorkerSettings.BYTE_ARRAY_CONVERTER)
                .containsEntry("offset.flush.interval.ms", "2000")
                .containsEntry("offset.storage.file.filename", dir.toAbsolutePath().resolve("connect.offsets").toString())
                .containsEntry("plugin.path", dir.resolve("a").toAbsolutePath() + "," + dir.resolve("b").toAbsolutePath())
                .containsEntry("plugin.discovery", "hybrid_warn");
    }

    @Test
    void invalidValuesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> ConnectWorkerSettings.of(" ", dir)).hasMessageContaining("bootstrap servers");
        assertThatThrownBy(() -> ConnectWorkerSettings.of("h:1", dir).withRest("127.0.0.1", 70000))
                .hasMessageContaining("70000");
        assertThat(ConnectWorkerSettings.of("h:1", dir).withPluginPath(List.of(dir.resolve("missing"))).problems())
                .singleElement().asString().contains("missing").contains("plugin.path");
    }

    @Test
    void sinkConnectorsCommitToConnectDashName() {
        assertThat(ConnectWorkerSettings.sinkGroupId("ch")).isEqualTo("connect-ch");
    }
}
