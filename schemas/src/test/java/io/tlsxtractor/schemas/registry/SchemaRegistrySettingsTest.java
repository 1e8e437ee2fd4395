package io.tlsxtractor.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SchemaRegistrySettingsTest {

    @Test
    void everyProblemIsListedAtOnce() {
        assertThatThrownBy(() -> new SchemaRegistrySettings("ftp://x", "user", null, Path.of("/no/such/store"),
                null, null, null, Duration.ZERO, Duration.ofSeconds(1), true, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must start with http:// or https://")
                .hasMessageContaining("both a user and a password")
                .hasMessageContaining("/no/such/store is not a readable file")
                .hasMessageContaining("connect timeout must be positive")
                .hasMessageContaining("cache capacity must be at least 1");
    }

    @Test
    void trailingSlashesAreDroppedAndThePasswordIsNeverPrinted() {
        SchemaRegistrySettings settings = SchemaRegistrySettings.of("http://127.0.0.1:8081/apis/ccompat/v7/")
                .withBasicAuth("svc", "s3cret");
        assertThat(settings.url()).isEqualTo("http://127.0.0.1:8081/apis/ccompat/v7");
        assertThat(settings.toString()).contains("svc").doesNotContain("s3cret");
        assertThat(settings.truststoreType()).isEqualTo("PKCS12");
    }

    @Test
    void aRegistryThatIsNotListeningGivesAnUnreachableErrorNamingTheUrl() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(SchemaRegistrySettings.of("http://127.0.0.1:" + port)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3)));
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.getById(1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNREACHABLE);
                    assertThat(e.retriable()).isTrue();
                })
                .hasMessageContaining("get schema id 1")
                .hasMessageContaining("http://127.0.0.1:" + port + "/schemas/ids/1")
                .hasMessageContaining("unreachable");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
}
