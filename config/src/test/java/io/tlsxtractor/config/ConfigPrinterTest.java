package io.tlsxtractor.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.tlsxtractor.config.ConfigTestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

/** Printing the effective configuration: masking and origins. */
class ConfigPrinterTest {

    @TempDir
    Path dir;

    private TlsxConfig withSecrets() {
        return ConfigLoader.create().environment(Map.of(
                        "TLSXTRACTOR_SINKS_CLICKHOUSE_PASSWORD", "ch-secret",
                        "TLSXTRACTOR_API_AUTH_TOKEN", "api-secret",
                        "TLSXTRACTOR_KAFKA_PROPERTIES", "ssl.key.password=key-secret,linger.ms=7"))
                .load();
    }

    @Test
    void maskedYamlHidesEverySecret() {
        String yaml = ConfigPrinter.toYaml(withSecrets(), true);
        assertThat(yaml).doesNotContain("ch-secret", "api-secret", "key-secret")
                .contains("password: '****'", "auth_token: '****'", "ssl.key.password: '****'")
                .contains("linger.ms: \"7\"");
    }

    @Test
    void unmaskedYamlShowsSecrets() {
        String yaml = ConfigPrinter.toYaml(withSecrets(), false);
        assertThat(yaml).contains("ch-secret", "api-secret", "key-secret");
    }

    @Test
    void yamlHasEverySectionAndThe1xDefaults() {
        String yaml = ConfigPrinter.toYaml(TlsxConfig.defaults(), true);
        assertThat(yaml).startsWith("scanning:\n  threads: 50\n")
                .contains("\nschema_registry:\n", "\nsinks:\n  clickhouse:\n", "\nlocal:\n")
                .contains("  timeout: 5\n", "  port: 443\n", "  sni_strategy: none\n", "  format: json\n");
    }

    @Test
    void originsShowDefaultFileEnvironmentAndFlag() {
        Path file = write(dir, "config.yaml", "scanning:\n  port: 8443\nkafka:\n  properties:\n    acks: all\n");
        LoadedConfig loaded = ConfigLoader.create()
                .environment(Map.of("TLSXTRACTOR_SCANNING_THREADS", "100", "TLSXTRACTOR_API_AUTH_TOKEN", "tok"))
                .file(file)
                .override("scanning.timeout", "9")
                .loadWithOrigins();
        String text = ConfigPrinter.withOrigins(loaded, true);
        assertThat(text).containsPattern("scanning\\.threads +=  ?100  \\(env TLSXTRACTOR_SCANNING_THREADS\\)\n")
                .containsPattern("scanning\\.port +=  ?8443  \\(file " + java.util.regex.Pattern.quote(file.toString()) + "\\)\n")
                .containsPattern("scanning\\.timeout +=  ?9  \\(flag\\)\n")
                .containsPattern("scanning\\.retry +=  ?3  \\(default\\)\n")
                .containsPattern("kafka\\.properties\\.acks += \"all\"  \\(file ")
                .containsPattern("plugins\\.settings += \\{\\}  \\(default\\)\n")
                .containsPattern("api\\.auth_token += \"\\*\\*\\*\\*\"  \\(env TLSXTRACTOR_API_AUTH_TOKEN\\)\n")
                .doesNotContain("tok\"");
        assertThat(text.lines().count()).isEqualTo(ConfigKeys.all().size());
    }

    @Test
    void referenceListsEveryKeyWithItsVariable() {
        String reference = ConfigPrinter.reference();
        for (ConfigKey key : ConfigKeys.all()) {
            assertThat(reference).contains(key.path() + " (", key.envVariable());
        }
        assertThat(reference).contains("scanning.sni_strategy (none|hostname|names|learned|reverse_dns, default \"none\"");
    }
}
