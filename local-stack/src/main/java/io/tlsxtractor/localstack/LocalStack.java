package io.tlsxtractor.localstack;

import io.tlsxtractor.localstack.internal.KafkaNode;
import io.tlsxtractor.localstack.internal.KafkaProbe;
import io.tlsxtractor.localstack.internal.Ports;
import io.tlsxtractor.localstack.internal.ServiceVersions;
import io.tlsxtractor.localstack.internal.StackFile;
import io.tlsxtractor.localstack.internal.StackFile.ServiceRecord;
import io.tlsxtractor.localstack.internal.StackFile.StackRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The developer stack behind {@code tlsxtractor dev up|down|status}: a Kafka broker, the schema registry and (unless
 * left out) the two databases the sinks load, ClickHouse and Neo4j, as detached processes that outlive the command,
 * recorded in {@code <homeDir>/stack.json}.
 */
public final class LocalStack {

    public static final String KAFKA = "kafka";
    public static final String SCHEMA_REGISTRY = "schema-registry";
    public static final String CLICKHOUSE = "clickhouse";
    public static final String NEO4J = "neo4j";
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    // Generous: right after Neo4j starts, a loaded 2-core machine can take seconds to answer a plain GET.
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    private LocalStack() {
    }

    /**
     * Starts whatever part of the stack is not running already (a recorded process that is still
     * alive is reported, not started twice) and returns the status of the whole stack.
     */
    public static StackStatus up(LocalStackSettings settings) {
        Path home = settings.homeDir().toAbsolutePath().normalize();
        return locked(home, () -> {
            StackRecord stack = StackFile.read(home).orElse(new StackRecord(List.of()));
            if (!isOurs(stack.service(KAFKA))) {
                stack = stack.with(startKafka(home, settings));
                StackFile.write(home, stack);
            } else {
                LOG.info("Kafka broker already running (pid {})", stack.service(KAFKA).get().pid());
            }
            if (!isOurs(stack.service(SCHEMA_REGISTRY))) {
                stack = stack.with(startRegistry(home, settings));
                StackFile.write(home, stack);
            } else {
                LOG.info("Schema registry already running (pid {})", stack.service(SCHEMA_REGISTRY).get().pid());
            }
            if (settings.databases()) {
                if (!isOurs(stack.service(CLICKHOUSE))) {
                    stack = stack.with(startClickHouse(home, settings));
                    StackFile.write(home, stack);
                } else {
                    LOG.info("ClickHouse already running (pid {})", stack.service(CLICKHOUSE).get().pid());
                }
                if (!isOurs(stack.service(NEO4J))) {
                    stack = stack.with(startNeo4j(home, settings));
                    StackFile.write(home, stack);
                } else {
                    LOG.info("Neo4j already running (pid {})", stack.service(NEO4J).get().pid());
                }
            }
            return statusOf(stack);
        });
    }

    /** The recorded services: each is running when that very process is alive and its endpoint answers. */
    public static StackStatus status(Path homeDir) {
        Path home = homeDir.toAbsolutePath().normalize();
        return StackFile.read(home).map(LocalStack::statusOf).orElse(new StackStatus(List.of()));
    }

    /**
     * Stops every recorded service by its PID (SIGTERM, then SIGKILL after 30 s) and removes the
     * record. Returns what was recorded, with {@code running} false for each service now stopped.
     */
    public static StackStatus down(Path homeDir) {
        Path home = homeDir.toAbsolutePath().normalize();
        return locked(home, () -> {
            Optional<StackRecord> stack = StackFile.read(home);
            if (stack.isEmpty()) {
                return new StackStatus(List.of());
            }
            List<ServiceStatus> stopped = new ArrayList<>();
            boolean allStopped = true;
            // The broker last: the registry and the databases are its clients' ends, the broker holds the data.
            List<ServiceRecord> order = new ArrayList<>(stack.get().services());
            order.sort(Comparator.comparing((ServiceRecord s) -> s.name().equals(KAFKA)));
            for (ServiceRecord service : order) {
                Optional<ProcessHandle> process = find(service);
                boolean gone = process.map(p -> ChildProcesses.stop(p, STOP_GRACE)).orElse(true);
                if (process.isPresent()) {
                    LOG.info("{} (pid {}) {}", service.name(), service.pid(), gone ? "stopped" : "did not stop");
                }
                allStopped &= gone;
                stopped.add(new ServiceStatus(service.name(), service.pid(), service.endpoint(), !gone, service.version()));
            }
            if (allStopped) {
                StackFile.delete(home);
            }
            return new StackStatus(stopped);
        });
    }

