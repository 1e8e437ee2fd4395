package io.tlsxtractor.sinks.connect;

import io.tlsxtractor.sinks.connect.testplugin.LineFileSinkConnector;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/** Builds the test sink plugin as Connect expects it under plugin.path, and a class path without it. */
final class TestPlugins {

    static final String CONNECTOR_CLASS = LineFileSinkConnector.class.getName();

    private TestPlugins() {
    }

    /** {@code <root>/line-file-sink/line-file-sink.jar} with the connector's classes and its services entry. */
    static Path buildLineFileSinkPlugin(Path root) throws IOException {
        Path classes = testClassesDir();
        String packagePath = LineFileSinkConnector.class.getPackageName().replace('.', '/');
        Path pluginDir = Files.createDirectories(root.resolve("line-file-sink"));
        try (OutputStream file = Files.newOutputStream(pluginDir.resolve("line-file-sink.jar"));
             JarOutputStream jar = new JarOutputStream(file);
             Stream<Path> entries = Files.list(classes.resolve(packagePath))) {
            for (Path classFile : entries.filter(p -> p.toString().endsWith(".class")).toList()) {
                jar.putNextEntry(new JarEntry(packagePath + "/" + classFile.getFileName()));
                jar.write(Files.readAllBytes(classFile));
                jar.closeEntry();
            }
            jar.putNextEntry(new JarEntry("META-INF/services/org.apache.kafka.connect.sink.SinkConnector"));
            jar.write((CONNECTOR_CLASS + "\n").getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return root;
    }

    /**
     * This JVM's class path without the test classes: a child worker on it can only get the test connector from
     * plugin.path.
     */
    static String classPathWithoutTestClasses() {
        return ConnectWorkerProcess.currentClassPathWithout(testClassesDir());
    }

    private static Path testClassesDir() {
        try {
            return Path.of(LineFileSinkConnector.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toAbsolutePath().normalize();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
