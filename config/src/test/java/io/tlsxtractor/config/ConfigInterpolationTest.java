package io.tlsxtractor.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.tlsxtractor.config.ConfigTestFiles.loader;
import static io.tlsxtractor.config.ConfigTestFiles.problems;
import static io.tlsxtractor.config.ConfigTestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

/** ${VAR} and ${VAR:-default} in file values. */
class ConfigInterpolationTest {

    @TempDir
    Path dir;

    @Test
    void variablesAreReadFromTheEnvironment() {
        Path file = write(dir, "c.yaml", """
                sinks:
                  clickhouse:
                    url: http://${CH_HOST}:${CH_PORT:-8123}
                    password: ${CH_PASSWORD}
                scanning:
                  threads: ${THREADS:-75}
                  sni_names: ["${NAME1}", "b.example"]
                kafka:
                  properties:
                    sasl.jaas.config: "${JAAS}"
                """);
        TlsxConfig config = loader(file, Map.of(
                "CH_HOST", "ch.internal", "CH_PASSWORD", "pw", "NAME1", "a.example", "JAAS", "x y z")).load();
        assertThat(config.sinks().clickhouse().url()).isEqualTo("http://ch.internal:8123");
        assertThat(config.sinks().clickhouse().password().reveal()).isEqualTo("pw");
        assertThat(config.scanning().threads()).isEqualTo(75);
        assertThat(config.scanning().sniNames()).containsExactly("a.example", "b.example");
        assertThat(config.kafka().properties()).containsEntry("sasl.jaas.config", "x y z");
    }

    @Test
    void defaultIsUsedForAnEmptyVariableAndDollarDollarIsALiteral() {
        Path file = write(dir, "c.yaml", """
                api:
                  auth_token: ${TOKEN:-fallback}
                kafka:
                  client_id: "$${not-a-variable}"
                """);
        TlsxConfig config = loader(file, Map.of("TOKEN", "")).load();
        assertThat(config.api().authToken().reveal()).isEqualTo("fallback");
        assertThat(config.kafka().clientId()).isEqualTo("${not-a-variable}");
    }

    @Test
    void missingVariablesAreReportedWithKeyAndName() {
        Path file = write(dir, "c.yaml", """
                sinks:
                  neo4j:
                    password: ${NEO4J_PASSWORD}
                schema_registry:
                  password: ${REGISTRY_PASSWORD}
                """);
        assertThat(problems(loader(file, Map.of()))).containsExactly(
                "schema_registry.password: environment variable REGISTRY_PASSWORD is not set (referenced as "
                        + "${REGISTRY_PASSWORD}; write ${REGISTRY_PASSWORD:-default} to give a default) [file "
                        + file + "]",
                "sinks.neo4j.password: environment variable NEO4J_PASSWORD is not set (referenced as "
                        + "${NEO4J_PASSWORD}; write ${NEO4J_PASSWORD:-default} to give a default) [file " + file + "]");
    }

    @Test
    void aVariableIsNotNeededWhenAHigherSourceSetsTheKey() {
        Path file = write(dir, "c.yaml", "sinks:\n  neo4j:\n    password: ${NEO4J_PASSWORD}\n");
        TlsxConfig config = loader(file, Map.of("TLSXTRACTOR_SINKS_NEO4J_PASSWORD", "direct")).load();
        assertThat(config.sinks().neo4j().password().reveal()).isEqualTo("direct");
    }

    @Test
    void malformedReferencesAreReported() {
        Path file = write(dir, "c.yaml", "kafka:\n  client_id: \"${BROKEN\"\n  sasl_username: \"${1BAD}\"\n");
        assertThat(problems(loader(file, Map.of())))
                .anySatisfy(p -> assertThat(p).startsWith("kafka.client_id: unterminated ${"))
                .anySatisfy(p -> assertThat(p).startsWith("kafka.sasl_username: invalid variable reference ${1BAD}"));
    }

    @Test
    void interpolatedTextIsConvertedToTheKeysType() {
        Path file = write(dir, "c.yaml", "scanning:\n  threads: ${THREADS}\n");
        assertThat(problems(loader(file, Map.of("THREADS", "lots"))))
                .containsExactly("scanning.threads: expected an integer, got \"lots\" [file " + file + "]");
    }
}
