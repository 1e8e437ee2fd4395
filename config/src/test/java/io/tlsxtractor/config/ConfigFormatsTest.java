package io.tlsxtractor.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/** YAML and TOML files, the shipped example, and that every key binds to its own record component. */
class ConfigFormatsTest {

    @TempDir
    Path dir;

    @Test
    void exampleFileLoadsCleanlyAndStatesTheDefaults() throws IOException {
        Path example = copyResource("/tlsxtractor.example.yaml", "tlsxtractor.example.yaml");
        LoadedConfig loaded = ConfigLoader.create().environment(Map.of()).file(example).loadWithOrigins();
        assertThat(loaded.config()).isEqualTo(TlsxConfig.defaults());
        assertThat(loaded.origin("scanning.threads")).isEqualTo(ConfigOrigin.file(example.toString()));
    }

    @Test
    void exampleFileDocumentsEveryKey() throws IOException {
        JsonNode tree = new YAMLMapper().readTree(resource("/tlsxtractor.example.yaml"));
        List<String> missing = new ArrayList<>();
        for (ConfigKey key : ConfigKeys.all()) {
            if (tree.at("/" + key.path().replace('.', '/')).isMissingNode()) {
                missing.add(key.path());
            }
        }
        assertThat(missing).as("keys missing from tlsxtractor.example.yaml").isEmpty();
    }

    @Test
    void exampleFileReadsSecretsFromTheEnvironment() throws IOException {
        Path example = copyResource("/tlsxtractor.example.yaml", "tlsxtractor.example.yaml");
        TlsxConfig config = ConfigLoader.create().environment(Map.of("CLICKHOUSE_PASSWORD", "from-env"))
                .file(example).load();
        assertThat(config.sinks().clickhouse().password().reveal()).isEqualTo("from-env");
    }

    @Test
    void tomlTwinOfTheExampleLoadsToTheSameConfiguration() throws IOException {
        Path yaml = copyResource("/tlsxtractor.example.yaml", "example.yaml");
        Path toml = copyResource("/tlsxtractor.example.toml", "example.toml");
        Map<String, String> env = Map.of("NEO4J_PASSWORD", "graph");
        TlsxConfig fromYaml = ConfigLoader.create().environment(env).file(yaml).load();
        TlsxConfig fromToml = ConfigLoader.create().environment(env).file(toml).load();
        assertThat(fromToml).isEqualTo(fromYaml);
        assertThat(fromToml.sinks().neo4j().password().reveal()).isEqualTo("graph");
    }

    @Test
    void tomlDottedKeysAndTablesAreReadLikeYamlMappings() throws IOException {
        Path toml = dir.resolve("tlsx.toml");
        Files.writeString(toml, """
                scanning.threads = 120
                scanning.exclude_domains = ["cdn.example.net"]

                [kafka]
                bootstrap_servers = "broker:9092"

                [kafka.properties]
                "linger.ms" = 20
                batch.size = 65536

                [sinks.clickhouse]
                enabled = true
                """);
        TlsxConfig config = ConfigLoader.create().environment(Map.of()).file(toml).load();
        assertThat(config.scanning().threads()).isEqualTo(120);
        assertThat(config.scanning().excludeDomains()).containsExactly("cdn.example.net");
        assertThat(config.kafka().bootstrapServers()).isEqualTo("broker:9092");
        assertThat(config.kafka().properties()).containsExactlyInAnyOrderEntriesOf(
                Map.of("linger.ms", "20", "batch.size", "65536"));
        assertThat(config.sinks().clickhouse().enabled()).isTrue();
    }

    @Test
    void formatIsRecognisedByContentWhenTheNameSaysNothing() throws IOException {
        Path toml = dir.resolve("tlsx.conf");
        Files.writeString(toml, "# TOML without the extension\n[scanning]\nthreads = 77\n");
        Path yaml = dir.resolve("tlsx.cfg");
        Files.writeString(yaml, "# YAML without the extension\nscanning:\n  threads: 78\n");
        assertThat(ConfigLoader.create().environment(Map.of()).file(toml).load().scanning().threads()).isEqualTo(77);
        assertThat(ConfigLoader.create().environment(Map.of()).file(yaml).load().scanning().threads()).isEqualTo(78);
    }

