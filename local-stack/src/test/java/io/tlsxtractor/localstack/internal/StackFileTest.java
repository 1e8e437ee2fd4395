package io.tlsxtractor.localstack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlsxtractor.localstack.internal.StackFile.ServiceRecord;
import io.tlsxtractor.localstack.internal.StackFile.StackRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackFileTest {

    @TempDir
    Path home;

    private final ServiceRecord kafka = new ServiceRecord("kafka", 4242, 1_700_000_000_123L,
            List.of("-Dtlsxtractor.service=kafka-broker", "/home/x/kafka/server.properties"),
            "127.0.0.1:9092", 9092, "4.4.0", "2026-01-01T00:00:00Z");
    private final ServiceRecord registry = new ServiceRecord("schema-registry", 4343, 1_700_000_001_000L,
            List.of("-Dtlsxtractor.service=schema-registry"), "http://127.0.0.1:8081/apis/ccompat/v7", 8081, "3.3.3",
            "2026-01-01T00:00:01Z");

    @Test
    void aWrittenStackReadsBackEqual() {
        StackRecord stack = new StackRecord(List.of(kafka, registry));
        StackFile.write(home, stack);
        assertThat(StackFile.read(home)).contains(stack);
    }

    @Test
    void noFileMeansNoStackAndDeleteRemovesIt() {
        assertThat(StackFile.read(home)).isEmpty();
        StackFile.write(home, new StackRecord(List.of(kafka)));
        StackFile.delete(home);
        assertThat(StackFile.read(home)).isEmpty();
    }

    @Test
    void withReplacesTheServiceOfTheSameName() {
        ServiceRecord restarted = new ServiceRecord("kafka", 5000, 1L, List.of("m"), "127.0.0.1:9092", 9092, "4.4.0", "t");
        StackRecord stack = new StackRecord(List.of(kafka, registry)).with(restarted);
        assertThat(stack.services()).containsExactlyInAnyOrder(registry, restarted);
        assertThat(stack.service("kafka")).contains(restarted);
    }

    @Test
    void aCorruptFileIsReportedWithItsPath() throws Exception {
        Files.writeString(home.resolve(StackFile.FILE_NAME), "{ not json");
        assertThatThrownBy(() -> StackFile.read(home)).hasMessageContaining(home.resolve(StackFile.FILE_NAME).toString());
    }
}
