package io.tlsxtractor.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The defaults: the 1.x ones where 1.x had the option, and a sane key registry. */
class ConfigDefaultsTest {

    private final TlsxConfig config = TlsxConfig.defaults();

    @Test
    void scanningDefaultsAreThoseOf1x() {
        TlsxConfig.Scanning s = config.scanning();
        assertThat(s.threads()).isEqualTo(50);
        assertThat(s.rateLimit()).isZero();
        assertThat(s.timeout()).isEqualTo(5);
        assertThat(s.port()).isEqualTo(443);
        assertThat(s.retry()).isEqualTo(3);
        assertThat(s.allowPrivate()).isFalse();
        assertThat(s.ipv6()).isFalse();
        assertThat(s.pipeline()).isFalse();
        assertThat(s.fetchCsp()).isFalse();
        assertThat(s.followRedirects()).isFalse();
        assertThat(s.followHostRedirects()).isFalse();
        assertThat(s.maxRedirects()).isEqualTo(10);
        assertThat(s.excludeDomains()).isEmpty();
        assertThat(s.includeDomains()).isEmpty();
        assertThat(s.defaultExclusions()).isTrue();
        assertThat(s.sniStrategy()).isEqualTo(SniStrategy.NONE);
    }

    @Test
    void outputAndLoggingDefaultsAreThoseOf1x() {
        assertThat(config.output().path()).isEqualTo(Path.of("results.json"));
        assertThat(config.output().format()).isEqualTo(OutputFormat.JSON);
        assertThat(config.logging().level()).isEqualTo(LogLevel.INFO);
        assertThat(config.logging().file()).isEmpty();
        assertThat(config.logging().quiet()).isFalse();
    }

    @Test
    void embeddedStackIsTheDefault() {
        assertThat(config.kafka().embedded()).isTrue();
        assertThat(config.schemaRegistry().embedded()).isTrue();
        assertThat(config.kafka().topicPartitions()).isEqualTo(6);
        assertThat(config.kafka().replicationFactor()).isEqualTo(1);
        assertThat(config.api().host()).isEqualTo("127.0.0.1");
        assertThat(config.api().port()).isEqualTo(8080);
        assertThat(config.local().dataDir()).isEqualTo(Path.of(System.getProperty("user.home"), ".tlsxtractor"));
        assertThat(config.local().brokerHeap()).isEqualTo("512m");
    }

    @Test
    void everyKeyIsDocumentedAndHasItsOwnEnvironmentVariable() {
        Set<String> variables = new HashSet<>();
        for (ConfigKey key : ConfigKeys.all()) {
            assertThat(key.doc()).as("doc of %s", key).isNotBlank();
            assertThat(variables.add(key.envVariable())).as("env variable of %s is unique", key).isTrue();
            assertThat(ConfigKeys.LAUNCHER_VARIABLES).as("launcher variables").doesNotContain(key.envVariable());
            assertThat(ConfigKeys.forEnvVariable(key.envVariable())).contains(key);
            assertThat(ConfigKeys.find(key.path())).contains(key);
        }
        assertThat(ConfigKeys.find("sinks.clickhouse.url").map(ConfigKey::envVariable))
                .contains("TLSXTRACTOR_SINKS_CLICKHOUSE_URL");
        assertThat(ConfigKeys.sections()).contains("scanning", "schema_registry", "sinks", "sinks.clickhouse", "local");
    }

    @Test
    void defaultsDoNotDependOnTheProcessEnvironment() {
        TlsxConfig fromEmpty = ConfigLoader.create().environment(Map.of()).load();
        assertThat(fromEmpty).isEqualTo(config);
        assertThat(fromEmpty.plugins().directory()).isEqualTo(Optional.empty());
        assertThat(fromEmpty.plugins().enabled()).isEqualTo(List.of());
    }

    @Test
    void secretsDoNotLeakThroughToString() {
        TlsxConfig withPassword = ConfigLoader.create().environment(Map.of(
                "TLSXTRACTOR_SINKS_CLICKHOUSE_PASSWORD", "hunter2")).load();
        assertThat(withPassword.sinks().clickhouse().password().reveal()).isEqualTo("hunter2");
        assertThat(withPassword.toString()).doesNotContain("hunter2").contains(Secret.MASK);
    }
}
