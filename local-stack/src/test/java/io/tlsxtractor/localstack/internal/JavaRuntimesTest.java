package io.tlsxtractor.localstack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaRuntimesTest {

    @TempDir
    Path jvmRoot;

    @Test
    void featureVersionReadsBothVersionSchemes() {
        assertThat(JavaRuntimes.featureVersion("25.0.3")).hasValue(25);
        assertThat(JavaRuntimes.featureVersion("21")).hasValue(21);
        assertThat(JavaRuntimes.featureVersion("21-ea")).hasValue(21);
        assertThat(JavaRuntimes.featureVersion("17.0.15")).hasValue(17);
        assertThat(JavaRuntimes.featureVersion("1.8.0_292")).hasValue(8);
        assertThat(JavaRuntimes.featureVersion("unknown")).isEmpty();
    }

    @Test
    void releaseFileGivesTheJavaVersionLineNotTheOtherVersions() {
        String temurin = "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_RUNTIME_VERSION=\"25.0.3+9-LTS\"\n"
                + "JAVA_VERSION=\"25.0.3\"\nJVM_VERSION=\"25.0.3+9-LTS\"\n";
        assertThat(JavaRuntimes.featureVersionFromRelease(temurin)).hasValue(25);
        assertThat(JavaRuntimes.featureVersionFromRelease("JAVA_VERSION=\"1.8.0_402\"\n")).hasValue(8);
        assertThat(JavaRuntimes.featureVersionFromRelease("IMPLEMENTOR=x\n")).isEmpty();
    }

    @Test
    void theExplicitEnvironmentVariableWinsOverEverythingElse() throws Exception {
        Path jdk21 = fakeJdk("jdk-21", "21.0.5");
        fakeJdk("jdk-25", "25.0.3");
        var found = JavaRuntimes.find(21, Map.of(JavaRuntimes.JAVA21_HOME_ENV, jdk21.toString()), 25, Path.of("/current/java"), jvmRoot);
        assertThat(found).hasValueSatisfying(r -> {
            assertThat(r.javaBinary()).isEqualTo(jdk21.resolve("bin/java"));
            assertThat(r.origin()).isEqualTo(JavaRuntimes.JAVA21_HOME_ENV);
        });
    }

    @Test
    void anExplicitEnvironmentVariableThatIsTooOldIsAnErrorNotSilentlySkipped() throws Exception {
        Path jdk17 = fakeJdk("jdk-17", "17.0.15");
        assertThatThrownBy(() -> JavaRuntimes.find(21, Map.of(JavaRuntimes.JAVA21_HOME_ENV, jdk17.toString()), 17, Path.of("/j"), jvmRoot))
                .hasMessageContaining(jdk17.toString()).hasMessageContaining("Java 17");
    }

    @Test
    void theCurrentJvmComesBeforeJavaHomeAndTheScan() throws Exception {
        Path jdk25 = fakeJdk("jdk-25", "25.0.3");
        var found = JavaRuntimes.find(21, Map.of("JAVA_HOME", jdk25.toString()), 21, Path.of("/current/java"), jvmRoot);
        assertThat(found).hasValueSatisfying(r -> assertThat(r.javaBinary()).isEqualTo(Path.of("/current/java")));
    }

    @Test
    void onJava17JavaHomeIsUsedWhenNewEnoughElseTheNewestScannedJdk() throws Exception {
        Path jdk17 = fakeJdk("java-17-openjdk", "17.0.15");
        Path jdk21 = fakeJdk("jdk-21", "21.0.5");
        Path jdk25 = fakeJdk("temurin-25-jdk-amd64", "25.0.3");
        assertThat(JavaRuntimes.find(21, Map.of("JAVA_HOME", jdk21.toString()), 17, Path.of("/j"), jvmRoot))
                .hasValueSatisfying(r -> assertThat(r.javaBinary()).isEqualTo(jdk21.resolve("bin/java")));
        assertThat(JavaRuntimes.find(21, Map.of("JAVA_HOME", jdk17.toString()), 17, Path.of("/j"), jvmRoot))
                .hasValueSatisfying(r -> {
                    assertThat(r.javaBinary()).isEqualTo(jdk25.resolve("bin/java"));
                    assertThat(r.featureVersion()).isEqualTo(25);
                });
    }

    @Test
    void nothingIsFoundWhenOnlyOldJdksExist() throws Exception {
        fakeJdk("java-17-openjdk", "17.0.15");
        Files.createDirectories(jvmRoot.resolve("not-a-jdk"));
        assertThat(JavaRuntimes.find(21, Map.of(), 17, Path.of("/j"), jvmRoot)).isEmpty();
        assertThat(JavaRuntimes.find(21, Map.of(), 17, Path.of("/j"), jvmRoot.resolve("missing"))).isEmpty();
    }

    private Path fakeJdk(String name, String version) throws Exception {
        Path home = jvmRoot.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }
}
