package io.tlsxtractor.sinks.clickhouse;

import io.tlsxtractor.sinks.clickhouse.internal.ClickHouseErrors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the pipeline's topics into ClickHouse. At start it checks the settings and the server (database present,
 * credentials accepted) and runs the table migrations, so a wrong configuration fails here, with the reason,
 * instead of in every task.
 *
 * <p>Values must reach the task as bytes ({@code value.converter=org.apache.kafka.connect.converters.ByteArrayConverter}):
 * the task decodes the Confluent wire format itself into the generated Avro classes.
 */
public class ClickHouseSinkConnector extends SinkConnector {

    static final String VERSION = versionOf(ClickHouseSinkConnector.class);
    private static final String VALUE_CONVERTER = "value.converter";
    private static final String BYTES_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";
    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseSinkConnector.class);

    private Map<String, String> props;

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        ClickHouseSinkConfig config;
        try {
            config = new ClickHouseSinkConfig(props);
        } catch (ConfigException e) {
            throw new ConnectException("Invalid ClickHouse sink configuration: " + e.getMessage(), e);
        }
        String topics = props.get(SinkConnector.TOPICS_CONFIG);
        if (topics != null && !topics.isBlank()) {
            config.requireTablesFor(Arrays.asList(topics.split(",")));
        }
        String converter = props.get(VALUE_CONVERTER);
        if (converter != null && !converter.strip().equals(BYTES_CONVERTER)) {
            throw new ConnectException(VALUE_CONVERTER + "=" + converter + " is not supported: the ClickHouse sink decodes "
                    + "the Avro itself and needs " + VALUE_CONVERTER + "=" + BYTES_CONVERTER);
        }
        if (config.migrateOnStart()) {
            try {
                ClickHouseMigrations.Result result = ClickHouseMigrations.migrate(config.url(), config.user(),
                        config.password(), config.database(), config.rawTtlDays());
                LOG.info("ClickHouse schema of database {} at version {} (applied now: {})", config.database(),
                        result.version(), result.applied());
            } catch (IllegalStateException e) {
                throw new ConnectException("ClickHouse sink cannot prepare database '" + config.database() + "' at "
                        + config.url() + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new ConnectException(ClickHouseErrors.describe("preparing database '" + config.database() + "' at "
                        + config.url(), e).getMessage(), e);
            }
        }
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return ClickHouseSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            configs.add(props);
        }
        return configs;
    }

    @Override
    public void stop() {
        props = null;
    }

    @Override
    public ConfigDef config() {
        return ClickHouseSinkConfig.CONFIG_DEF;
    }

    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        try {
            new ClickHouseSinkConfig(connectorConfigs);
        } catch (ConfigException e) {
            for (ConfigValue value : result.configValues()) {
                if (value.name().equals(ClickHouseSinkConfig.TOPIC_TABLES) || value.name().equals(ClickHouseSinkConfig.DATABASE)) {
                    value.addErrorMessage(e.getMessage());
                }
            }
        }
        return result;
    }

    private static String versionOf(Class<?> type) {
        String version = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
        return version == null ? "2.0.0-SNAPSHOT" : version;
    }
}
