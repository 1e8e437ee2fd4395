package io.tlsxtractor.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static io.tlsxtractor.config.ConfigTestFiles.problems;
import static org.assertj.core.api.Assertions.assertThat;

/** TLSXTRACTOR_<SECTION>_<KEY>: mapping by the key registry, so underscores inside names are no ambiguity. */
class ConfigEnvironmentTest {

    private static LoadedConfig load(Map<String, String> env) {
        return ConfigLoader.create().environment(env).loadWithOrigins();
    }

    @Test
    void sectionsAndKeysWithUnderscoresAreMappedByTheRegistry() {
        LoadedConfig loaded = load(Map.of(
                "TLSXTRACTOR_SCHEMA_REGISTRY_URL", "http://registry:8081",
                "TLSXTRACTOR_SCHEMA_REGISTRY_TRUSTSTORE_PATH", "/etc/trust.p12",
                "TLSXTRACTOR_SCHEMA_REGISTRY_AUTO_REGISTER", "no",
                "TLSXTRACTOR_SINKS_CLICKHOUSE_URL", "http://ch:8123",
                "TLSXTRACTOR_SINKS_CLICKHOUSE_BATCH_ROWS", "500",
                "TLSXTRACTOR_SINKS_NEO4J_BATCH_SIZE", "50",
                "TLSXTRACTOR_SCANNING_PER_SUBNET_RATE_LIMIT", "2.5",
                "TLSXTRACTOR_SCANNING_FOLLOW_HOST_REDIRECTS", "YES"));
        TlsxConfig config = loaded.config();
        assertThat(config.schemaRegistry().url()).isEqualTo("http://registry:8081");
        assertThat(config.schemaRegistry().truststorePath()).contains(Path.of("/etc/trust.p12"));
        assertThat(config.schemaRegistry().autoRegister()).isFalse();
        assertThat(config.sinks().clickhouse().url()).isEqualTo("http://ch:8123");
        assertThat(config.sinks().clickhouse().batchRows()).isEqualTo(500);
        assertThat(config.sinks().neo4j().batchSize()).isEqualTo(50);
        assertThat(config.scanning().perSubnetRateLimit()).isEqualTo(2.5);
        assertThat(config.scanning().followHostRedirects()).isTrue();
        assertThat(config.scanning().followRedirects()).isFalse();
        assertThat(loaded.origin("sinks.clickhouse.batch_rows"))
                .isEqualTo(ConfigOrigin.env("TLSXTRACTOR_SINKS_CLICKHOUSE_BATCH_ROWS"));
    }

    @Test
    void listsAreCommaSeparated() {
        TlsxConfig config = load(Map.of("TLSXTRACTOR_SCANNING_EXCLUDE_DOMAINS", " a.example, b.example ,,")).config();
        assertThat(config.scanning().excludeDomains()).containsExactly("a.example", "b.example");
    }

    @Test
    void booleansAcceptTheUsualSpellings() {
        for (String yes : new String[] {"true", "TRUE", "yes", "1"}) {
            assertThat(load(Map.of("TLSXTRACTOR_SCANNING_IPV6", yes)).config().scanning().ipv6()).as(yes).isTrue();
        }
        for (String no : new String[] {"false", "No", "0"}) {
            assertThat(load(Map.of("TLSXTRACTOR_SCANNING_DEFAULT_EXCLUSIONS", no)).config().scanning()
                    .defaultExclusions()).as(no).isFalse();
        }
    }

    @Test
    void unknownVariablesAreReportedButLauncherVariablesAndOthersAreNot() {
        Map<String, String> env = new HashMap<>();
        env.put("TLSXTRACTOR_SCANNING_THREADZ", "5");
        env.put("TLSXTRACTOR_SCHEMAREGISTRY_URL", "http://r:8081");
        env.put("TLSXTRACTOR_NONSENSE", "x");
        env.put("TLSXTRACTOR_KAFKA_PROPERTIES_LINGER_MS", "5");
        env.put("TLSXTRACTOR_HOME", "/opt/tlsx");
        env.put("TLSXTRACTOR_JAVA21_HOME", "/opt/jdk");
        env.put("TLSXTRACTOR_MVN", "mvn");
        env.put("TLSXTRACTOR_SERVICES_DIR", "/opt/services");
        env.put("PATH", "/usr/bin");
        assertThat(problems(ConfigLoader.create().environment(env))).containsExactly(
                "TLSXTRACTOR_KAFKA_PROPERTIES_LINGER_MS: unknown configuration variable: entries of kafka.properties "
                        + "are set all at once with TLSXTRACTOR_KAFKA_PROPERTIES=\"name=value,...\"",
                "TLSXTRACTOR_NONSENSE: unknown configuration variable",
                "TLSXTRACTOR_SCANNING_THREADZ: unknown configuration variable (did you mean TLSXTRACTOR_SCANNING_THREADS?)",
                "TLSXTRACTOR_SCHEMAREGISTRY_URL: unknown configuration variable "
                        + "(did you mean TLSXTRACTOR_SCHEMA_REGISTRY_URL?)");
    }

    @Test
    void wrongTypesNameTheVariable() {
        assertThat(problems(ConfigLoader.create().environment(Map.of(
                "TLSXTRACTOR_SCANNING_THREADS", "many",
                "TLSXTRACTOR_SCANNING_ALLOW_PRIVATE", "maybe",
                "TLSXTRACTOR_KAFKA_PROPERTIES", "acks"))))
                .containsExactly(
                        "TLSXTRACTOR_KAFKA_PROPERTIES: expected name=value items separated by commas, got \"acks\" "
                                + "[env TLSXTRACTOR_KAFKA_PROPERTIES]",
                        "scanning.threads: expected an integer, got \"many\" [env TLSXTRACTOR_SCANNING_THREADS]",
                        "scanning.allow_private: expected a boolean (true/false, yes/no, 1/0), got \"maybe\" "
                                + "[env TLSXTRACTOR_SCANNING_ALLOW_PRIVATE]");
    }

    @Test
    void emptyVariableSetsAnEmptyValue() {
        TlsxConfig config = load(Map.of("TLSXTRACTOR_SINKS_CLICKHOUSE_USERNAME", "")).config();
        assertThat(config.sinks().clickhouse().username()).isEmpty();
    }
}
