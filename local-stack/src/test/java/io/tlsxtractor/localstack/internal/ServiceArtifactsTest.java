package io.tlsxtractor.localstack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceArtifactsTest {

    @TempDir
    Path dir;

    @Test
    void coordinatesMapToTheMavenRepositoryLayout() {
        var tar = new ServiceArtifacts.Coordinates("io.apicurio", "apicurio-registry-app", "3.3.3", "tar.gz", "all");
        assertThat(tar.pathIn(Path.of("/repo")))
                .isEqualTo(Path.of("/repo/io/apicurio/apicurio-registry-app/3.3.3/apicurio-registry-app-3.3.3-all.tar.gz"));
        assertThat(tar).hasToString("io.apicurio:apicurio-registry-app:3.3.3:tar.gz:all");
    }

    @Test
    void mavenIsTakenFromTheEnvironmentVariableElseFromThePath() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path mvn = executable(bin.resolve("mvn"));
        Path other = executable(dir.resolve("my-mvn"));
        assertThat(ServiceArtifacts.findMaven(Map.of("PATH", "/nonexistent:" + bin))).contains(mvn);
        assertThat(ServiceArtifacts.findMaven(Map.of(ServiceArtifacts.MVN_ENV, other.toString(), "PATH", bin.toString())))
                .contains(other);
        assertThat(ServiceArtifacts.findMaven(Map.of("PATH", "/nonexistent"))).isEmpty();
        assertThatThrownBy(() -> ServiceArtifacts.findMaven(Map.of(ServiceArtifacts.MVN_ENV, "/no/such/mvn")))
                .hasMessageContaining("/no/such/mvn");
    }

    @Test
    void unzipWritesEntriesAndRefusesOnesThatEscapeTheTarget() throws Exception {
        Path good = zip("good.zip", "lib/a.jar", "meta/");
        ServiceArtifacts.unzip(good, Files.createDirectories(dir.resolve("out")));
        assertThat(dir.resolve("out/lib/a.jar")).hasContent("lib/a.jar");
        assertThat(dir.resolve("out/meta")).isDirectory();

        Path evil = zip("evil.zip", "../escaped.txt");
        assertThatThrownBy(() -> ServiceArtifacts.unzip(evil, Files.createDirectories(dir.resolve("out2"))))
                .hasMessageContaining("../escaped.txt");
        assertThat(dir.resolve("escaped.txt")).doesNotExist();
    }

    private Path zip(String name, String... entries) throws Exception {
        Path zip = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (String entry : entries) {
                z.putNextEntry(new ZipEntry(entry));
                if (!entry.endsWith("/")) {
                    z.write(entry.getBytes(StandardCharsets.UTF_8));
                }
                z.closeEntry();
            }
        }
        return zip;
    }

    private static Path executable(Path file) throws Exception {
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
