package io.tlsxtractor.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsxtractor.localstack.internal.JavaRuntimes;
import io.tlsxtractor.localstack.internal.KafkaNode;
import io.tlsxtractor.localstack.internal.OwnedProcess;
import io.tlsxtractor.localstack.internal.Ports;
import io.tlsxtractor.localstack.internal.ServiceArtifacts;
import io.tlsxtractor.localstack.internal.ServiceVersions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Apicurio Registry as a child process, reached through its Confluent-compatible API.
 * Runs Apicurio 3 on a Java 21+ found on the machine, else Apicurio 2.6 on this JVM. Global
 * compatibility is set to BACKWARD (Apicurio's own default is NONE).
 *
 * <p>A JVM shutdown hook stops the registry unless {@link #detach()} was called.
 */
public final class SchemaRegistryProcess implements AutoCloseable {

    /** The Confluent-compatible API below the registry's root. */
    public static final String CCOMPAT_PATH = "/apis/ccompat/v7";
    /** A part of the command line that identifies a registry started by this class. */
    public static final String COMMAND_MARKER = "-Dtlsxtractor.service=schema-registry";
    static final String LOG_FILE = "registry.log";
    private static final String STATE_FILE = "tlsxtractor-registry.properties";
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryProcess.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProcessHandle process;
    private final int port;
    private final String version;
    private final Path logFile;
    private final List<String> command;
    private final OwnedProcess owned;

    private SchemaRegistryProcess(ProcessHandle process, int port, String version, Path logFile, List<String> command) {
        this.process = process;
        this.owned = new OwnedProcess(process, "Apicurio Registry", STOP_GRACE);
        this.port = port;
        this.version = version;
        this.logFile = logFile;
        this.command = List.copyOf(command);
    }

    /** Starts the registry and returns once its API answers and BACKWARD compatibility is set. */
    public static SchemaRegistryProcess start(RegistrySettings settings) {
        Path dataDir = settings.dataDir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the registry data directory " + dataDir + ": " + e.getMessage(), e);
        }
        Optional<JavaRuntimes.JavaRuntime> java21 = settings.legacyJava17() ? Optional.empty() : JavaRuntimes.find(21);
        List<String> command = new ArrayList<>();
        String version;
        Path jar;
        if (java21.isPresent()) {
            version = ServiceVersions.apicurio();
            Path home = ServiceArtifacts.unpacked(new ServiceArtifacts.Coordinates(
                    "io.apicurio", "apicurio-registry-app", version, "tar.gz", "all"), "apicurio");
            jar = home.resolve("quarkus-run.jar");
            command.add(java21.get().javaBinary().toString());
            LOG.debug("Apicurio {} runs on Java {} from {}", version, java21.get().featureVersion(), java21.get().origin());
        } else {
            version = ServiceVersions.apicurioLegacy();
            LOG.warn("Running Apicurio Registry {} on Java {} instead of {}: {}", version, Runtime.version().feature(),
                    ServiceVersions.apicurio(), settings.legacyJava17()
                            ? "the settings ask to do without Java 21"
                            : "no Java 21+ was found (checked " + JavaRuntimes.JAVA21_HOME_ENV
                                    + ", this JVM, JAVA_HOME and " + JavaRuntimes.DEFAULT_JVM_ROOT + ")");
            Path home = ServiceArtifacts.unpacked(new ServiceArtifacts.Coordinates(
                    "io.apicurio", "apicurio-registry-app", version, "zip", "all"), "apicurio");
            jar = home.resolve("apicurio-registry-app-" + version + "-runner.jar");
            command.add(JavaRuntimes.currentJavaBinary().toString());
        }
        int port = choosePort(settings.port(), dataDir);
        int managementPort = Ports.freeLoopbackPort();
        while (managementPort == port) {
            managementPort = Ports.freeLoopbackPort();
        }
        command.addAll(List.of(COMMAND_MARKER,
                "-Xmx256m",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                // Without these the management interface listens on port 9000 of every interface.
                "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.management.port=" + managementPort));
        if (settings.persistent()) {
            String url = "jdbc:h2:file:" + dataDir.resolve("db").resolve("registry");
            // Apicurio 3 reads apicurio.datasource.url; 2.6 reads it through REGISTRY_DATASOURCE_URL.
            command.add(java21.isPresent() ? "-Dapicurio.datasource.url=" + url : "-DREGISTRY_DATASOURCE_URL=" + url);
        }
        command.addAll(List.of("-jar", jar.toString()));

        Path logFile = dataDir.resolve(LOG_FILE);
        Process child;
        try {
            ChildProcesses.rotate(logFile);
            child = ChildProcesses.startLogged(command, Map.of(), dataDir, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the schema registry (" + command.get(0) + "): " + e.getMessage(), e);
        }
        SchemaRegistryProcess registry = new SchemaRegistryProcess(child.toHandle(), port, version, logFile, command);
        LOG.info("Starting Apicurio Registry {} (pid {}) on {} (log {})", version, child.pid(), registry.url(), logFile);
        try {
            registry.awaitReady(Instant.now().plus(settings.startTimeout()), settings.startTimeout());
            registry.setGlobalCompatibility("BACKWARD");
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        Properties state = new Properties();
        state.setProperty("port", Integer.toString(port));
        KafkaNode.store(state, dataDir.resolve(STATE_FILE), "Port chosen at the first start of this registry directory.");
        LOG.info("Apicurio Registry {} ready at {}", version, registry.url());
        return registry;
    }

    private static int choosePort(int requested, Path dataDir) {
        if (requested != 0) {
            Ports.requireFree(requested, "schema registry HTTP");
            return requested;
        }
        String recorded = KafkaNode.load(dataDir.resolve(STATE_FILE)).getProperty("port");
        if (recorded != null && Ports.isFree(Integer.parseInt(recorded))) {
            return Integer.parseInt(recorded);
        }
        return Ports.freeLoopbackPort();
    }

    private void awaitReady(Instant deadline, Duration timeout) {
        HttpClient http = http();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/subjects")).timeout(Duration.ofSeconds(3)).GET().build();
        int lastStatus = -1;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw failure("exited before its API answered");
            }
            try {
                HttpResponse<String> response = http.send(probe, HttpResponse.BodyHandlers.ofString());
                lastStatus = response.statusCode();
                if (lastStatus == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // The HTTP listener opens late in the start; keep polling until the deadline.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("start was interrupted");
            }
            sleep(250);
        }
        throw failure("did not answer GET " + url() + "/subjects with 200 within " + timeout
                + (lastStatus < 0 ? "" : " (last status " + lastStatus + ")"));
    }

    private void setGlobalCompatibility(String level) {
        HttpClient http = http();
        try {
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(url() + "/config"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", CONTENT_TYPE)
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + level + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (put.statusCode() != 200) {
                throw failure("answered PUT " + url() + "/config with HTTP " + put.statusCode() + ": " + put.body());
            }
            HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(url() + "/config"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            String actual = get.statusCode() == 200 ? compatibilityLevel(get.body()) : null;
            if (!level.equals(actual)) {
                throw failure("kept global compatibility " + actual + " after PUT " + level + " (GET /config: HTTP "
                        + get.statusCode() + " " + get.body() + ")");
            }
        } catch (IOException e) {
            throw failure("could not be configured: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("configuration was interrupted");
        }
    }

    private static String compatibilityLevel(String configJson) throws IOException {
        JsonNode node = JSON.readTree(configJson);
        JsonNode level = node.has("compatibilityLevel") ? node.get("compatibilityLevel") : node.get("compatibility");
        return level == null ? null : level.asText();
    }

    private IllegalStateException failure(String what) {
        return new IllegalStateException("Apicurio Registry " + version + " (pid " + process.pid() + ", port " + port + ") "
                + what + "; " + logFile + " ends with:" + System.lineSeparator() + ChildProcesses.tail(logFile, 40));
    }

    private static HttpClient http() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The Confluent-compatible base URL, {@code http://127.0.0.1:<port>/apis/ccompat/v7}. */
    public String url() {
        return "http://" + Ports.LOOPBACK_HOST + ":" + port + CCOMPAT_PATH;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** The Apicurio Registry version that runs, e.g. {@code 3.3.3}. */
    public String version() {
        return version;
    }

    public Path logFile() {
        return logFile;
    }

    /** The command line the registry was started with. */
    public List<String> command() {
        return command;
    }

    /** Lets the registry outlive this JVM: {@link #close()} still stops it when called. */
    public SchemaRegistryProcess detach() {
        owned.detach();
        return this;
    }

    /** Stops the registry by its PID: SIGTERM, then SIGKILL if it has not stopped after 20 s. */
    @Override
    public void close() {
        owned.close();
    }
}
