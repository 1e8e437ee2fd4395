package io.tlsxtractor.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlsxtractor.localstack.EmbeddedKafkaBrokerIT.KafkaRoundTrip;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerProcessIT {

    @TempDir
    Path dataDir;

    @Test
    void childBrokerServesClientsStopsByPidAndRestartsOnTheSameFormattedDirectory() throws Exception {
        BrokerSettings settings = new BrokerSettings(dataDir, 0, 0, "256m", Duration.ofSeconds(90));
        String clusterId;
        String bootstrap;
        long firstPid;
        FileTime formattedAt;
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(settings)) {
            firstPid = broker.pid();
            assertThat(firstPid).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(ProcessHandle.of(firstPid).flatMap(p -> p.info().commandLine()))
                    .hasValueSatisfying(cmd -> assertThat(cmd).contains(KafkaBrokerProcess.COMMAND_MARKER, KafkaBrokerMain.class.getName(), "-Xmx256m"));
            clusterId = broker.clusterId();
            bootstrap = broker.bootstrapServers();
            formattedAt = Files.getLastModifiedTime(dataDir.resolve("logs/meta.properties"));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic("process-it", 1, (short) 1))).all().get();
                assertThat(admin.describeCluster().clusterId().get()).isEqualTo(clusterId);
            }
            KafkaRoundTrip.produce(bootstrap, "process-it", "k", "first-run");
            assertThat(KafkaRoundTrip.consumeOne(bootstrap, "process-it")).isEqualTo("k=first-run");
            assertThat(Files.readString(broker.logFile())).contains("Kafka Server started");
            assertThat(ListeningSockets.of(firstPid)).hasSize(2).allSatisfy(a -> assertThat(a).startsWith("127.0.0.1:"));
        }
        assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();

        try (KafkaBrokerProcess again = KafkaBrokerProcess.start(settings)) {
            assertThat(again.pid()).isNotEqualTo(firstPid);
            assertThat(again.clusterId()).isEqualTo(clusterId);
            assertThat(again.bootstrapServers()).isEqualTo(bootstrap);
            assertThat(Files.getLastModifiedTime(dataDir.resolve("logs/meta.properties"))).isEqualTo(formattedAt);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, again.bootstrapServers()))) {
                assertThat(admin.describeCluster().clusterId().get()).isEqualTo(clusterId);
            }
            // The record written before the restart is still there: the directory was reused, not re-formatted.
            assertThat(KafkaRoundTrip.consumeOne(again.bootstrapServers(), "process-it")).isEqualTo("k=first-run");
        }
    }

    @Test
    void aTakenPortIsReportedAtOnceWithThePortInTheMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            BrokerSettings settings = new BrokerSettings(dataDir, taken.getLocalPort(), 0, "256m", Duration.ofSeconds(30));
            assertThatThrownBy(() -> KafkaBrokerProcess.start(settings))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Port " + taken.getLocalPort())
                    .hasMessageContaining("already in use");
        }
    }

    @Test
    void aBrokerThatCannotFormatItsDataDirectoryFailsBeforeTheTimeoutWithItsLogTail() throws Exception {
        // A regular file where the log directory must be: the child's format step fails.
        Files.writeString(dataDir.resolve("logs"), "not a directory");
        Duration timeout = Duration.ofSeconds(90);
        long started = System.nanoTime();
        assertThatThrownBy(() -> KafkaBrokerProcess.start(new BrokerSettings(dataDir, 0, 0, "256m", timeout)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with code")
                .hasMessageContaining("broker.log ends with:")
                .hasMessageContaining("Cannot prepare the Kafka data directory");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(timeout);
    }
}
