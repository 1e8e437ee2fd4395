package io.tlsxtractor.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClickHouseSettingsTest {

    @Test
    void defaultsToRecordedOrFreePortsAndTheProjectDatabase() {
        ClickHouseSettings settings = new ClickHouseSettings(Path.of("data"));
        assertThat(settings.httpPort()).isZero();
        assertThat(settings.tcpPort()).isZero();
        assertThat(settings.database()).isEqualTo("tlsxtractor");
        assertThat(settings.withPorts(8123, 9000).withDatabase("x").httpPort()).isEqualTo(8123);
    }

    @Test
    void refusesImpossiblePortsSameHttpAndNativePortAndUnsafeDatabaseNames() {
        assertThatThrownBy(() -> new ClickHouseSettings(Path.of("d"), 70000, 0, Duration.ofSeconds(1), "db"))
                .hasMessageContaining("HTTP port").hasMessageContaining("70000");
        assertThatThrownBy(() -> new ClickHouseSettings(Path.of("d")).withPorts(9000, 9000))
                .hasMessageContaining("must differ");
        assertThatThrownBy(() -> new ClickHouseSettings(Path.of("d")).withDatabase("a;DROP"))
                .hasMessageContaining("plain identifier");
        assertThatThrownBy(() -> new ClickHouseSettings(Path.of("d")).withStartTimeout(Duration.ZERO))
                .hasMessageContaining("positive");
    }

    @Test
    void thePinnedEngineVersionComesFromTheParentPom() {
        assertThat(ClickHouseProcess.version()).matches("\\d+\\.\\d+\\.\\d+-stable\\.\\d+");
        assertThat(ClickHouseProcess.installDir().getFileName().toString()).isEqualTo("chdb-" + ClickHouseProcess.version());
    }
}