    @Test
    void yamlMayUseDottedKeysToo() throws IOException {
        Path yaml = dir.resolve("dotted.yaml");
        Files.writeString(yaml, "scanning.threads: 64\nsinks:\n  clickhouse.database: recon\n");
        TlsxConfig config = ConfigLoader.create().environment(Map.of()).file(yaml).load();
        assertThat(config.scanning().threads()).isEqualTo(64);
        assertThat(config.sinks().clickhouse().database()).isEqualTo("recon");
    }

    @Test
    void configFileVariableNamesTheFileWhenNoneIsGiven() throws IOException {
        Path yaml = dir.resolve("from-variable.yaml");
        Files.writeString(yaml, "scanning:\n  port: 8443\n");
        TlsxConfig config = ConfigLoader.create()
                .environment(Map.of(ConfigLoader.CONFIG_FILE_VARIABLE, yaml.toString())).load();
        assertThat(config.scanning().port()).isEqualTo(8443);
    }

    /**
     * sample.yaml sets every key to a distinct non-default value; each key must read back exactly the
     * value the file gave it, which fails if a key were bound to another key's record component.
     */
    @Test
    void everyKeyBindsToItsOwnComponent() throws IOException {
        Path sample = copyResource("/sample.yaml", "sample.yaml");
        TlsxConfig config = ConfigLoader.create().environment(Map.of()).file(sample).load();
        JsonNode file = new YAMLMapper().readTree(sample.toFile());
        JsonNode printed = new YAMLMapper().readTree(ConfigPrinter.toYaml(config, false));
        TlsxConfig defaults = TlsxConfig.defaults();
        for (ConfigKey key : ConfigKeys.all()) {
            String pointer = "/" + key.path().replace('.', '/');
            assertThat(file.at(pointer).isMissingNode()).as("sample.yaml sets %s", key).isFalse();
            assertThat(normalise(printed.at(pointer))).as("value of %s", key).isEqualTo(normalise(file.at(pointer)));
            if (!key.path().equals("scanning.include_domains")) {
                assertThat(key.valueIn(config)).as("%s differs from its default", key).isNotEqualTo(key.valueIn(defaults));
            }
        }
        assertThat(config.scanning().threads()).isEqualTo(2000);
        assertThat(config.scanning().rateLimit()).isEqualTo(12.5);
        assertThat(config.sinks().clickhouse().batchBytes()).isEqualTo(1_048_576L);
        assertThat(config.logging().file()).contains(Path.of("/var/log/tlsx.log"));
        assertThat(config.scanning().sniStrategy()).isEqualTo(SniStrategy.NAMES);
        assertThat(config.kafka().saslPassword().reveal()).isEqualTo("s3cret-sasl");
    }

    @Test
    void printedYamlLoadsBackToTheSameConfiguration() throws IOException {
        Path sample = copyResource("/sample.yaml", "sample.yaml");
        TlsxConfig config = ConfigLoader.create().environment(Map.of()).file(sample).load();
        Path printed = dir.resolve("printed.yaml");
        Files.writeString(printed, ConfigPrinter.toYaml(config, false));
        assertThat(ConfigLoader.create().environment(Map.of()).file(printed).load()).isEqualTo(config);
    }

    /** Scalars compared as text, so that 20 (file) and "20" (a map entry's text) match. */
    private static Object normalise(JsonNode node) {
        if (node.isArray()) {
            List<Object> items = new ArrayList<>();
            node.forEach(n -> items.add(normalise(n)));
            return items;
        }
        if (node.isObject()) {
            Map<String, Object> map = new java.util.TreeMap<>();
            node.properties().forEach(e -> map.put(e.getKey(), normalise(e.getValue())));
            return map;
        }
        if (node.isNumber()) {
            double d = node.doubleValue();
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
        return node.asText();
    }

    private String resource(String name) throws IOException {
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream(name), name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private Path copyResource(String name, String fileName) throws IOException {
        Path target = dir.resolve(fileName);
        Files.writeString(target, resource(name));
        return target;
    }

}
