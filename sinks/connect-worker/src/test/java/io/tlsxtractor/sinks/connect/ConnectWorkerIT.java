package io.tlsxtractor.sinks.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tlsxtractor.localstack.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker in this JVM against a real broker: connectors created at start, {@code ${env:…}} in their configs, DLQ
 * routing with context headers.
 */
class ConnectWorkerIT {

    @TempDir
    Path dir;

    @Test
    void recordsTheConverterCannotReadAndRecordsTheTaskReportsGoToTheDlqWithHeadersAndTheRestLoads() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"))) {
            String topic = "connect-it-json";
            String dlq = topic + ".dlq";
            KafkaTestClients.createTopic(broker.bootstrapServers(), topic);
            Path out = dir.resolve("json.txt");
            Map<String, String> config = new HashMap<>(Map.of(
                    "connector.class", TestPlugins.CONNECTOR_CLASS,
                    "topics", topic,
                    "file", out.toString(),
                    // Set by this module's failsafe configuration: proves the worker's env config provider.
                    "prefix", "${env:TLSX_CONNECT_IT_PREFIX}",
                    "value.converter", "org.apache.kafka.connect.json.JsonConverter",
                    "value.converter.schemas.enable", "false",
                    "errors.tolerance", "all",
                    "errors.deadletterqueue.topic.name", dlq,
                    "errors.deadletterqueue.topic.replication.factor", "1",
                    "errors.deadletterqueue.context.headers.enable", "true"));
            ConnectWorkerSettings settings = ConnectWorkerSettings.of(broker.bootstrapServers(), dir.resolve("worker"))
                    .withPluginPath(List.of(TestPlugins.buildLineFileSinkPlugin(dir.resolve("plugins"))));

            try (ConnectWorker worker = ConnectWorker.start(settings, List.of(new ConnectorDefinition("json", config)))) {
                assertThat(worker.connectors()).containsExactly("json");
                ConnectorStatus status = worker.awaitRunning("json", Duration.ofSeconds(60));
                assertThat(status.taskStates()).containsExactly("RUNNING");

                KafkaTestClients.produce(broker.bootstrapServers(), topic,
                        List.of("\"a\"", "not json {", "\"poison-1\"", "\"b\""));
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.isRegularFile(out)
                        && Files.readAllLines(out).size() >= 2);
                assertThat(Files.readAllLines(out)).containsExactly("from-env:a", "from-env:b");

                List<ConsumerRecord<byte[], byte[]>> dead = KafkaTestClients.consume(broker.bootstrapServers(), dlq, 2);
                assertThat(dead).hasSize(2);
                ConsumerRecord<byte[], byte[]> unreadable = dead.get(0);
                assertThat(new String(unreadable.value(), StandardCharsets.UTF_8)).isEqualTo("not json {");
                assertThat(header(unreadable, "__connect.errors.stage")).isEqualTo("VALUE_CONVERTER");
                assertThat(header(unreadable, "__connect.errors.topic")).isEqualTo(topic);
                assertThat(header(unreadable, "__connect.errors.offset")).isEqualTo("1");
                assertThat(header(unreadable, "__connect.errors.connector.name")).isEqualTo("json");
                assertThat(header(unreadable, "__connect.errors.exception.class.name"))
                        .isEqualTo("org.apache.kafka.connect.errors.DataException");

                ConsumerRecord<byte[], byte[]> reported = dead.get(1);
                assertThat(new String(reported.value(), StandardCharsets.UTF_8)).isEqualTo("\"poison-1\"");
                assertThat(header(reported, "__connect.errors.stage")).isEqualTo("TASK_PUT");
                assertThat(header(reported, "__connect.errors.offset")).isEqualTo("2");
                assertThat(header(reported, "__connect.errors.exception.message")).contains("poison value at offset 2");

                worker.deleteConnector("json");
                assertThat(worker.connectors()).isEmpty();
            }
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s of the DLQ record", name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
