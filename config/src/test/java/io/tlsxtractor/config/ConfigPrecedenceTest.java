package io.tlsxtractor.config;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** default < file < environment < flag, for keys of each type, with the origin reported each time. */
class ConfigPrecedenceTest {

    @TempDir
    Path dir;

    static Stream<Arguments> keys() {
        return Stream.of(
                Arguments.of("scanning.threads", "threads: 100", "200", "300",
                        (Function<TlsxConfig, Object>) c -> c.scanning().threads(), 50, 100, 200, 300),
                Arguments.of("scanning.ipv6", "ipv6: yes", "0", "true",
                        (Function<TlsxConfig, Object>) c -> c.scanning().ipv6(), false, true, false, true),
                Arguments.of("scanning.rate_limit", "rate_limit: 2.5", "10", "0.5",
                        (Function<TlsxConfig, Object>) c -> c.scanning().rateLimit(), 0.0, 2.5, 10.0, 0.5),
                Arguments.of("scanning.sni_names", "sni_names: [a.example]", "b.example,c.example", "d.example",
                        (Function<TlsxConfig, Object>) c -> c.scanning().sniNames(),
                        List.of(), List.of("a.example"), List.of("b.example", "c.example"), List.of("d.example")),
                Arguments.of("output.format", "format: csv", "jsonl", "JSON",
                        (Function<TlsxConfig, Object>) c -> c.output().format(),
                        OutputFormat.JSON, OutputFormat.CSV, OutputFormat.JSONL, OutputFormat.JSON),
                Arguments.of("sinks.clickhouse.url", "clickhouse:\n    url: http://file:8123", "http://env:8123",
                        "http://flag:8123", (Function<TlsxConfig, Object>) c -> c.sinks().clickhouse().url(),
                        "http://127.0.0.1:8123", "http://file:8123", "http://env:8123", "http://flag:8123"),
                Arguments.of("schema_registry.url", "url: http://file:8081", "http://env:8081", "http://flag:8081",
                        (Function<TlsxConfig, Object>) c -> c.schemaRegistry().url(),
                        "", "http://file:8081", "http://env:8081", "http://flag:8081"),
                Arguments.of("logging.file", "file: /tmp/file.log", "/tmp/env.log", "/tmp/flag.log",
                        (Function<TlsxConfig, Object>) c -> c.logging().file().map(Path::toString).orElse(""),
                        "", "/tmp/file.log", "/tmp/env.log", "/tmp/flag.log"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void laterSourcesWin(String path, String fileLine, String envValue, String flagValue,
                         Function<TlsxConfig, Object> get, Object byDefault, Object byFile, Object byEnv,
                         Object byFlag) throws IOException {
        ConfigKey key = ConfigKeys.find(path).orElseThrow();
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, key.section() + ":\n  " + fileLine + "\n");
        Map<String, String> env = Map.of(key.envVariable(), envValue);

        LoadedConfig defaults = ConfigLoader.create().environment(Map.of()).loadWithOrigins();
        LoadedConfig fromFile = ConfigLoader.create().environment(Map.of()).file(file).loadWithOrigins();
        LoadedConfig fromEnv = ConfigLoader.create().environment(env).file(file).loadWithOrigins();
        LoadedConfig fromFlag = ConfigLoader.create().environment(env).file(file).override(path, flagValue)
                .loadWithOrigins();

        assertThat(get.apply(defaults.config())).isEqualTo(byDefault);
        assertThat(defaults.origin(path)).isEqualTo(ConfigOrigin.DEFAULT);
        assertThat(get.apply(fromFile.config())).isEqualTo(byFile);
        assertThat(fromFile.origin(path)).isEqualTo(ConfigOrigin.file(file.toString()));
        assertThat(get.apply(fromEnv.config())).isEqualTo(byEnv);
        assertThat(fromEnv.origin(path)).isEqualTo(ConfigOrigin.env(key.envVariable()));
        assertThat(get.apply(fromFlag.config())).isEqualTo(byFlag);
        assertThat(fromFlag.origin(path)).isEqualTo(ConfigOrigin.FLAG);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void flagWinsOverFileWithoutEnvironment(String path, String fileLine, String envValue, String flagValue,
                                            Function<TlsxConfig, Object> get, Object byDefault, Object byFile,
                                            Object byEnv, Object byFlag) throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, ConfigKeys.find(path).orElseThrow().section() + ":\n  " + fileLine + "\n");
        TlsxConfig config = ConfigLoader.create().environment(Map.of()).file(file).override(path, flagValue).load();
        assertThat(get.apply(config)).isEqualTo(byFlag);
    }

    @org.junit.jupiter.api.Test
    void mapEntriesOverrideOneByOne() throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                kafka:
                  properties:
                    linger.ms: 5
                    acks: all
                    compression.type: gzip
                """);
        LoadedConfig loaded = ConfigLoader.create()
                .environment(Map.of("TLSXTRACTOR_KAFKA_PROPERTIES", "acks=1,ssl.enabled.protocols=TLSv1.2\\,TLSv1.3"))
                .file(file)
                .override("kafka.properties.compression.type", "zstd")
                .loadWithOrigins();
        assertThat(loaded.config().kafka().properties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "linger.ms", "5",
                "acks", "1",
                "compression.type", "zstd",
                "ssl.enabled.protocols", "TLSv1.2,TLSv1.3"));
        assertThat(loaded.origin("kafka.properties.linger.ms")).isEqualTo(ConfigOrigin.file(file.toString()));
        assertThat(loaded.origin("kafka.properties.acks")).isEqualTo(ConfigOrigin.env("TLSXTRACTOR_KAFKA_PROPERTIES"));
        assertThat(loaded.origin("kafka.properties.compression.type")).isEqualTo(ConfigOrigin.FLAG);
    }

    @org.junit.jupiter.api.Test
    void pluginSettingsFromFileEnvironmentAndFlags() throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                plugins:
                  settings:
                    csp-extractor:
                      max_header_bytes: 1024
                      strict: true
                """);
        TlsxConfig config = ConfigLoader.create()
                .environment(Map.of("TLSXTRACTOR_PLUGINS_SETTINGS", "csp-extractor.strict=false,js.depth=3"))
                .file(file)
                .override("plugins.settings.js.max.files", "7")
                .load();
        assertThat(config.plugins().settingsOf("csp-extractor"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("max_header_bytes", "1024", "strict", "false"));
        assertThat(config.plugins().settingsOf("js"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("depth", "3", "max.files", "7"));
        assertThat(config.plugins().settingsOf("absent")).isEmpty();
    }
}
