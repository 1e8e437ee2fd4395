package io.tlsxtractor.command;

import io.tlsxtractor.command.scan.ClusterConnection;
import io.tlsxtractor.config.TlsxConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The options of a subcommand that works against an existing cluster: the config file, the cluster, the registry. */
final class ClusterOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (YAML or TOML).")
    Path file;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,…]",
            description = "The Kafka cluster (default: kafka.bootstrap_servers).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            description = "The Confluent-compatible schema registry (default: schema_registry.url).")
    String schemaRegistryUrl;

    TlsxConfig config(CommandSpec spec) {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (bootstrapServers != null) {
            overrides.put("kafka.bootstrap_servers", bootstrapServers);
        }
        if (schemaRegistryUrl != null) {
            overrides.put("schema_registry.url", schemaRegistryUrl);
        }
        return Configs.load(spec.commandLine(), file, overrides);
    }

    /** The cluster and registry of {@code config}; both must be configured, since other processes share them. */
    static ClusterConnection connection(CommandSpec spec, TlsxConfig config) {
        if (config.kafka().embedded()) {
            throw new ParameterException(spec.commandLine(), spec.name()
                    + " runs against a Kafka cluster: give --bootstrap-servers (or set kafka.bootstrap_servers)");
        }
        if (config.schemaRegistry().embedded()) {
            throw new ParameterException(spec.commandLine(), spec.name() + " needs the schema registry the cluster's "
                    + "other processes use: give --schema-registry-url (or set schema_registry.url)");
        }
        return ClusterConnection.of(config, config.kafka().bootstrapServers());
    }
}
