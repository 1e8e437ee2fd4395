package io.tlsxtractor.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlsxtractor.probe.TlsProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Command-line options and settings validation. */
class WorkerMainTest {

    @Test
    void optionsBecomeSettings() {
        WorkerSettings s = WorkerMain.parse(new String[] {
            "--bootstrap-servers", "127.0.0.1:9092", "--registry-url=http://127.0.0.1:8081/apis/ccompat/v7",
            "--group", "g1", "--worker-id", "w-1", "--max-in-flight", "7", "--metrics-port", "9100",
            "--drain-timeout", "4s", "--poll-timeout", "250ms", "--extractors", "certificate, csp-extractor",
            "--timeout", "1500ms", "--retries", "0", "--rate-limit", "50", "--tls-provider", "jdk",
            "--property", "client.rack=r1", "--property", "request.timeout.ms=5000"});
        assertThat(s.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(s.registryUrl()).isEqualTo("http://127.0.0.1:8081/apis/ccompat/v7");
        assertThat(s.groupId()).isEqualTo("g1");
        assertThat(s.workerId()).isEqualTo("w-1");
        assertThat(s.maxInFlight()).isEqualTo(7);
        assertThat(s.metricsPort()).isEqualTo(9100);
        assertThat(s.drainTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(s.pollTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.extractors()).containsExactly("certificate", "csp-extractor");
        assertThat(s.probe().timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(s.probe().retries()).isZero();
        assertThat(s.probe().rateLimit()).isEqualTo(50.0);
        assertThat(s.probe().tlsProvider()).isEqualTo(TlsProvider.JDK);
        assertThat(s.clientProperties()).isEqualTo(Map.of("client.rack", "r1", "request.timeout.ms", "5000"));
    }

    @Test
    void defaultsAreTheSharedGroupAndHostPidWorkerId() {
        WorkerSettings s = WorkerMain.parse(new String[] {"--bootstrap-servers", "b:1", "--registry-url", "mock://x"});
        assertThat(s.groupId()).isEqualTo(WorkerSettings.DEFAULT_GROUP_ID).isEqualTo("tlsx-workers");
        assertThat(s.workerId()).endsWith("-" + ProcessHandle.current().pid());
        assertThat(s.metricsPort()).as("metrics off by default").isZero();
        assertThat(s.extractors()).isEqualTo(WorkerSettings.DEFAULT_EXTRACTORS);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> WorkerMain.parse(new String[] {"--bogus", "1", "stray", "--retries"}))
                .hasMessageContaining("unknown option --bogus").hasMessageContaining("unexpected argument 'stray'")
                .hasMessageContaining("--retries needs a value");
        assertThatThrownBy(() -> WorkerMain.parse(new String[] {"--max-in-flight", "x", "--drain-timeout", "soon"}))
                .hasMessageContaining("--max-in-flight must be an integer").hasMessageContaining("--drain-timeout must be a duration");
    }

    @Test
    void settingsRefuseWhatWouldBreakDelivery() {
        assertThatThrownBy(() -> WorkerSettings.builder("", "ftp://x").maxInFlight(0).metricsPort(70000)
                .clientProperties(Map.of("enable.auto.commit", "true", "acks", "1")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bootstrap servers are required")
                .hasMessageContaining("'enable.auto.commit' is set by the worker")
                .hasMessageContaining("'acks' is set by the worker")
                .hasMessageContaining("must be http(s)://")
                .hasMessageContaining("max in flight must be in 1..")
                .hasMessageContaining("metrics port must be 0 (off) or 1..65535");
        assertThatThrownBy(() -> WorkerSettings.builder("b:1", "mock://x").extractors(List.of("certificate", "certificate")).build())
                .hasMessageContaining("listed twice");
    }

    @Test
    void clientConfigsPinTheDeliverySettings() {
        WorkerSettings s = WorkerSettings.builder("b:1", "mock://x").workerId("w").build();
        assertThat(WorkerService.producerConfig(s)).containsEntry("acks", "all").containsEntry("enable.idempotence", true);
        assertThat(WorkerService.consumerConfig(s)).containsEntry("enable.auto.commit", false)
                .containsEntry("group.id", "tlsx-workers").containsEntry("bootstrap.servers", "b:1");
    }
}
