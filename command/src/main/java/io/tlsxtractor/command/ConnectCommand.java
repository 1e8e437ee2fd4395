package io.tlsxtractor.command;

import io.tlsxtractor.command.scan.ClusterConnection;
import io.tlsxtractor.config.TlsxConfig;
import io.tlsxtractor.sinks.connect.ConnectWorker;
import io.tlsxtractor.sinks.connect.ConnectWorkerSettings;
import io.tlsxtractor.sinks.connect.ConnectorDefinition;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tlsxtractor connect}: a standalone Kafka Connect worker in this process with the project's sink connectors
 * (ClickHouse, Neo4j), until SIGTERM or Ctrl-C. A cluster of workers runs Connect's distributed mode instead
 * (compose/connect/).
 */
@Command(name = "connect", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Run a standalone Kafka Connect worker with the project's sink connectors against a Kafka "
                + "cluster until stopped (SIGTERM/Ctrl-C); create connectors from files with --connector. "
                + "Its REST API (default 127.0.0.1:8083) creates, inspects and deletes connectors.")
final class ConnectCommand implements Callable<Integer> {

    /** The directory beside the jar (or beside target/classes) where the build unpacks the connector plugins. */
    static final String PLUGINS_DIR = "connect-plugins";

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--plugin-path", paramLabel = "DIR", split = ",",
            description = "Directories holding one sub-directory per Connect plugin (repeatable; default: the "
                    + "connect-plugins directory the build puts beside the tlsxtractor jar).")
    List<Path> pluginPath = new ArrayList<>();

    @Option(names = "--connector", paramLabel = "FILE",
            description = "A connector to create at start: a .properties file with name and connector.class, or a "
                    + "JSON file ({\"name\":…,\"config\":{…}}, as posted to the REST API). Repeatable.")
    List<Path> connectorFiles = new ArrayList<>();

    @Option(names = "--rest-host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address of the REST API (default: ${DEFAULT-VALUE}).")
    String restHost;

    @Option(names = "--rest-port", paramLabel = "PORT", defaultValue = "8083",
            description = "Port of the REST API; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int restPort;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the worker keeps its offsets file (default: <local.data_dir>/connect).")
    Path dataDir;

    @Option(names = "--worker-property", paramLabel = "KEY=VALUE",
            description = "A Connect worker property, e.g. offset.flush.interval.ms=5000 (repeatable; wins over the "
                    + "ones derived from the other options).")
    Map<String, String> workerProperties = new LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        TlsxConfig config = cluster.config(spec);
        if (config.kafka().embedded()) {
            throw new ParameterException(spec.commandLine(),
                    "connect runs against a Kafka cluster: give --bootstrap-servers (or set kafka.bootstrap_servers)");
        }
        String bootstrap = config.kafka().bootstrapServers();
        List<Path> plugins = pluginPath.isEmpty() ? List.of(defaultPluginDir()) : pluginPath;
        List<ConnectorDefinition> connectors = new ArrayList<>();
        for (Path file : connectorFiles) {
            connectors.add(ConnectorDefinition.load(file));
        }
        ConnectWorkerSettings settings = ConnectWorkerSettings.of(bootstrap,
                        dataDir != null ? dataDir : config.local().dataDir().resolve("connect"))
                .withRest(restHost, restPort)
                .withPluginPath(plugins);
        // The worker's own clients and those of its tasks reach the cluster the way every other role does (security).
        Map<String, String> clientProperties = ClusterConnection.of(config, bootstrap).clientProperties();
        for (Map.Entry<String, String> p : clientProperties.entrySet()) {
            settings = settings.withWorkerProperty(p.getKey(), p.getValue());
            for (String prefix : List.of("producer.", "consumer.", "admin.")) {
                settings = settings.withWorkerProperty(prefix + p.getKey(), p.getValue());
            }
        }
        for (Map.Entry<String, String> p : workerProperties.entrySet()) {
            settings = settings.withWorkerProperty(p.getKey(), p.getValue());
        }
        // The worker registers its own shutdown hook: Ctrl-C or SIGTERM stops the tasks (which commit) and the worker.
        ConnectWorker worker = ConnectWorker.start(settings, connectors);
        PrintWriter err = spec.commandLine().getErr();
        err.println("Connect worker running against " + bootstrap + ", REST API " + worker.restUrl() + ", plugins "
                + plugins + ", connectors " + worker.connectors() + "; stop it with Ctrl-C or SIGTERM");
        err.flush();
        worker.awaitStop();
        return ExitCodes.OK;
    }

    /** {@value #PLUGINS_DIR} beside the jar this class runs from (command/target/ in a build). */
    private Path defaultPluginDir() {
        Path dir = codeLocation().resolveSibling(PLUGINS_DIR);
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), "No connector plugins at " + dir
                    + " (the build unpacks them there at package time): build with ./mvnw package, or give "
                    + "--plugin-path");
        }
        return dir;
    }

    private static Path codeLocation() {
        try {
            return Path.of(ConnectCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toAbsolutePath().normalize();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot tell where the tlsxtractor jar is: " + e.getMessage(), e);
        }
    }
}
