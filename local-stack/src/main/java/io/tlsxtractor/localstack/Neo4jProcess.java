package io.tlsxtractor.localstack;

import io.tlsxtractor.localstack.internal.JavaRuntimes;
import io.tlsxtractor.localstack.internal.KafkaNode;
import io.tlsxtractor.localstack.internal.OwnedProcess;
import io.tlsxtractor.localstack.internal.Ports;
import io.tlsxtractor.localstack.internal.ServiceArtifacts;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Neo4j Community server as a child process, reached over Bolt (and HTTP) on 127.0.0.1.
 *
 * <p>The server's jars are installed on demand by Maven into {@code <services dir>/neo4j-<version>/lib} and are only
 * ever on the child's class path, never on the application's: the application talks to it with the driver, as it
 * talks to a user's real server. The data directory holds {@code conf/neo4j.conf}, the store, the logs and the ports
 * chosen at the first start, so a restart on the same directory keeps the data and the address.
 *
 * <p>A JVM shutdown hook stops the server unless {@link #detach()} was called.
 */
public final class Neo4jProcess implements AutoCloseable {

    /** A part of the command line that identifies a server started by this class. */
    public static final String COMMAND_MARKER = "-Dtlsxtractor.service=neo4j";
    /** The user whose password {@link Neo4jSettings#password()} sets. */
    public static final String USER = "neo4j";
    static final String LOG_FILE = "neo4j.log";
    private static final String STATE_FILE = "tlsxtractor-neo4j.properties";
    private static final String INSTALL_POM = "/io/tlsxtractor/localstack/neo4j/install-pom.xml";
    private static final String VERSION_FILE = "/io/tlsxtractor/localstack/neo4j/neo4j.properties";
    private static final String COMPLETE_MARKER = ".complete";
    private static final String COPY_GOAL = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies";
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(20);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    /** Bolt's preamble, then four proposed versions (5.0–5.8 as a range, 4.4): a Bolt server answers one of them. */
    private static final byte[] BOLT_HANDSHAKE = {
        0x60, 0x60, (byte) 0xB0, 0x17,
        0, 8, 8, 5,
        0, 0, 4, 4,
        0, 0, 0, 0,
        0, 0, 0, 0};
    private static final Logger LOG = LoggerFactory.getLogger(Neo4jProcess.class);

    private final ProcessHandle process;
    private final int boltPort;
    private final int httpPort;
    private final String password;
    private final String version;
    private final Path dataDir;
    private final Path logFile;
    private final List<String> command;
    private final OwnedProcess owned;

    private Neo4jProcess(ProcessHandle process, int boltPort, int httpPort, String password, String version,
            Path dataDir, Path logFile, List<String> command) {
        this.process = process;
        this.owned = new OwnedProcess(process, "Neo4j", STOP_GRACE);
        this.boltPort = boltPort;
        this.httpPort = httpPort;
        this.password = password;
        this.version = version;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.command = List.copyOf(command);
    }

    /** Installs the server if needed (see {@link #install()}); for CI, so that test time is not download time. */
    public static void main(String[] args) {
        LOG.info("Neo4j {} is installed in {}", version(), install());
    }

    /** The Neo4j server version this class runs, from the parent pom's {@code neo4j.version}. */
    public static String version() {
        Properties p = new Properties();
        try (InputStream in = Neo4jProcess.class.getResourceAsStream(VERSION_FILE)) {
            if (in == null) {
                throw new IllegalStateException(VERSION_FILE + " is missing from the classpath");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + VERSION_FILE + ": " + e.getMessage(), e);
        }
        String value = p.getProperty("neo4j.version");
        if (value == null || value.startsWith("${")) {
            throw new IllegalStateException(VERSION_FILE + " has no resolved neo4j.version: the module was built without"
                    + " resource filtering");
        }
        return value;
    }

    /**
     * The server's home, {@code <services dir>/neo4j-<version>}, with every jar of the server in {@code lib/}. On first
     * use runs Maven ({@value ServiceArtifacts#MVN_ENV} or {@code mvn} on the PATH) on a pom depending on
     * {@code org.neo4j:neo4j}; a lock file keeps concurrent installs (other JVMs included) from clashing.
     */
    public static synchronized Path install() {
        String version = version();
        Path cache = ServiceArtifacts.cacheDir().toAbsolutePath();
        Path home = cache.resolve("neo4j-" + version);
        String marker = installMarker(version);
        if (isInstalled(home, marker)) {
            return home;
        }
        try {
            Files.createDirectories(cache);
            try (FileChannel lockChannel = FileChannel.open(cache.resolve("neo4j-" + version + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = lockChannel.lock()) {
                if (isInstalled(home, marker)) {
                    return home;
                }
                Path staging = Files.createTempDirectory(cache, "neo4j-" + version + ".installing-");
                copyDependencies(staging, version);
                Files.writeString(staging.resolve(COMPLETE_MARKER), marker);
                deleteTree(home);
                Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
                LOG.info("Installed Neo4j {} into {}", version, home);
                return home;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot install Neo4j " + version + " into " + home + ": " + e.getMessage(), e);
        }
    }

    /** What an install from the current pom writes as its marker: a changed pom makes the next start reinstall. */
    private static String installMarker(String version) {
        try (InputStream in = Neo4jProcess.class.getResourceAsStream(INSTALL_POM)) {
            if (in == null) {
                throw new IllegalStateException(INSTALL_POM + " is missing from the classpath");
            }
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
            return "org.neo4j:neo4j:" + version + " pom-sha256:" + java.util.HexFormat.of().formatHex(digest);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + INSTALL_POM + ": " + e.getMessage(), e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256", e);
        }
    }

    private static boolean isInstalled(Path home, String marker) {
        Path file = home.resolve(COMPLETE_MARKER);
        try {
            return Files.isRegularFile(file) && Files.readString(file).strip().equals(marker);
        } catch (IOException e) {
            return false;
        }
    }

    private static void copyDependencies(Path staging, String version) throws IOException {
        Path pom = staging.resolve("install-pom.xml");
        try (InputStream in = Neo4jProcess.class.getResourceAsStream(INSTALL_POM)) {
            if (in == null) {
                throw new IllegalStateException(INSTALL_POM + " is missing from the classpath");
            }
            Files.copy(in, pom);
        }
        Path mvn = ServiceArtifacts.findMaven(System.getenv()).orElseThrow(() -> new IllegalStateException(
                "Neo4j " + version + " is not installed in " + staging.getParent() + " and Maven was not found to install"
                        + " it: set " + ServiceArtifacts.MVN_ENV + " or put mvn on the PATH"));
        Path log = staging.getParent().resolve("maven-install-neo4j-" + version + ".log");
        List<String> command = new ArrayList<>(List.of(mvn.toString(), "-B", "-f", pom.toString(), COPY_GOAL,
                "-DincludeScope=runtime", "-DoutputDirectory=" + staging.resolve("lib")));
        if (System.getProperty("maven.repo.local") != null) {
            command.add("-Dmaven.repo.local=" + ServiceArtifacts.localRepository());
        }
        LOG.info("Installing Neo4j {} with {} (log: {})", version, mvn, log);
        Files.deleteIfExists(log);
        Process maven = ChildProcesses.startLogged(command, Map.of(), staging, log);
        try {
            if (!maven.waitFor(INSTALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                ChildProcesses.stop(maven.toHandle(), Duration.ofSeconds(5));
                throw new IllegalStateException("Installing Neo4j " + version + " with Maven took longer than "
                        + INSTALL_TIMEOUT + "; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while installing Neo4j " + version, e);
        }
        Path serverJar = staging.resolve("lib").resolve("neo4j-" + version + ".jar");
        if (maven.exitValue() != 0 || !Files.isRegularFile(serverJar)) {
            throw new IllegalStateException("Installing Neo4j " + version + " with Maven failed (exit " + maven.exitValue()
                    + (Files.isRegularFile(serverJar) ? "" : ", no " + serverJar) + "); " + log + " ends with:"
                    + System.lineSeparator() + ChildProcesses.tail(log, 20));
        }
    }

    /** Installs the server if needed, starts it and returns once Bolt answers a handshake and HTTP accepts. */
    public static Neo4jProcess start(Neo4jSettings settings) {
        Path dataDir = settings.dataDir().toAbsolutePath().normalize();
        Path home = install();
        String version = version();
        Path confDir = dataDir.resolve("conf");
        Path stateFile = dataDir.resolve(STATE_FILE);
        Properties state = KafkaNode.load(stateFile);
        int boltPort = choosePort(settings.boltPort(), state.getProperty("bolt.port"), "Neo4j Bolt", -1);
        int httpPort = choosePort(settings.httpPort(), state.getProperty("http.port"), "Neo4j HTTP", boltPort);
        Path logFile = dataDir.resolve(LOG_FILE);
        try {
            Files.createDirectories(confDir);
            Files.writeString(confDir.resolve("neo4j.conf"), config(dataDir, boltPort, httpPort, settings));
            ChildProcesses.rotate(logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the Neo4j directory " + dataDir + ": " + e.getMessage(), e);
        }
        Map<String, String> environment = Map.of("NEO4J_HOME", home.toString(), "NEO4J_CONF", confDir.toString());
        String java = JavaRuntimes.currentJavaBinary().toString();
        String classPath = home.resolve("lib") + "/*";
        if (!Files.isRegularFile(dataDir.resolve("data").resolve("dbms").resolve("auth.ini"))) {
            setInitialPassword(java, classPath, home, confDir, environment, dataDir, logFile, settings.password());
        }

        List<String> command = new ArrayList<>(List.of(java, COMMAND_MARKER,
                "-Xms" + settings.heap(), "-Xmx" + settings.heap(),
                "-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow", "-XX:+DisableExplicitGC",
                "-Djdk.nio.maxCachedBufferSize=1024", "-Dio.netty.tryReflectionSetAccessible=true",
                "-Dlog4j2.disable.jmx=true",
                // The options Neo4j's own launcher adds: the page cache and Netty reach into these JDK packages.
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                "-cp", classPath,
                "org.neo4j.server.CommunityEntryPoint", "--home-dir=" + home, "--config-dir=" + confDir));
        Process child;
        try {
            child = ChildProcesses.startLogged(command, environment, dataDir, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Neo4j (" + java + "): " + e.getMessage(), e);
        }
        Neo4jProcess neo4j = new Neo4jProcess(child.toHandle(), boltPort, httpPort, settings.password(), version, dataDir,
                logFile, command);
        LOG.info("Starting Neo4j {} (pid {}) with Bolt on {} (log {})", version, child.pid(), neo4j.boltUri(), logFile);
        try {
            neo4j.awaitBolt(Instant.now().plus(settings.startTimeout()), settings.startTimeout());
        } catch (RuntimeException e) {
            neo4j.close();
            throw e;
        }
        state.setProperty("bolt.port", Integer.toString(boltPort));
        state.setProperty("http.port", Integer.toString(httpPort));
        KafkaNode.store(state, stateFile, "Ports chosen at the first start of this Neo4j directory.");
        LOG.info("Neo4j {} ready at {}", version, neo4j.boltUri());
        return neo4j;
    }

    static String config(Path dataDir, int boltPort, int httpPort, Neo4jSettings settings) {
        String nl = System.lineSeparator();
        return String.join(nl,
                "# Written by the TLSXtractor local stack at every start: edits are overwritten.",
                "server.directories.data=" + dataDir.resolve("data"),
                "server.directories.logs=" + dataDir.resolve("logs"),
                "server.directories.run=" + dataDir.resolve("run"),
                "server.directories.import=" + dataDir.resolve("import"),
                "server.directories.plugins=" + dataDir.resolve("plugins"),
                "server.default_listen_address=" + Ports.LOOPBACK_HOST,
                "server.default_advertised_address=" + Ports.LOOPBACK_HOST,
                "server.bolt.enabled=true",
                "server.bolt.listen_address=" + Ports.LOOPBACK_HOST + ":" + boltPort,
                "server.bolt.advertised_address=" + Ports.LOOPBACK_HOST + ":" + boltPort,
                "server.http.enabled=true",
                "server.http.listen_address=" + Ports.LOOPBACK_HOST + ":" + httpPort,
                "server.http.advertised_address=" + Ports.LOOPBACK_HOST + ":" + httpPort,
                "server.https.enabled=false",
                "dbms.security.auth_enabled=true",
                "server.memory.heap.initial_size=" + settings.heap(),
                "server.memory.heap.max_size=" + settings.heap(),
                "server.memory.pagecache.size=" + settings.pageCache(),
                // A development store: no 250 MB preallocated transaction logs.
                "db.tx_log.preallocate=false",
                "dbms.usage_report.enabled=false",
                // Without these a stop waits ~10 s for Bolt connections that will never finish (STACK.md).
                "internal.server.bolt.thread_pool_shutdown_wait_time=0s",
                "internal.server.bolt.connection_shutdown_wait_time=0s",
                "");
    }

    private static void setInitialPassword(String java, String classPath, Path home, Path confDir,
            Map<String, String> environment, Path dataDir, Path logFile, String password) {
        List<String> command = List.of(java, "-Xmx256m", "-cp", classPath, "org.neo4j.server.startup.Neo4jAdminCommand",
                "dbms", "set-initial-password", password);
        try {
            Process admin = ChildProcesses.startLogged(command, environment, dataDir, logFile);
            if (!admin.waitFor(2, TimeUnit.MINUTES)) {
                ChildProcesses.stop(admin.toHandle(), Duration.ofSeconds(5));
                throw new IllegalStateException("Setting the initial Neo4j password in " + dataDir + " took longer than"
                        + " 2 minutes; " + logFile + " ends with:" + System.lineSeparator() + ChildProcesses.tail(logFile, 30));
            }
            if (admin.exitValue() != 0) {
                throw new IllegalStateException("Setting the initial Neo4j password in " + dataDir + " failed (neo4j-admin"
                        + " exit " + admin.exitValue() + ", home " + home + ", conf " + confDir + "); " + logFile
                        + " ends with:" + System.lineSeparator() + ChildProcesses.tail(logFile, 30));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run neo4j-admin (" + java + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while setting the initial Neo4j password", e);
        }
    }

    private static int choosePort(int requested, String recorded, String purpose, int taken) {
        if (requested != 0) {
            Ports.requireFree(requested, purpose);
            return requested;
        }
        if (recorded != null && Integer.parseInt(recorded) != taken && Ports.isFree(Integer.parseInt(recorded))) {
            return Integer.parseInt(recorded);
        }
        int port = Ports.freeLoopbackPort();
        while (port == taken) {
            port = Ports.freeLoopbackPort();
        }
        return port;
    }

    private void awaitBolt(Instant deadline, Duration timeout) {
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw failure("exited before Bolt accepted connections");
            }
            // HTTP opens after Bolt; a caller handed a ready server may use either.
            if (boltHandshake(boltPort) && Ports.accepts(httpPort, 1000)) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("start was interrupted");
            }
        }
        throw failure("did not answer a Bolt handshake on " + Ports.LOOPBACK_HOST + ":" + boltPort + " and accept HTTP on "
                + Ports.LOOPBACK_HOST + ":" + httpPort + " within " + timeout);
    }

    /** Whether a Bolt server on 127.0.0.1:{@code port} agrees to one of the Bolt versions the driver speaks. */
    static boolean boltHandshake(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(Ports.loopback(), port), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write(BOLT_HANDSHAKE);
            out.flush();
            int agreed = new DataInputStream(socket.getInputStream()).readInt();
            return agreed != 0;
        } catch (IOException notYet) {
            // Not listening yet, or the connector is still starting: poll again until the deadline.
            return false;
        }
    }

    private IllegalStateException failure(String what) {
        return new IllegalStateException("Neo4j " + version + " (pid " + process.pid() + ", Bolt port " + boltPort
                + ", data " + dataDir + ") " + what + "; " + logFile + " ends with:" + System.lineSeparator()
                + ChildProcesses.tail(logFile, 30) + System.lineSeparator() + "and the server's own "
                + dataDir.resolve("logs").resolve("neo4j.log") + " with:" + System.lineSeparator()
                + ChildProcesses.tail(dataDir.resolve("logs").resolve("neo4j.log"), 20));
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

    /** {@code bolt://127.0.0.1:<port>}. */
    public String boltUri() {
        return "bolt://" + Ports.LOOPBACK_HOST + ":" + boltPort;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String httpUrl() {
        return "http://" + Ports.LOOPBACK_HOST + ":" + httpPort;
    }

    public int boltPort() {
        return boltPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The user to log in as, {@value #USER}. */
    public String user() {
        return USER;
    }

    /** The password of {@link #user()}. */
    public String password() {
        return password;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String serverVersion() {
        return version;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** The command line the server was started with. */
    public List<String> command() {
        return command;
    }

    /** Lets the server outlive this JVM: {@link #close()} still stops it when called. */
    public Neo4jProcess detach() {
        owned.detach();
        return this;
    }

    /** Stops the server by its PID: SIGTERM (a clean shutdown), then SIGKILL if it has not stopped after 30 s. */
    @Override
    public void close() {
        owned.close();
    }
}
