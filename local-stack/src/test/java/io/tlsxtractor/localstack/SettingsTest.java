package io.tlsxtractor.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    private final Path dir = Path.of("/tmp/x");

    @Test
    void brokerSettingsRefuseAHeapThatIsNotAnXmxValueAndClashingPorts() {
        assertThat(BrokerSettings.defaults(dir).heap()).isEqualTo("512m");
        assertThatThrownBy(() -> new BrokerSettings(dir, 0, 0, "lots", Duration.ofSeconds(1))).hasMessageContaining("'lots'");
        assertThatThrownBy(() -> new BrokerSettings(dir, 9092, 9092, "1g", Duration.ofSeconds(1))).hasMessageContaining("9092");
        assertThatThrownBy(() -> new BrokerSettings(dir, -1, 0, "1g", Duration.ofSeconds(1))).hasMessageContaining("-1");
        assertThatThrownBy(() -> new BrokerSettings(dir, 0, 0, "1g", Duration.ZERO)).hasMessageContaining("timeout");
    }

    @Test
    void registrySettingsDefaultToInMemoryAndTheNewestRegistry() {
        RegistrySettings s = new RegistrySettings(dir, 0, Duration.ofSeconds(30));
        assertThat(s.persistent()).isFalse();
        assertThat(s.legacyJava17()).isFalse();
        assertThat(s.withPersistentStorage().withLegacyJava17()).isEqualTo(new RegistrySettings(dir, 0, Duration.ofSeconds(30), true, true));
        assertThatThrownBy(() -> new RegistrySettings(dir, 70000, Duration.ofSeconds(1))).hasMessageContaining("70000");
    }

    @Test
    void serviceVersionsComeFromTheParentPom() {
        assertThat(io.tlsxtractor.localstack.internal.ServiceVersions.apicurio()).isEqualTo("3.3.3");
        assertThat(io.tlsxtractor.localstack.internal.ServiceVersions.apicurioLegacy()).isEqualTo("2.6.13.Final");
        assertThat(io.tlsxtractor.localstack.internal.ServiceVersions.kafka()).isEqualTo("4.4.0");
    }

    @Test
    void childClassPathEntriesBecomeAbsolute() {
        String cp = ChildProcesses.absoluteClassPath("lib/a.jar:/abs/b.jar::lib/*");
        assertThat(cp.split(":")).containsExactly(
                Path.of("lib/a.jar").toAbsolutePath().toString(), "/abs/b.jar", Path.of("lib/*").toAbsolutePath().toString());
    }

    @Test
    void theBrokerClassPathKeepsJarsAndItsOwnClassDirectoryOnly(@TempDir Path tmp) throws Exception {
        Path own = Files.createDirectories(tmp.resolve("local-stack/classes"));
        Path other = Files.createDirectories(tmp.resolve("command/classes"));
        Path jar = Files.writeString(tmp.resolve("kafka.jar"), "not read");
        Path missing = tmp.resolve("gone.jar");
        String cp = String.join(":", own.toString(), other.toString(), jar.toString(), missing.toString());

        assertThat(KafkaBrokerProcess.brokerClassPath(cp, own).split(":"))
                .containsExactly(own.toString(), jar.toString(), missing.toString());
        assertThat(KafkaBrokerProcess.brokerClassPath(cp, jar).split(":"))
                .as("run from jars, no class directory is needed").containsExactly(jar.toString(), missing.toString());
    }

    @Test
    void stackStatusIsAllRunningOnlyWhenNonEmptyAndEveryServiceRuns() {
        ServiceStatus up = new ServiceStatus("kafka", 1, "127.0.0.1:9092", true, "4.4.0");
        ServiceStatus down = new ServiceStatus("schema-registry", 2, "http://127.0.0.1:8081/apis/ccompat/v7", false, "3.3.3");
        assertThat(new StackStatus(java.util.List.of()).allRunning()).isFalse();
        assertThat(new StackStatus(java.util.List.of(up)).allRunning()).isTrue();
        assertThat(new StackStatus(java.util.List.of(up, down)).allRunning()).isFalse();
        assertThat(new StackStatus(java.util.List.of(up, down)).service("schema-registry")).contains(down);
    }
}
