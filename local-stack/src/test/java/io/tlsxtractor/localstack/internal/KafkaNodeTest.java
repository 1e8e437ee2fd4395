package io.tlsxtractor.localstack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaNodeTest {

    @TempDir
    Path dataDir;

    @Test
    void theConfigurationIsASingleLoopbackNodeWithReplicationFactorOne() {
        Properties p = KafkaNode.serverProperties(dataDir, 9092, 9093);
        assertThat(p.getProperty("process.roles")).isEqualTo("broker,controller");
        assertThat(p.getProperty("listeners")).isEqualTo("PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093");
        assertThat(p.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:9092");
        assertThat(p.getProperty("controller.quorum.bootstrap.servers")).isEqualTo("127.0.0.1:9093");
        assertThat(p.getProperty("log.dirs")).isEqualTo(dataDir.resolve("logs").toString());
        for (String key : new String[] {"offsets.topic.replication.factor", "transaction.state.log.replication.factor",
            "transaction.state.log.min.isr", "share.coordinator.state.topic.replication.factor",
            "share.coordinator.state.topic.min.isr"}) {
            assertThat(p.getProperty(key)).as(key).isEqualTo("1");
        }
        assertThat(p.getProperty("group.initial.rebalance.delay.ms")).isEqualTo("0");
    }

    @Test
    void aSecondPrepareReusesTheRecordedPortsAndClusterId() {
        KafkaNode.Layout first = KafkaNode.prepare(dataDir, 0, 0);
        assertThat(first.port()).isNotEqualTo(first.controllerPort());
        assertThat(KafkaNode.load(first.serverProperties()).getProperty("listeners")).contains(":" + first.port());

        KafkaNode.Layout second = KafkaNode.prepare(dataDir, 0, 0);
        assertThat(second).isEqualTo(first);
        assertThat(KafkaNode.recordedClusterId(dataDir)).isEqualTo(first.clusterId());
    }

    @Test
    void aFormattedDirectoryRefusesToMoveItsControllerPort() throws Exception {
        KafkaNode.Layout first = KafkaNode.prepare(dataDir, 0, 0);
        Files.createDirectories(dataDir.resolve("logs"));
        Files.writeString(dataDir.resolve("logs/meta.properties"), "cluster.id=" + first.clusterId() + "\n");
        int other = Ports.freeLoopbackPort();
        assertThatThrownBy(() -> KafkaNode.prepare(dataDir, 0, other))
                .hasMessageContaining(dataDir.toString())
                .hasMessageContaining("controller port " + first.controllerPort());
    }

    @Test
    void aFileInPlaceOfTheDataDirectoryIsNamedInTheError() throws Exception {
        Path file = Files.writeString(dataDir.resolve("file"), "x");
        assertThatThrownBy(() -> KafkaNode.prepare(file, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Kafka data directory " + file + " exists but is not a directory");
    }
}
