package io.tlsxtractor.command.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlsxtractor.config.ConfigLoader;
import io.tlsxtractor.config.TlsxConfig;
import io.tlsxtractor.schemas.avro.TargetSpec;
import io.tlsxtractor.schemas.avro.TargetType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanPlanTest {

    @TempDir
    Path dir;

    private TlsxConfig config() {
        return ConfigLoader.create().environment(Map.of())
                .overrides(Map.of("local.data_dir", dir.resolve("data").toString(),
                        "output.path", dir.resolve("out.json").toString()))
                .load();
    }

    @Test
    void aTargetFileIsReadLineByLineWithoutItsByteOrderMarkCommentsBlankLinesOrGarbage() throws Exception {
        Path file = dir.resolve("targets.txt");
        Files.write(file, ("\uFEFFexample.com\r\n# a comment\r\n\r\n192.0.2.7:8443  # inline comment\r\n"
                + "this is not a target\r\nhttps://www.example.org/x\r\n").getBytes(StandardCharsets.UTF_8));

        ScanPlan named = ScanPlan.of(config(), ScanPlan.InputKind.FILE, file.toString(), Instant.now());
        assertThat(named.request().getTargets()).singleElement().satisfies(spec -> {
            assertThat(spec.getType()).isEqualTo(TargetType.FILE);
            assertThat(spec.getValue()).isEqualTo(file.toString());
        });
        assertThat(named.metadata().inputHostnames()).containsExactlyInAnyOrder("example.com", "www.example.org");
    }

    @Test
    void aBinaryOrMissingFileIsRefusedWithTheFlagAndThePath() throws Exception {
        Path binary = Files.write(dir.resolve("image.bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, (byte) 0xc3, 0x28});
        assertThatThrownBy(() -> ScanPlan.of(config(), ScanPlan.InputKind.FILE, binary.toString(), Instant.now()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--file: " + binary).hasMessageContaining("not UTF-8");
        Path missing = dir.resolve("missing.txt");
        assertThatThrownBy(() -> ScanPlan.of(config(), ScanPlan.InputKind.FILE, missing.toString(), Instant.now()))
                .hasMessage("--file: no such file: " + missing);
    }
}
