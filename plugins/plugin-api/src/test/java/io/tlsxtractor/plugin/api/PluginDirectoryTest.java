package io.tlsxtractor.plugin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlsxtractor.plugin.api.internal.SpiOnlyClassLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Plugins installed in a plugin directory: each jar or sub-directory is compiled and packed here,
 * at test time, so that its classes are on no class path but the plugin's own.
 */
class PluginDirectoryTest {
    private static final String PLUGIN_CLASS = "com.example.dirplugin.NamedExtractor";

    /**
     * The same class name in every jar; each copy answers with its own plugin name and says
     * whether the application's classes (here AssertJ, on the test class path) are visible to it.
     */
    private static String pluginSource(String pluginName) {
        return """
                package com.example.dirplugin;

                import io.tlsxtractor.plugin.api.DomainExtractor;
                import io.tlsxtractor.plugin.api.ExtractedName;
                import io.tlsxtractor.plugin.api.ExtractionInput;
                import java.util.List;
                import org.slf4j.LoggerFactory;

                public final class NamedExtractor implements DomainExtractor {
                    public String name() { return "%1$s"; }
                    public String version() { return "9.9"; }
                    public List<ExtractedName> extract(ExtractionInput input) {
                        LoggerFactory.getLogger(NamedExtractor.class).debug("extracting {}", input);
                        String app;
                        try {
                            Class.forName("org.assertj.core.api.Assertions", false, NamedExtractor.class.getClassLoader());
                            app = "application classes visible";
                        } catch (ClassNotFoundException e) {
                            app = "application classes hidden";
                        }
                        return List.of(ExtractedName.of("%1$s.example", "%1$s", app));
                    }
                }
                """.formatted(pluginName);
    }

    @Test
    void loadsEachJarAndSubDirectoryWithItsOwnClassLoader(@TempDir Path work) throws Exception {
        Path pluginDir = Files.createDirectories(work.resolve("plugins"));
        buildPluginJar(pluginSource("dir-alpha"), Files.createDirectories(pluginDir.resolve("alpha")).resolve("alpha.jar"),
                work.resolve("build-alpha"));
        buildPluginJar(pluginSource("dir-beta"), pluginDir.resolve("beta.jar"), work.resolve("build-beta"));
        Files.writeString(pluginDir.resolve("README.txt"), "not a plugin");

        try (PluginRegistry registry = PluginRegistry.discover(getClass().getClassLoader(), List.of(pluginDir))) {
            assertThat(registry.find("dir-alpha")).get()
                    .satisfies(info -> assertThat(info.origin()).isEqualTo(pluginDir.resolve("alpha").toString()))
                    .satisfies(info -> assertThat(info.className()).isEqualTo(PLUGIN_CLASS));
            assertThat(registry.find("dir-beta")).get()
                    .satisfies(info -> assertThat(info.origin()).isEqualTo(pluginDir.resolve("beta.jar").toString()));
            // The class path plugins are still there, once each: the directories did not re-find them.
            assertThat(registry.available()).extracting(PluginInfo::name)
                    .containsExactly("test-extractor", "test-filter", "test-enricher", "test-lines",
                            "dir-alpha", "dir-beta");

            registry.enable(List.of("dir-alpha", "dir-beta"), Map.of());
            DomainExtractor alpha = registry.extractors().get(0);
            DomainExtractor beta = registry.extractors().get(1);

            // Same class name, two classes, two loaders, neither the application's.
            assertThat(alpha.getClass().getName()).isEqualTo(beta.getClass().getName()).isEqualTo(PLUGIN_CLASS);
            assertThat(alpha.getClass()).isNotSameAs(beta.getClass());
            ClassLoader alphaLoader = alpha.getClass().getClassLoader();
            ClassLoader betaLoader = beta.getClass().getClassLoader();
            assertThat(alphaLoader).isNotSameAs(betaLoader).isNotSameAs(getClass().getClassLoader());
            assertThat(betaLoader).isNotSameAs(getClass().getClassLoader());
            assertThat(alphaLoader.getParent()).isInstanceOf(SpiOnlyClassLoader.class);

            // Only the SPI, SLF4J and the JDK are shared with the application.
            assertThat(alphaLoader.loadClass(DomainExtractor.class.getName())).isSameAs(DomainExtractor.class);
            assertThat(alphaLoader.loadClass(LoggerFactory.class.getName())).isSameAs(LoggerFactory.class);
            assertThatThrownBy(() -> alphaLoader.loadClass(Test.class.getName()))
                    .isInstanceOf(ClassNotFoundException.class);
            assertThat(Collections.list(alphaLoader.getResources("META-INF/services/" + Plugin.class.getName())))
                    .as("the plugin sees its own services file, not the application's")
                    .singleElement().asString().endsWith("/plugins/alpha/alpha.jar!/META-INF/services/"
                            + Plugin.class.getName());

            ExtractionInput input = ExtractionInput.builder("192.0.2.7", 8443).build();
            assertThat(alpha.extract(input))
                    .containsExactly(ExtractedName.of("dir-alpha.example", "dir-alpha", "application classes hidden"));
            assertThat(beta.extract(input))
                    .containsExactly(ExtractedName.of("dir-beta.example", "dir-beta", "application classes hidden"));
        }
    }

    @Test
    void aPluginNameProvidedTwiceNamesBothOrigins(@TempDir Path work) throws Exception {
        Path pluginDir = Files.createDirectories(work.resolve("plugins"));
        Path jar = pluginDir.resolve("copy.jar");
        buildPluginJar(pluginSource("test-extractor"), jar, work.resolve("build"));

        assertThatThrownBy(() -> PluginRegistry.discover(getClass().getClassLoader(), List.of(pluginDir)))
                .isInstanceOf(PluginException.class)
                .hasMessageStartingWith("plugin name \"test-extractor\" is provided twice: by "
                        + "io.tlsxtractor.plugin.api.testplugins.TestExtractor from class path")
                .hasMessageEndingWith(" and by " + PLUGIN_CLASS + " from " + jar + "; remove one of them");
    }

    @Test
    void aMissingPluginDirectoryIsAnError(@TempDir Path work) {
        Path missing = work.resolve("no-such-dir");
        assertThatThrownBy(() -> PluginRegistry.discover(getClass().getClassLoader(), List.of(missing)))
                .isInstanceOf(PluginException.class)
                .hasMessage("plugin directory " + missing + " does not exist");
    }

    /** Compiles one source file against the SPI and SLF4J, and packs it with its services file. */
    private static void buildPluginJar(String source, Path jar, Path buildDir) throws IOException, URISyntaxException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("tests need a JDK, not a JRE").isNotNull();
        Path srcFile = buildDir.resolve("src/com/example/dirplugin/NamedExtractor.java");
        Path classes = buildDir.resolve("classes");
        Files.createDirectories(srcFile.getParent());
        Files.createDirectories(classes);
        Files.writeString(srcFile, source);
        String classPath = location(Plugin.class) + java.io.File.pathSeparator + location(LoggerFactory.class);
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, "-d", classes.toString(), "-classpath", classPath,
                "--release", "17", srcFile.toString());
        assertThat(rc).as("javac of the test plugin: %s", diagnostics).isZero();

        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest);
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/" + Plugin.class.getName()));
            out.write((PLUGIN_CLASS + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
