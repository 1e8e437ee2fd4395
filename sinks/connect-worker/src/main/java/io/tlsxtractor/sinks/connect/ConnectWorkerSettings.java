package io.tlsxtractor.sinks.connect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * How to run one standalone Connect worker.
 *
 * @param bootstrapServers    the Kafka cluster the worker and its tasks talk to
 * @param restHost            the address the REST API binds to (loopback by default)
 * @param restPort            the REST port; 0 picks a free one at each start
 * @param pluginPath          directories holding one sub-directory per plugin (Connect's {@code plugin.path})
 * @param dataDir             where the worker keeps its offsets file (and, as a child process, its log)
 * @param offsetFlushInterval how often sink tasks commit their consumer offsets (the replay window after a crash)
 * @param heap                the child JVM's {@code -Xmx} (only used by {@link ConnectWorkerProcess})
 * @param workerProperties    further worker properties; they override the ones derived from the fields above
 */
public record ConnectWorkerSettings(
        String bootstrapServers,
        String restHost,
        int restPort,
        List<Path> pluginPath,
        Path dataDir,
        Duration offsetFlushInterval,
        String heap,
        Map<String, String> workerProperties) {

    public static final String DEFAULT_REST_HOST = "127.0.0.1";
    public static final Duration DEFAULT_OFFSET_FLUSH_INTERVAL = Duration.ofSeconds(10);
    public static final String DEFAULT_HEAP = "384m";
    /** The converter the project's connectors use: they decode the Confluent-wire-format Avro themselves. */
    public static final String BYTE_ARRAY_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";
    static final String OFFSETS_FILE = "connect.offsets";

    public ConnectWorkerSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("Connect worker: bootstrap servers are required");
        }
        Objects.requireNonNull(restHost, "restHost");
        if (restPort < 0 || restPort > 65535) {
            throw new IllegalArgumentException("Connect worker: REST port " + restPort + " is not in 0..65535");
        }
        Objects.requireNonNull(dataDir, "dataDir");
        if (offsetFlushInterval == null || offsetFlushInterval.isNegative() || offsetFlushInterval.isZero()) {
            throw new IllegalArgumentException("Connect worker: offset flush interval must be positive, got " + offsetFlushInterval);
        }
        pluginPath = List.copyOf(pluginPath);
        workerProperties = Map.copyOf(workerProperties);
        heap = heap == null || heap.isBlank() ? DEFAULT_HEAP : heap;
    }

    /** Loopback REST API on a free port, no plugins, 10 s offset commits. */
    public static ConnectWorkerSettings of(String bootstrapServers, Path dataDir) {
        return new ConnectWorkerSettings(bootstrapServers, DEFAULT_REST_HOST, 0, List.of(), dataDir,
                DEFAULT_OFFSET_FLUSH_INTERVAL, DEFAULT_HEAP, Map.of());
    }

    public ConnectWorkerSettings withPluginPath(List<Path> dirs) {
        return new ConnectWorkerSettings(bootstrapServers, restHost, restPort, dirs, dataDir, offsetFlushInterval, heap,
                workerProperties);
    }

    public ConnectWorkerSettings withRest(String host, int port) {
        return new ConnectWorkerSettings(bootstrapServers, host, port, pluginPath, dataDir, offsetFlushInterval, heap,
                workerProperties);
    }

    public ConnectWorkerSettings withOffsetFlushInterval(Duration interval) {
        return new ConnectWorkerSettings(bootstrapServers, restHost, restPort, pluginPath, dataDir, interval, heap,
                workerProperties);
    }

    public ConnectWorkerSettings withHeap(String newHeap) {
        return new ConnectWorkerSettings(bootstrapServers, restHost, restPort, pluginPath, dataDir, offsetFlushInterval,
                newHeap, workerProperties);
    }

    /** Adds (or replaces) one raw worker property, e.g. {@code producer.compression.type}. */
    public ConnectWorkerSettings withWorkerProperty(String key, String value) {
        Map<String, String> extra = new LinkedHashMap<>(workerProperties);
        extra.put(key, value);
        return new ConnectWorkerSettings(bootstrapServers, restHost, restPort, pluginPath, dataDir, offsetFlushInterval,
                heap, extra);
    }

    /** The offsets file of source connectors (sink connectors commit to their consumer group instead). */
    public Path offsetsFile() {
        return dataDir.toAbsolutePath().resolve(OFFSETS_FILE);
    }

    /** The consumer group a sink connector's tasks commit to, unless its config overrides {@code consumer.override.group.id}. */
    public static String sinkGroupId(String connectorName) {
        return "connect-" + connectorName;
    }

    /**
     * Checks what can be checked before starting: every plugin.path entry is a directory. Returns the problems, one
     * line each; empty when all is well.
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (Path dir : pluginPath) {
            if (!Files.isDirectory(dir)) {
                problems.add("plugin.path entry " + dir.toAbsolutePath() + " is not a directory");
            }
        }
        return problems;
    }

    /** The standalone worker properties these settings stand for. */
    public Map<String, String> toWorkerProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("key.converter", BYTE_ARRAY_CONVERTER);
        props.put("value.converter", BYTE_ARRAY_CONVERTER);
        props.put("offset.storage.file.filename", offsetsFile().toString());
        props.put("offset.flush.interval.ms", Long.toString(offsetFlushInterval.toMillis()));
        props.put("listeners", "http://" + restHost + ":" + restPort);
        props.put("rest.advertised.host.name", restHost);
        if (!pluginPath.isEmpty()) {
            props.put("plugin.path", pluginPath.stream()
                    .map(p -> p.toAbsolutePath().normalize().toString())
                    .collect(Collectors.joining(",")));
        }
        // The project's plugins register through META-INF/services; not scanning every jar keeps start-up short,
        // which matters with the command's large shaded jar on the class path.
        props.put("plugin.discovery", "service_load");
        // Connector configs name secrets and addresses as ${env:VAR} (compose/*/): resolved from the worker's environment.
        props.put("config.providers", "env");
        props.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        props.putAll(workerProperties);
        return props;
    }
}
