package io.tlsxtractor.sinks.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.sinks.clickhouse.internal.SinkTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ClickHouseSinkConfigTest {

    private static Map<String, String> base() {
        Map<String, String> props = new HashMap<>();
        props.put(ClickHouseSinkConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:8081");
        return props;
    }

    @Test
    void mapsTheSixCatalogTopicsByDefault() {
        ClickHouseSinkConfig config = new ClickHouseSinkConfig(base());
        assertThat(config.topicTables()).containsEntry(Topics.PROBE_RESULTS.name(), SinkTable.PROBE_RESULTS)
                .containsEntry(Topics.DOMAINS.name(), SinkTable.DOMAIN_OBSERVATIONS)
                .containsEntry(Topics.DOMAIN_INVENTORY.name(), SinkTable.DOMAIN_INVENTORY)
                .containsEntry(Topics.CERTIFICATES.name(), SinkTable.CERTIFICATES)
                .containsEntry(Topics.SCAN_STATUS.name(), SinkTable.SCAN_STATUS)
                .containsEntry(Topics.EVENTS.name(), SinkTable.EVENTS)
                .hasSize(6);
        assertThat(config.database()).isEqualTo("tlsxtractor");
        assertThat(config.rawTtlDays()).isEqualTo(90);
    }

    @Test
    void refusesUnknownTablesMissingMappingsAndBadNamesSayingWhich() {
        Map<String, String> unknown = base();
        unknown.put(ClickHouseSinkConfig.TOPIC_TABLES, "a=probe_results,b=nope");
        assertThatThrownBy(() -> new ClickHouseSinkConfig(unknown)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown table 'nope'");
        Map<String, String> mapped = base();
        mapped.put(ClickHouseSinkConfig.TOPIC_TABLES, "a=probe_results");
        assertThatThrownBy(() -> new ClickHouseSinkConfig(mapped).requireTablesFor(List.of("a", "c")))
                .hasMessageContaining("topics [c]");
        Map<String, String> badDb = base();
        badDb.put(ClickHouseSinkConfig.DATABASE, "a-b");
        assertThatThrownBy(() -> new ClickHouseSinkConfig(badDb)).hasMessageContaining("'a-b'");
        assertThatThrownBy(() -> new ClickHouseSinkConfig(new HashMap<>()))
                .hasMessageContaining(ClickHouseSinkConfig.SCHEMA_REGISTRY_URL);
    }

    @Test
    void theConnectorRefusesAValueConverterThatIsNotBytes() {
        Map<String, String> props = base();
        props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put(ClickHouseSinkConfig.MIGRATE_ON_START, "false");
        assertThatThrownBy(() -> new ClickHouseSinkConnector().start(props))
                .hasMessageContaining("ByteArrayConverter");
    }
}
