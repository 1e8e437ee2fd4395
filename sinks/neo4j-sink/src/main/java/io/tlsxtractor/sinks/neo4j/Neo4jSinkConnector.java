package io.tlsxtractor.sinks.neo4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/** Loads the pipeline's topics into the Neo4j graph; every task gets the same settings. */
public final class Neo4jSinkConnector extends SinkConnector {

    /** The version of this jar (from its manifest), or {@code unknown} when run from classes. */
    static final String VERSION = java.util.Optional.ofNullable(Neo4jSinkConnector.class.getPackage().getImplementationVersion())
            .orElse("unknown");

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        // Refuse bad settings now, with the key and why, not later in every task.
        new Neo4jSinkConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return Neo4jSinkTask.class;
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
        return Neo4jSinkConfig.CONFIG_DEF;
    }

    @Override
    public String version() {
        return Neo4jSinkConnector.VERSION;
    }
}
