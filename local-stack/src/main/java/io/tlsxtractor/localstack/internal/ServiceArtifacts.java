package io.tlsxtractor.localstack.internal;

import io.tlsxtractor.localstack.ChildProcesses;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service distributions from Maven artifacts: found in the local repository, fetched with Maven
 * when absent (so the configured mirrors apply), unpacked once into the services cache.
 */
public final class ServiceArtifacts {

    public static final String SERVICES_DIR_ENV = "TLSXTRACTOR_SERVICES_DIR";
    public static final String MVN_ENV = "TLSXTRACTOR_MVN";
    private static final String GET_GOAL = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get";
    private static final Duration FETCH_TIMEOUT = Duration.ofMinutes(15);
    private static final String COMPLETE_MARKER = ".complete";
    private static final Logger LOG = LoggerFactory.getLogger(ServiceArtifacts.class);

    /** Maven coordinates {@code groupId:artifactId:version:type:classifier}. */
    public record Coordinates(String groupId, String artifactId, String version, String type, String classifier) {
        public String fileName() {
            return artifactId + "-" + version + (classifier.isEmpty() ? "" : "-" + classifier) + "." + type;
        }

        public Path pathIn(Path repository) {
            return repository.resolve(groupId.replace('.', File.separatorChar)).resolve(artifactId).resolve(version)
                    .resolve(fileName());
        }

        @Override
        public String toString() {
            return groupId + ":" + artifactId + ":" + version + ":" + type + (classifier.isEmpty() ? "" : ":" + classifier);
        }
    }

    private ServiceArtifacts() {
    }

    /** {@code $TLSXTRACTOR_SERVICES_DIR}, else {@code ~/.tlsxtractor/services}. */
    public static Path cacheDir() {
        String env = System.getenv(SERVICES_DIR_ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".tlsxtractor", "services");
    }

    /** The system property {@code maven.repo.local}, else {@code ~/.m2/repository}. */
    public static Path localRepository() {
        String property = System.getProperty("maven.repo.local");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /**
     * The directory holding the unpacked distribution, {@code <cacheDir>/<name>-<version>}. Unpacks
     * it on first use; a lock file keeps concurrent starts (other JVMs included) from clashing.
     */
    public static synchronized Path unpacked(Coordinates artifact, String name) {
        Path cache = cacheDir();
        Path target = cache.resolve(name + "-" + artifact.version());
        if (Files.isRegularFile(target.resolve(COMPLETE_MARKER))) {
            return target;
        }
        try {
            Files.createDirectories(cache);
            try (FileChannel lockChannel = FileChannel.open(cache.resolve(name + "-" + artifact.version() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = lockChannel.lock()) {
                if (Files.isRegularFile(target.resolve(COMPLETE_MARKER))) {
                    return target;
                }
                Path archive = resolve(artifact, cache);
                Path staging = Files.createTempDirectory(cache, name + "-" + artifact.version() + ".unpacking-");
                LOG.info("Unpacking {} into {}", archive, target);
                if (artifact.type().equals("zip")) {
                    unzip(archive, staging);
                } else {
                    untar(archive, staging);
                }
                Files.writeString(staging.resolve(COMPLETE_MARKER), artifact.toString());
                deleteTree(target);
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                return target;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack " + artifact + " into " + target + ": " + e.getMessage(), e);
        }
    }

    /** The artifact file in the local repository, fetched with Maven first when absent. */
    public static Path resolve(Coordinates artifact, Path logDir) {
        Path repository = localRepository();
        Path file = artifact.pathIn(repository);
        if (Files.isRegularFile(file)) {
            return file;
        }
        Path mvn = findMaven(System.getenv()).orElseThrow(() -> new IllegalStateException(artifact + " is not in "
                + repository + " and Maven was not found to fetch it: set " + MVN_ENV + " or put mvn on the PATH"));
        Path log = logDir.resolve("maven-get-" + artifact.artifactId() + "-" + artifact.version() + ".log");
        List<String> command = new ArrayList<>(List.of(mvn.toString(), "-B", GET_GOAL,
                "-Dartifact=" + artifact, "-Dtransitive=false"));
        if (System.getProperty("maven.repo.local") != null) {
            command.add("-Dmaven.repo.local=" + repository);
        }
        LOG.info("Fetching {} with {} (log: {})", artifact, mvn, log);
        try {
            Files.createDirectories(logDir);
            Process process = ChildProcesses.startLogged(command, Map.of(), logDir, log);
            if (!process.waitFor(FETCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                ChildProcesses.stop(process.toHandle(), Duration.ofSeconds(5));
                throw new IllegalStateException("Fetching " + artifact + " with Maven took longer than " + FETCH_TIMEOUT
                        + "; see " + log);
            }
            if (process.exitValue() != 0 || !Files.isRegularFile(file)) {
                throw new IllegalStateException("Fetching " + artifact + " with Maven failed (exit " + process.exitValue()
                        + "); " + log + " ends with:" + System.lineSeparator() + ChildProcesses.tail(log, 20));
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + mvn + " to fetch " + artifact + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while fetching " + artifact, e);
        }
    }

    /** {@code $TLSXTRACTOR_MVN}, else {@code mvn} on the PATH. */
    public static Optional<Path> findMaven(Map<String, String> env) {
        String explicit = env.get(MVN_ENV);
        if (explicit != null && !explicit.isBlank()) {
            Path path = Path.of(explicit);
            if (!Files.isExecutable(path)) {
                throw new IllegalStateException(MVN_ENV + "=" + explicit + " is not an executable file");
            }
            return Optional.of(path);
        }
        String pathVariable = env.getOrDefault("PATH", "");
        for (String entry : pathVariable.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(entry, "mvn");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static void untar(Path archive, Path into) throws IOException {
        Path log = into.resolveSibling(into.getFileName() + ".tar.log");
        Process process = ChildProcesses.startLogged(
                List.of("tar", "-xzf", archive.toString(), "-C", into.toString()), Map.of(), into, log);
        try {
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                ChildProcesses.stop(process.toHandle(), Duration.ofSeconds(5));
                throw new IOException("tar could not unpack " + archive + ": " + ChildProcesses.tail(log, 10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while unpacking " + archive, e);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    static void unzip(Path archive, Path into) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        try (InputStream file = Files.newInputStream(archive); ZipInputStream zip = new ZipInputStream(file)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                Path out = root.resolve(entry.getName()).normalize();
                if (!out.startsWith(root)) {
                    throw new IOException("Entry " + entry.getName() + " of " + archive + " points outside " + root);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(zip, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
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
}
