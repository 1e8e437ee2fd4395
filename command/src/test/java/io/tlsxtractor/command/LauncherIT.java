package io.tlsxtractor.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code tlsxtractor} launcher script on a fresh clone of the repository: it builds on first use through the Maven
 * Wrapper and then behaves as the 1.x command did ({@code --version}, {@code --help}, {@code Error: …} and exit 1).
 */
class LauncherIT {

    @TempDir
    static Path workspace;

    static Path clone;

    @BeforeAll
    static void cloneTheRepository() throws Exception {
        Path project = Path.of(System.getProperty("tlsxtractor.project.dir", "..")).toAbsolutePath().normalize();
        clone = workspace.resolve("tlsxtractor");
        Result cloned = run(workspace, 120, "git", "clone", "--quiet", project.toString(), clone.toString());
        assertThat(cloned.exit).as("git clone: %s", cloned.output).isZero();
        assertThat(clone.resolve("command/target")).doesNotExist();
    }

    @Test
    void aFreshCloneBuildsOnFirstUseAndAnswersVersionHelpAndBadFlags() throws Exception {
        Result version = run(clone, 900, "./tlsxtractor", "--version");
        assertThat(version.exit).as(version.output).isZero();
        assertThat(version.output).contains("building").containsPattern("(?m)^tlsxtractor \\d+\\.\\d+\\.\\d+");
        assertThat(clone.resolve("command/target/tlsxtractor.jar")).exists();

        Result help = run(clone, 120, "./tlsxtractor", "--help");
        assertThat(help.exit).as(help.output).isZero();
        assertThat(help.output).doesNotContain("building").contains("Usage: tlsxtractor", "--cidr", "--file", "--url");

        Result bad = run(clone, 120, "./tlsxtractor", "--cidr", "192.0.2.0/24", "--port", "0");
        assertThat(bad.exit).isEqualTo(1);
        assertThat(bad.output).contains("Error: --port: must be >= 1, got 0");

        Result unknown = run(clone, 120, "./tlsxtractor", "--no-such-flag");
        assertThat(unknown.exit).isEqualTo(1);
        assertThat(unknown.output).contains("Error: Unknown option: '--no-such-flag'");
    }

    private record Result(int exit, String output) {
    }

    private static Result run(Path dir, int timeoutSeconds, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(workspace, "run", ".log");
        List<String> cmd = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
