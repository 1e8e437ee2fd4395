package io.tlsxtractor.sinks.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tlsxtractor.localstack.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker as a child JVM against a real broker: plugin loading, kill -9 and restart, start failures. */
class ConnectWorkerProcessIT {

    @TempDir
    static Path dir;
    static EmbeddedKafkaBroker broker;
    static Path plugins;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"));
        plugins = TestPlugins.buildLineFileSinkPlugin(dir.resolve("plugins"));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void pluginFromPluginPathConsumesAndAfterKill9TheRestartedWorkerResumesFromTheCommittedOffset() throws Exception {
        String topic = "connect-it-lines";
        KafkaTestClients.createTopic(broker.bootstrapServers(), topic);
        Path out = dir.resolve("lines.txt");
        ConnectWorkerSettings settings = ConnectWorkerSettings.of(broker.bootstrapServers(), dir.resolve("worker"))
                .withPluginPath(List.of(plugins))
                .withOffsetFlushInterval(Duration.ofMillis(500));
        // The test connector's classes are not on the child's class path: only plugin.path can provide them.
        try (ConnectWorkerProcess worker = ConnectWorkerProcess.start(settings, TestPlugins.classPathWithoutTestClasses(),
                Duration.ofSeconds(120))) {
            assertThat(worker.restUrl().toString()).startsWith("http://127.0.0.1:");
            worker.createConnector("lines", Map.of(
                    "connector.class", TestPlugins.CONNECTOR_CLASS,
                    "tasks.max", "1",
                    "topics", topic,
                    "file", out.toString()));
            worker.awaitRunning("lines", Duration.ofSeconds(60));
            assertThat(worker.connectorState("lines")).isEqualTo("RUNNING");
            assertThat(worker.taskStates("lines")).containsExactly("RUNNING");

            KafkaTestClients.produce(broker.bootstrapServers(), topic, values(0, 100));
            await().atMost(Duration.ofSeconds(60)).until(() -> lines(out).size() == 100);
            await().atMost(Duration.ofSeconds(30)).until(() -> KafkaTestClients.committedOffset(
                    broker.bootstrapServers(), ConnectWorkerSettings.sinkGroupId("lines"), topic) == 100);

            long killedPid = worker.pid();
            worker.kill();
            assertThat(ProcessHandle.of(killedPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            KafkaTestClients.produce(broker.bootstrapServers(), topic, values(100, 200));

            worker.restart();
            assertThat(worker.pid()).isNotEqualTo(killedPid);
            worker.awaitRunning("lines", Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(60)).until(() -> lines(out).size() >= 200);
            // Offsets committed before the kill are not replayed; the rest arrives once, in order.
            assertThat(lines(out)).containsExactlyElementsOf(values(0, 200));
        }
    }

    @Test
    void aWorkerThatCannotStartFailsWithTheEndOfItsLog() {
        // Nothing listens on port 1: the worker cannot reach Kafka for the cluster id and exits.
        ConnectWorkerSettings settings = ConnectWorkerSettings.of("127.0.0.1:1", dir.resolve("bad-worker"))
                .withWorkerProperty("request.timeout.ms", "2000")
                .withWorkerProperty("default.api.timeout.ms", "3000");
        assertThatThrownBy(() -> ConnectWorkerProcess.start(settings, System.getProperty("java.class.path"),
                Duration.ofSeconds(90)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("connect-worker.log ends with:");
    }

    @Test
    void aMissingPluginDirectoryIsRefusedBeforeStarting() {
        ConnectWorkerSettings settings = ConnectWorkerSettings.of(broker.bootstrapServers(), dir.resolve("w3"))
                .withPluginPath(List.of(dir.resolve("no-such-dir")));
        assertThatThrownBy(() -> ConnectWorkerProcess.start(settings))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plugin.path entry").hasMessageContaining("no-such-dir");
    }

    static List<String> values(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "v-" + i).toList();
    }

    static List<String> lines(Path file) throws Exception {
        return Files.isRegularFile(file) ? Files.readAllLines(file) : List.of();
    }
}
