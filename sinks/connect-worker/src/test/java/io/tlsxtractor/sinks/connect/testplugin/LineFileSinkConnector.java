package io.tlsxtractor.sinks.connect.testplugin;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * A test-only sink plugin: appends each record's value, after {@code prefix}, as a line to {@code file}, and reports values starting with
 * {@code poison} to the errant-record reporter (the way the project's connectors send bad records to the DLQ). The
 * ITs package it as a plugin directory and load it from {@code plugin.path}.
 */
public class LineFileSinkConnector extends SinkConnector {

    static final ConfigDef CONFIG = new ConfigDef()
            .define("file", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "The file the values are appended to")
            .define("prefix", ConfigDef.Type.STRING, "", ConfigDef.Importance.LOW, "Written before each value");

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        CONFIG.parse(props);
        this.props = props;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return LineFileSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    @Override
    public String version() {
        return "test";
    }
}
