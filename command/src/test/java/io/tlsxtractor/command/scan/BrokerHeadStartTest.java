package io.tlsxtractor.command.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsxtractor.config.ConfigLoader;
import io.tlsxtractor.config.TlsxConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerHeadStartTest {

    @TempDir
    Path dir;

    private static BrokerHeadStart.Plan asConfigured(Map<String, String> environment) {
        TlsxConfig config = ConfigLoader.create().environment(environment).load();
        return new BrokerHeadStart.Plan(config.local().dataDir().resolve("embedded").toAbsolutePath().normalize(),
                config.local().brokerHeap());
    }

    @Test
    void aScanOnTheEmbeddedPipelineGetsTheDirectoryAndHeapTheConfigurationWillGive() {
        Map<String, String> none = Map.of();
        assertThat(BrokerHeadStart.plan(List.of("--cidr", "127.0.0.0/28", "--allow-private"), none))
                .contains(asConfigured(none));

        Map<String, String> env = Map.of("TLSXTRACTOR_LOCAL_DATA_DIR", dir.resolve("data/../data").toString(),
                "TLSXTRACTOR_LOCAL_BROKER_HEAP", "1g", "TLSXTRACTOR_SCANNING_THREADS", "20");
        assertThat(BrokerHeadStart.plan(List.of("-f", "targets.txt", "-o", "out.json"), env))
                .contains(asConfigured(env))
                .hasValueSatisfying(p -> {
                    assertThat(p.embeddedDir()).isEqualTo(dir.resolve("data/embedded"));
                    assertThat(p.heap()).isEqualTo("1g");
                });

        Map<String, String> home = Map.of("TLSXTRACTOR_LOCAL_DATA_DIR", "~/tlsx-data");
        assertThat(BrokerHeadStart.plan(List.of("--url=https://example.com"), home)).contains(asConfigured(home));
        assertThat(BrokerHeadStart.plan(List.of("-q", "--resume", "20261126-101010-abcdef"), none)).isPresent();
    }

    @Test
    void anythingElseIsLeftToTheCommand() {
        Map<String, String> none = Map.of();
        // Not a scan: a subcommand, help, the version, or no input.
        assertThat(BrokerHeadStart.plan(List.of(), none)).isEmpty();
        assertThat(BrokerHeadStart.plan(List.of("lab", "--cidr", "127.0.0.0/28"), none)).isEmpty();
        assertThat(BrokerHeadStart.plan(List.of("--cidr", "127.0.0.0/28", "--help"), none)).isEmpty();
        assertThat(BrokerHeadStart.plan(List.of("--version"), none)).isEmpty();
        assertThat(BrokerHeadStart.plan(List.of("-o", "out.json", "--threads", "5"), none)).isEmpty();
        // A cluster, or a configuration file that may name another directory or a cluster.
        assertThat(BrokerHeadStart.plan(List.of("--cidr", "10.0.0.0/8", "--bootstrap-servers", "k:9092"), none)).isEmpty();
        assertThat(BrokerHeadStart.plan(List.of("--cidr", "10.0.0.0/8", "--bootstrap-servers=k:9092"), none)).isEmpty();
        assertThat(BrokerHeadStart.plan(List.of("--cidr", "10.0.0.0/8", "--config", "x.yaml"), none)).isEmpty();
        assertThat(BrokerHeadStart.plan(List.of("--cidr", "10.0.0.0/8"),
                Map.of("TLSXTRACTOR_KAFKA_BOOTSTRAP_SERVERS", "k:9092"))).isEmpty();
        assertThat(BrokerHeadStart.plan(List.of("--cidr", "10.0.0.0/8"), Map.of("TLSXTRACTOR_CONFIG", "x.yaml")))
                .isEmpty();
        // Blank variables are unset, for the configuration as here.
        assertThat(BrokerHeadStart.plan(List.of("--cidr", "10.0.0.0/8"), Map.of("TLSXTRACTOR_CONFIG", " ")))
                .isPresent();
    }
}
