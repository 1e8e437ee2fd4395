package io.tlsxtractor.sinks.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Settings the connector refuses at start, with the key and the reason. */
class Neo4jSinkConfigTest {

    private static Map<String, String> valid() {
        Map<String, String> p = new HashMap<>();
        p.put("neo4j.uri", "bolt://127.0.0.1:7687");
        p.put("neo4j.password", "secret-pw");
        p.put("schema.registry.url", "http://127.0.0.1:8081");
        p.put("topics", "tlsx.probe-results.v1,tlsx.domains.v1");
        p.put("value.converter", Neo4jSinkConfig.BYTE_ARRAY_CONVERTER);
        return p;
    }

    @Test
    void validSettingsAreReadWithDefaults() {
        Neo4jSinkConfig config = new Neo4jSinkConfig(valid());
        assertThat(config.user()).isEqualTo("neo4j");
        assertThat(config.database()).isEqualTo("neo4j");
        assertThat(config.batchSize()).isEqualTo(2000);
        assertThat(config.password().value()).isEqualTo("secret-pw");
        assertThat(new Neo4jSinkConnector().taskConfigs(3)).hasSize(3);
    }

    @Test
    void anotherValueConverterAnUnknownTopicOrANonBoltUriIsRefused() {
        Map<String, String> converter = valid();
        converter.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        assertThatThrownBy(() -> new Neo4jSinkConfig(converter)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("value.converter").hasMessageContaining("ByteArrayConverter");
        Map<String, String> topic = valid();
        topic.put("topics", "tlsx.scan-status.v1");
        assertThatThrownBy(() -> new Neo4jSinkConfig(topic)).hasMessageContaining("has no graph mapping");
        Map<String, String> uri = valid();
        uri.put("neo4j.uri", "http://127.0.0.1:7474");
        assertThatThrownBy(() -> new Neo4jSinkConfig(uri)).hasMessageContaining("neo4j.uri")
                .hasMessageContaining("bolt:// or neo4j://");
        Map<String, String> noPassword = valid();
        noPassword.remove("neo4j.password");
        assertThatThrownBy(() -> new Neo4jSinkConnector().start(noPassword)).hasMessageContaining("neo4j.password");
    }
}
