package io.tlsxtractor.localstack;

import io.tlsxtractor.localstack.internal.KafkaNode;
import io.tlsxtractor.localstack.internal.OwnedProcess;
import io.tlsxtractor.localstack.internal.Ports;
import io.tlsxtractor.localstack.internal.ServiceArtifacts;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real ClickHouse server (26.7) as a child process, bound to 127.0.0.1 with HTTP and native listeners.
 *
 * <p>Debian only ships ClickHouse 18.16, so the engine comes from the pinned npm package
 * {@value #NPM_PACKAGE} ({@code libchdb.so}). Its C entry point {@code chdb_query_cmdline} runs
 * clickhouse-local's command line, which can open real listeners with {@code SYSTEM START LISTEN}; a tiny C
 * launcher shipped as a resource and built once with the machine's gcc calls it. The package and the launcher
 * are installed on demand into {@code $TLSXTRACTOR_SERVICES_DIR/chdb-<version>} ({@link #install()}).
 *
 * <p>The server has user {@code default} without a password, which is why it listens on loopback only. Its
 * default database engine is {@code Overlay}: the project's database is created with {@code ENGINE = Atomic}.
 * A JVM shutdown hook stops the server unless {@link #detach()} was called.
 */
public final class ClickHouseProcess implements AutoCloseable {

    /** The npm package that carries the engine; its version is the parent pom's {@code chdb.version}. */
    public static final String NPM_PACKAGE = "@chdb/lib-linux-x64-gnu";
    public static final String NPM_ENV = "TLSXTRACTOR_NPM";
    public static final String CC_ENV = "TLSXTRACTOR_CC";
    static final String LOG_FILE = "clickhouse.log";
    static final String LAUNCHER = "clickhouse-launcher";
    private static final String STATE_FILE = "tlsxtractor-clickhouse.properties";
    private static final String LAUNCHER_SOURCE = "ClickHouseLauncher.c";
    private static final String COMPLETE_MARKER = ".complete";
    private static final String LIBRARY = "libchdb.so";
    private static final Path PACKAGE_DIR = Path.of("node_modules", "@chdb", "lib-linux-x64-gnu");
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    /**
     * Opens the listeners, then keeps clickhouse-local's query (and so the process) alive: one row every 3 s of
     * a billion rows is ~95 years. SIGTERM ends it.
     */
    private static final String SERVE_QUERY = "SYSTEM START LISTEN HTTP; SYSTEM START LISTEN TCP; "
            + "SELECT sleepEachRow(3) FROM numbers(1000000000) SETTINGS max_block_size=1 FORMAT Null";
    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseProcess.class);

    private final ProcessHandle process;
    private final int httpPort;
    private final int tcpPort;
    private final String database;
    private final Path logFile;
    private final List<String> command;
    private final OwnedProcess owned;

    private ClickHouseProcess(ProcessHandle process, int httpPort, int tcpPort, String database, Path logFile,
            List<String> command) {
        this.process = process;
        this.owned = new OwnedProcess(process, "ClickHouse", STOP_GRACE);
        this.httpPort = httpPort;
        this.tcpPort = tcpPort;
        this.database = database;
        this.logFile = logFile;
        this.command = List.copyOf(command);
    }

    /** Installs the engine and the launcher (for CI's pre-install step), logging where they are. */
    public static void main(String[] args) {
        if (args.length != 0) {
            LOG.error("Usage: ClickHouseProcess (no arguments): installs {}@{} and its launcher into {}", NPM_PACKAGE,
                    version(), ServiceArtifacts.cacheDir());
            System.exit(2);
        }
        try {
            Path launcher = install();
            LOG.info("ClickHouse {} launcher ready: {}", version(), launcher);
        } catch (RuntimeException e) {
            LOG.error("Cannot install ClickHouse: {}", e.getMessage(), e);
            System.exit(1);
        }
    }

    /** The pinned version of {@value #NPM_PACKAGE}, e.g. {@code 26.7.3-stable.1}. */
    public static String version() {
        Properties properties = new Properties();
        try (InputStream in = ClickHouseProcess.class.getResourceAsStream("ClickHouse.properties")) {
            if (in == null) {
                throw new IllegalStateException("io/tlsxtractor/localstack/ClickHouse.properties is missing from the classpath");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String value = properties.getProperty("chdb.version");
        if (value == null || value.startsWith("${")) {
            throw new IllegalStateException("ClickHouse.properties has no resolved chdb.version: the module was built "
                    + "without resource filtering");
        }
        return value;
    }

    /** Where {@link #install()} puts this version: {@code <services dir>/chdb-<version>}. */
    public static Path installDir() {
        return ServiceArtifacts.cacheDir().resolve("chdb-" + version());
    }

    /**
     * Installs {@value #NPM_PACKAGE} with npm and builds the launcher with gcc, once per version; returns the
     * launcher. A lock file keeps concurrent installs (other JVMs included) from clashing.
     */
    public static synchronized Path install() {
        Path target = installDir();
        Path launcher = target.resolve(LAUNCHER);
        if (Files.isRegularFile(target.resolve(COMPLETE_MARKER))) {
            return launcher;
        }
        Path cache = target.getParent();
        try {
            Files.createDirectories(cache);
            try (FileChannel lockChannel = FileChannel.open(cache.resolve(target.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = lockChannel.lock()) {
                if (Files.isRegularFile(target.resolve(COMPLETE_MARKER))) {
                    return launcher;
                }
                Path npm = findExecutable(NPM_ENV, "npm").orElseThrow(() -> new IllegalStateException(
                        "npm was not found: it installs the ClickHouse engine (" + NPM_PACKAGE + "@" + version()
                                + "). Install Node.js/npm (Debian: apt-get install npm), put npm on the PATH or set "
                                + NPM_ENV));
                Path gcc = findExecutable(CC_ENV, "gcc").orElseThrow(() -> new IllegalStateException(
                        "gcc was not found: it builds the small launcher that runs the ClickHouse engine. Install it "
                                + "(Debian: apt-get install gcc), put gcc on the PATH or set " + CC_ENV));
                Path staging = Files.createTempDirectory(cache, target.getFileName() + ".installing-");
                LOG.info("Installing {}@{} with {} into {} (~180 MB download)", NPM_PACKAGE, version(), npm, target);
                run(List.of(npm.toString(), "install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund",
                        "--ignore-scripts", "--prefix", staging.toString(), NPM_PACKAGE + "@" + version()),
                        staging, cache.resolve(target.getFileName() + ".npm-install.log"), "npm install of " + NPM_PACKAGE);
                Path library = staging.resolve(PACKAGE_DIR).resolve(LIBRARY);
                if (!Files.isRegularFile(library)) {
                    throw new IllegalStateException("npm installed " + NPM_PACKAGE + "@" + version() + " but " + library
                            + " is missing (is this machine linux-x64 with glibc?)");
                }
                Path source = staging.resolve(LAUNCHER_SOURCE);
                try (InputStream in = ClickHouseProcess.class.getResourceAsStream(LAUNCHER_SOURCE)) {
                    if (in == null) {
                        throw new IllegalStateException("io/tlsxtractor/localstack/" + LAUNCHER_SOURCE
                                + " is missing from the classpath");
                    }
                    Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
                }
                // $ORIGIN keeps the launcher finding libchdb.so after the staging directory is renamed.
                run(List.of(gcc.toString(), "-O2", "-o", staging.resolve(LAUNCHER).toString(), source.toString(),
                        "-L" + library.getParent(), "-l:" + LIBRARY, "-Wl,-rpath,$ORIGIN/" + PACKAGE_DIR),
                        staging, cache.resolve(target.getFileName() + ".gcc.log"), "gcc build of the ClickHouse launcher");
                Files.writeString(staging.resolve(COMPLETE_MARKER), NPM_PACKAGE + "@" + version());
                deleteTree(target);
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                LOG.info("Installed ClickHouse {} into {}", version(), target);
                return launcher;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot install " + NPM_PACKAGE + "@" + version() + " into " + target + ": "
                    + e.getMessage(), e);
        }
    }

    /** Starts the server (installing it first if needed) and returns once it answers and the database exists. */
    public static ClickHouseProcess start(ClickHouseSettings settings) {
        Path launcher = install();
        Path dataDir = settings.dataDir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDir.resolve("data"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the ClickHouse data directory " + dataDir + ": " + e.getMessage(), e);
        }
        Properties recorded = KafkaNode.load(dataDir.resolve(STATE_FILE));
        int httpPort = choosePort(settings.httpPort(), recorded.getProperty("http.port"), "ClickHouse HTTP", -1);
        int tcpPort = choosePort(settings.tcpPort(), recorded.getProperty("tcp.port"), "ClickHouse native (TCP)", httpPort);
        List<String> command = List.of(launcher.toString(),
                // Trailing slash: clickhouse-local treats --path as a directory prefix.
                "--path=" + dataDir.resolve("data") + File.separator,
                "--listen_host=" + Ports.LOOPBACK_HOST,
                "--http_port=" + httpPort,
                "--tcp_port=" + tcpPort,
                "--log-level=warning",
                "--query", SERVE_QUERY);
        Path logFile = dataDir.resolve(LOG_FILE);
        Process child;
        try {
            ChildProcesses.rotate(logFile);
            child = ChildProcesses.startLogged(command, Map.of(), dataDir, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start ClickHouse (" + launcher + "): " + e.getMessage(), e);
        }
        ClickHouseProcess server = new ClickHouseProcess(child.toHandle(), httpPort, tcpPort, settings.database(),
                logFile, command);
        LOG.info("Starting ClickHouse {} (pid {}) on HTTP {} / native {} (log {})", version(), child.pid(), httpPort,
                tcpPort, logFile);
        try {
            server.awaitReady(Instant.now().plus(settings.startTimeout()), settings.startTimeout());
            server.run("CREATE DATABASE IF NOT EXISTS " + settings.database() + " ENGINE = Atomic", "");
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        Properties state = new Properties();
        state.setProperty("http.port", Integer.toString(httpPort));
        state.setProperty("tcp.port", Integer.toString(tcpPort));
        KafkaNode.store(state, dataDir.resolve(STATE_FILE), "Ports chosen at the first start of this ClickHouse directory.");
        LOG.info("ClickHouse {} ready at {} (database {})", version(), server.url(), settings.database());
        return server;
    }

    private static int choosePort(int requested, String recorded, String purpose, int taken) {
        if (requested != 0) {
            Ports.requireFree(requested, purpose);
            return requested;
        }
        if (recorded != null) {
            int port = Integer.parseInt(recorded);
            if (port != taken && Ports.isFree(port)) {
                return port;
            }
        }
        int port = Ports.freeLoopbackPort();
        while (port == taken) {
            port = Ports.freeLoopbackPort();
        }
        return port;
    }

    private void awaitReady(Instant deadline, Duration timeout) {
        HttpClient http = http();
        HttpRequest ping = HttpRequest.newBuilder(URI.create(httpUrl() + "/ping")).timeout(Duration.ofSeconds(3)).GET().build();
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw failure("exited before GET /ping answered");
            }
            try {
                HttpResponse<String> response = http.send(ping, HttpResponse.BodyHandlers.ofString());
                last = "HTTP " + response.statusCode() + " " + response.body().strip();
                if (response.statusCode() == 200 && response.body().strip().equals("Ok.")) {
                    if (Ports.accepts(tcpPort, 1000)) {
                        return;
                    }
                    last = "HTTP answers but the native port " + tcpPort + " does not accept";
                }
            } catch (IOException notYetListening) {
                // The listeners open after the engine has loaded its metadata; keep polling until the deadline.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("start was interrupted");
            }
            sleep(100);
        }
        throw failure("did not answer GET " + httpUrl() + "/ping with Ok. within " + timeout + " (last: " + last + ")");
    }

    /**
     * Runs one statement over HTTP and returns the answer body (TabSeparated unless the SQL says otherwise).
     * Fails with the server's error text on any status but 200.
     */
    public String query(String sql) {
        return queryIn(database, sql);
    }

    /** Like {@link #query(String)}, with {@code databaseName} as the current database (it must exist). */
    public String queryIn(String databaseName, String sql) {
        return run(sql, "/?database=" + URLEncoder.encode(databaseName, StandardCharsets.UTF_8));
    }

    private String run(String sql, String parameters) {
        String uri = httpUrl() + (parameters.isEmpty() ? "/" : parameters);
        try {
            HttpResponse<String> response = http().send(HttpRequest.newBuilder(URI.create(uri))
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8))
                    .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new IllegalStateException("ClickHouse at " + httpUrl() + " answered HTTP " + response.statusCode()
                        + " to [" + sql + "]: " + response.body().strip());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("ClickHouse at " + httpUrl() + " could not run [" + sql + "]: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while ClickHouse ran [" + sql + "]", e);
        }
    }

    private IllegalStateException failure(String what) {
        return new IllegalStateException("ClickHouse " + version() + " (pid " + process.pid() + ", HTTP port " + httpPort
                + ", native port " + tcpPort + ") " + what + "; " + logFile + " ends with:" + System.lineSeparator()
                + ChildProcesses.tail(logFile, 40));
    }

    private static void run(List<String> command, Path workDir, Path log, String what) throws IOException {
        Process process = ChildProcesses.startLogged(command, Map.of(), workDir, log);
        try {
            if (!process.waitFor(INSTALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                ChildProcesses.stop(process.toHandle(), Duration.ofSeconds(5));
                throw new IllegalStateException(what + " took longer than " + INSTALL_TIMEOUT + "; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(what + " failed (exit " + process.exitValue() + ", command "
                        + String.join(" ", command) + "); " + log + " ends with:" + System.lineSeparator()
                        + ChildProcesses.tail(log, 20));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ChildProcesses.stop(process.toHandle(), Duration.ofSeconds(5));
            throw new IllegalStateException("Interrupted during " + what, e);
        }
    }

    /** {@code $<env>} when set (it must be executable), else {@code name} on the PATH. */
    static Optional<Path> findExecutable(String env, String name) {
        String explicit = System.getenv(env);
        if (explicit != null && !explicit.isBlank()) {
            Path path = Path.of(explicit);
            if (!Files.isExecutable(path)) {
                throw new IllegalStateException(env + "=" + explicit + " is not an executable file");
            }
            return Optional.of(path);
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                Path candidate = Path.of(entry, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
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

    private String httpUrl() {
        return "http://" + Ports.LOOPBACK_HOST + ":" + httpPort;
    }

    /** The HTTP endpoint, {@code http://127.0.0.1:<port>}: what client-v2 and Grafana connect to. */
    public String url() {
        return httpUrl();
    }

    public int httpPort() {
        return httpPort;
    }

    public int tcpPort() {
        return tcpPort;
    }

    /** The project's database (created with {@code ENGINE = Atomic}). */
    public String database() {
        return database;
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    /** The command line the server was started with. */
    public List<String> command() {
        return command;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Lets the server outlive this JVM: {@link #close()} still stops it when called. */
    public ClickHouseProcess detach() {
        owned.detach();
        return this;
    }

    /** Stops the server by its PID: SIGTERM, then SIGKILL if it has not stopped after 15 s. */
    @Override
    public void close() {
        owned.close();
    }
}