    private static ServiceRecord startKafka(Path home, LocalStackSettings settings) {
        KafkaBrokerProcess broker = KafkaBrokerProcess.start(new BrokerSettings(home.resolve(KAFKA),
                settings.kafkaPort(), 0, settings.brokerHeap(), settings.startTimeout())).detach();
        return record(KAFKA, broker.pid(), List.of(KafkaBrokerProcess.COMMAND_MARKER,
                broker.dataDir().resolve(KafkaNode.SERVER_PROPERTIES).toString()),
                broker.bootstrapServers(), broker.port(), ServiceVersions.kafka());
    }

    private static ServiceRecord startRegistry(Path home, LocalStackSettings settings) {
        SchemaRegistryProcess registry = SchemaRegistryProcess.start(new RegistrySettings(home.resolve(SCHEMA_REGISTRY),
                settings.registryPort(), settings.startTimeout()).withPersistentStorage()).detach();
        return record(SCHEMA_REGISTRY, registry.pid(), List.of(SchemaRegistryProcess.COMMAND_MARKER,
                "-Dquarkus.http.port=" + registry.port()), registry.url(), registry.port(), registry.version());
    }

    private static ServiceRecord startClickHouse(Path home, LocalStackSettings settings) {
        ClickHouseProcess clickHouse = ClickHouseProcess.start(new ClickHouseSettings(home.resolve(CLICKHOUSE))
                .withStartTimeout(settings.startTimeout())).detach();
        // The launcher is a native program: its data path is what marks it as this stack's server.
        return record(CLICKHOUSE, clickHouse.pid(), List.of("--path=" + home.resolve(CLICKHOUSE)),
                clickHouse.url(), clickHouse.httpPort(), ClickHouseProcess.version());
    }

    private static ServiceRecord startNeo4j(Path home, LocalStackSettings settings) {
        Neo4jProcess neo4j = Neo4jProcess.start(Neo4jSettings.defaults(home.resolve(NEO4J))).detach();
        return record(NEO4J, neo4j.pid(), List.of(Neo4jProcess.COMMAND_MARKER, home.resolve(NEO4J).toString()),
                neo4j.boltUri(), neo4j.boltPort(), neo4j.serverVersion());
    }

    private static ServiceRecord record(String name, long pid, List<String> markers, String endpoint, int port, String version) {
        long processStart = ProcessHandle.of(pid).flatMap(ChildProcesses::startMillis).orElse(0L);
        return new ServiceRecord(name, pid, processStart, markers, endpoint, port, version, Instant.now().toString());
    }

    private static StackStatus statusOf(StackRecord stack) {
        List<ServiceStatus> services = new ArrayList<>();
        for (ServiceRecord service : stack.services()) {
            boolean running = find(service).isPresent() && answers(service);
            services.add(new ServiceStatus(service.name(), service.pid(), service.endpoint(), running, service.version()));
        }
        return new StackStatus(services);
    }

    private static boolean isOurs(Optional<ServiceRecord> service) {
        return service.flatMap(LocalStack::find).isPresent();
    }

    private static Optional<ProcessHandle> find(ServiceRecord service) {
        return ChildProcesses.findOurs(service.pid(), service.processStartMillis(), service.commandMarkers());
    }

    private static boolean answers(ServiceRecord service) {
        switch (service.name()) {
            case KAFKA:
                return KafkaProbe.answers(service.port(), PROBE_TIMEOUT);
            case NEO4J:
                return Ports.accepts(service.port(), (int) PROBE_TIMEOUT.toMillis());
            case CLICKHOUSE:
                return httpOk(service.endpoint() + "/ping");
            default:
                return httpOk(service.endpoint() + "/subjects");
        }
    }

    private static boolean httpOk(String url) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(PROBE_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One {@code up} or {@code down} at a time per home directory, across processes. */
    private static synchronized StackStatus locked(Path home, Supplier<StackStatus> action) {
        try {
            Files.createDirectories(home);
            try (FileChannel channel = FileChannel.open(home.resolve("stack.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                return action.get();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot lock the developer stack in " + home + ": " + e.getMessage(), e);
        }
    }
}
