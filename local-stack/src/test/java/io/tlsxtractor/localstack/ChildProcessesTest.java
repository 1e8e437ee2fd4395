package io.tlsxtractor.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessesTest {

    @TempDir
    Path dir;

    @Test
    void tailKeepsTheLastLinesAndNamesAMissingLog() throws Exception {
        Path log = dir.resolve("x.log");
        Files.writeString(log, IntStream.rangeClosed(1, 100).mapToObj(i -> "line " + i).collect(Collectors.joining("\n")));
        assertThat(ChildProcesses.tail(log, 3).split("\\R")).containsExactly("line 98", "line 99", "line 100");
        assertThat(ChildProcesses.tail(dir.resolve("none.log"), 3)).contains("none.log");
    }

    @Test
    void ourOwnProcessIsRecognisedOnlyWithItsStartTimeAndCommandLine() {
        ProcessHandle self = ProcessHandle.current();
        long started = ChildProcesses.startMillis(self).orElseThrow();
        String javaMarker = "java";
        assertThat(ChildProcesses.findOurs(self.pid(), started, List.of(javaMarker))).isPresent();
        // A recycled PID: same number, another start time.
        assertThat(ChildProcesses.findOurs(self.pid(), started - 60_000, List.of(javaMarker))).isEmpty();
        // Same PID and time, but not the command we started.
        assertThat(ChildProcesses.findOurs(self.pid(), started, List.of("-Dtlsxtractor.service=none"))).isEmpty();
    }

    @Test
    void stopEndsAChildAndRotateKeepsThePreviousLog() throws Exception {
        Path log = dir.resolve("sleep.log");
        Files.writeString(log, "previous run");
        ChildProcesses.rotate(log);
        Process sleeper = ChildProcesses.startLogged(List.of("sleep", "60"), java.util.Map.of(), dir, log);
        assertThat(ChildProcesses.stop(sleeper.toHandle(), java.time.Duration.ofSeconds(5))).isTrue();
        assertThat(sleeper.isAlive()).isFalse();
        assertThat(dir.resolve("sleep.log.1")).hasContent("previous run");
    }
}
