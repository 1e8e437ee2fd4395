package io.tlsxtractor.localstack.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Finds a Java runtime of a minimum feature version (Apicurio Registry 3 needs Java 21+). */
public final class JavaRuntimes {

    /** Environment variable naming a Java 21+ home to run services that need it. */
    public static final String JAVA21_HOME_ENV = "TLSXTRACTOR_JAVA21_HOME";
    public static final Path DEFAULT_JVM_ROOT = Path.of("/usr/lib/jvm");

    private static final Pattern JAVA_VERSION_LINE =
            Pattern.compile("^JAVA_VERSION\\s*=\\s*\"?([^\"\\s]+)\"?\\s*$", Pattern.MULTILINE);
    private static final Pattern LEADING_NUMBERS = Pattern.compile("^(\\d+)(?:\\.(\\d+))?");

    /** A Java runtime found on this machine; {@code origin} says where it was found. */
    public record JavaRuntime(Path javaBinary, int featureVersion, String origin) {
    }

    private JavaRuntimes() {
    }

    /**
     * The feature version of a Java version string: {@code 25.0.3} gives 25, {@code 21} gives 21,
     * {@code 21-ea} gives 21, and the old scheme {@code 1.8.0_292} gives 8.
     */
    public static OptionalInt featureVersion(String javaVersion) {
        Matcher m = LEADING_NUMBERS.matcher(javaVersion.trim());
        if (!m.find()) {
            return OptionalInt.empty();
        }
        int first = Integer.parseInt(m.group(1));
        if (first == 1 && m.group(2) != null) {
            return OptionalInt.of(Integer.parseInt(m.group(2)));
        }
        return OptionalInt.of(first);
    }

    /** The feature version in the text of a JDK's {@code release} file ({@code JAVA_VERSION="25.0.3"}). */
    public static OptionalInt featureVersionFromRelease(String releaseFileText) {
        Matcher m = JAVA_VERSION_LINE.matcher(releaseFileText);
        return m.find() ? featureVersion(m.group(1)) : OptionalInt.empty();
    }

    /** The runtime at {@code home} if it has {@code bin/java} and a readable {@code release} file. */
    public static Optional<JavaRuntime> atHome(Path home, String origin) {
        Path release = home.resolve("release");
        Path java = home.resolve("bin").resolve("java");
        if (!Files.isRegularFile(release) || !Files.isExecutable(java)) {
            return Optional.empty();
        }
        try {
            OptionalInt feature = featureVersionFromRelease(Files.readString(release));
            return feature.isPresent()
                    ? Optional.of(new JavaRuntime(java, feature.getAsInt(), origin))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The java binary of this JVM. */
    public static Path currentJavaBinary() {
        return ProcessHandle.current().info().command()
                .map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    /** Looks for Java {@code minFeature}+ on this machine, in the order described on {@link #find}. */
    public static Optional<JavaRuntime> find(int minFeature) {
        return find(minFeature, System.getenv(), Runtime.version().feature(), currentJavaBinary(), DEFAULT_JVM_ROOT);
    }

    /**
     * Looks for Java {@code minFeature}+: {@value #JAVA21_HOME_ENV} (which must then be valid), the
     * current JVM, {@code JAVA_HOME}, then the newest JDK under {@code jvmRoot}.
     */
    public static Optional<JavaRuntime> find(int minFeature, Map<String, String> env, int currentFeature,
            Path currentJava, Path jvmRoot) {
        String explicit = env.get(JAVA21_HOME_ENV);
        if (explicit != null && !explicit.isBlank()) {
            JavaRuntime runtime = atHome(Path.of(explicit), JAVA21_HOME_ENV).orElseThrow(() -> new IllegalStateException(
                    JAVA21_HOME_ENV + "=" + explicit + " is not a Java home (no bin/java or release file)"));
            if (runtime.featureVersion() < minFeature) {
                throw new IllegalStateException(JAVA21_HOME_ENV + "=" + explicit + " is Java "
                        + runtime.featureVersion() + ", but Java " + minFeature + "+ is needed");
            }
            return Optional.of(runtime);
        }
        if (currentFeature >= minFeature) {
            return Optional.of(new JavaRuntime(currentJava, currentFeature, "this JVM"));
        }
        String javaHome = env.get("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            Optional<JavaRuntime> runtime = atHome(Path.of(javaHome), "JAVA_HOME")
                    .filter(r -> r.featureVersion() >= minFeature);
            if (runtime.isPresent()) {
                return runtime;
            }
        }
        return scan(jvmRoot).stream()
                .filter(r -> r.featureVersion() >= minFeature)
                .max(Comparator.comparingInt(JavaRuntime::featureVersion));
    }

    private static List<JavaRuntime> scan(Path jvmRoot) {
        List<JavaRuntime> found = new ArrayList<>();
        if (!Files.isDirectory(jvmRoot)) {
            return found;
        }
        try (Stream<Path> homes = Files.list(jvmRoot)) {
            homes.sorted().forEach(home -> atHome(home, home.toString()).ifPresent(found::add));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + jvmRoot, e);
        }
        return found;
    }
}
