package io.tlsxtractor.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Neo4j settings validation and the neo4j.conf written from them, without starting a server. */
class Neo4jSettingsTest {

    @Test
    void everyProblemIsListedAndThePasswordIsNeverPrinted() {
        assertThatThrownBy(() -> new Neo4jSettings(Path.of("x"), 70000, 0, "short", "lots", "256m", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("boltPort must be 0 (any free one) or 1-65535, not 70000")
                .hasMessageContaining("password must have at least 8 characters")
                .hasMessageContaining("heap must look like 512m")
                .hasMessageContaining("startTimeout must be positive");
        assertThat(Neo4jSettings.defaults(Path.of("x")).withPassword("very-secret-pw").toString())
                .doesNotContain("very-secret-pw");
    }

    @Test
    void theConfigurationBindsBoltAndHttpToLoopbackAndKeepsEverythingInTheDataDirectory() {
        Path data = Path.of("/tmp/neo4j-data");
        String conf = Neo4jProcess.config(data, 7001, 7002, Neo4jSettings.defaults(data));
        assertThat(conf)
                .contains("server.bolt.listen_address=127.0.0.1:7001")
                .contains("server.http.listen_address=127.0.0.1:7002")
                .contains("server.default_listen_address=127.0.0.1")
                .contains("server.https.enabled=false")
                .contains("server.directories.data=/tmp/neo4j-data/data")
                .contains("server.memory.pagecache.size=256m")
                .contains("server.memory.heap.max_size=512m")
                .contains("internal.server.bolt.connection_shutdown_wait_time=0s");
    }
}
