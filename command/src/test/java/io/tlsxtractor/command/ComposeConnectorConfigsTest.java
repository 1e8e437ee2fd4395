package io.tlsxtractor.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsxtractor.sinks.clickhouse.ClickHouseSinkConfig;
import io.tlsxtractor.sinks.clickhouse.ClickHouseSinkConnector;
import io.tlsxtractor.sinks.neo4j.Neo4jSinkConfig;
import io.tlsxtractor.sinks.neo4j.Neo4jSinkConnector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The connector configs shipped for a deployment ({@code compose/clickhouse/*.json}, {@code compose/neo4j/*.json}) are
 * what users post to Connect: each must name its connector, take bytes from the converter (the task decodes the Avro
 * itself), send bad records to its topic's DLQ with context headers, use only environment variables the deployment
 * sets (and the configuration loader accepts), and pass the connector's own config checks.
 */
class ComposeConnectorConfigsTest {

    private static final Path COMPOSE = Path.of("../compose");
    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Z0-9_]+)}");
    /** What the deployment's environment holds (compose/docker-compose.yml sets the same names). */
    private static final Map<String, String> ENVIRONMENT = Map.of(
            "TLSXTRACTOR_SINKS_CLICKHOUSE_URL", "http://clickhouse:8123",
            "TLSXTRACTOR_SINKS_CLICKHOUSE_DATABASE", "tlsxtractor",
            "TLSXTRACTOR_SINKS_CLICKHOUSE_USERNAME", "tlsxtractor",
            "TLSXTRACTOR_SINKS_CLICKHOUSE_PASSWORD", "secret",
            "TLSXTRACTOR_SINKS_NEO4J_URI", "neo4j://neo4j:7687",
            "TLSXTRACTOR_SINKS_NEO4J_USERNAME", "neo4j",
            "TLSXTRACTOR_SINKS_NEO4J_PASSWORD", "secret-password",
            "TLSXTRACTOR_SCHEMA_REGISTRY_URL", "http://registry:8080/apis/ccompat/v7");

    static Stream<Arguments> connectors() {
        Consumer<Map<String, String>> clickHouse = ClickHouseSinkConfig::new;
        Consumer<Map<String, String>> neo4j = Neo4jSinkConfig::new;
        return Stream.of(
                Arguments.of("clickhouse", ClickHouseSinkConnector.class.getName(), clickHouse),
                Arguments.of("neo4j", Neo4jSinkConnector.class.getName(), neo4j));
    }

    @ParameterizedTest(name = "compose/{0}")
    @MethodSource("connectors")
    void everyShippedConfigIsValidForItsConnector(String dir, String connectorClass, Consumer<Map<String, String>> check)
            throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(COMPOSE.resolve(dir))) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).as("connector configs in %s", COMPOSE.resolve(dir).toAbsolutePath()).isNotEmpty();
        ObjectMapper json = new ObjectMapper();
        for (Path file : files) {
            JsonNode config = json.readTree(file.toFile()).path("config");
            Map<String, String> props = new LinkedHashMap<>();
            config.fields().forEachRemaining(e -> props.put(e.getKey(), resolve(e.getValue().asText(), file)));
            assertThat(props.get("connector.class")).as("%s", file).isEqualTo(connectorClass);
            assertThat(props.get("value.converter")).as("%s", file)
                    .isEqualTo("org.apache.kafka.connect.converters.ByteArrayConverter");
            assertThat(props.get("errors.deadletterqueue.topic.name")).as("%s", file)
                    .isEqualTo(props.get("topics") + ".dlq");
            assertThat(props.get("errors.deadletterqueue.context.headers.enable")).as("%s", file).isEqualTo("true");
            check.accept(props);
        }
    }

    private static String resolve(String value, Path file) {
        Matcher m = ENV.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            assertThat(ENVIRONMENT).as("%s uses ${env:%s}, which the deployment does not set", file, name).containsKey(name);
            m.appendReplacement(out, Matcher.quoteReplacement(ENVIRONMENT.get(name)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
