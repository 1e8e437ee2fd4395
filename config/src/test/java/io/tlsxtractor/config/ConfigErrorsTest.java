package io.tlsxtractor.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.tlsxtractor.config.ConfigTestFiles.loader;
import static io.tlsxtractor.config.ConfigTestFiles.problems;
import static io.tlsxtractor.config.ConfigTestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Invalid configuration: every problem reported at once, each with its key and source. */
class ConfigErrorsTest {

    @TempDir
    Path dir;

    @Test
    void badFileReportsEveryProblemAtOnce() {
        Path file = write(dir, "config.yaml", """
                scanning:
                  threads: many
                  timeout: 0
                  port: 70000
                kafka:
                  bootstrap_serverz: broker:9092
                output:
                  format: xml
                """);
        String in = " [file " + file + "]";
        assertThat(problems(loader(file, Map.of()))).containsExactly(
                "kafka.bootstrap_serverz: unknown key (did you mean kafka.bootstrap_servers?)" + in,
                "scanning.threads: expected an integer, got \"many\"" + in,
                "scanning.timeout: must be >= 1, got 0" + in,
                "scanning.port: must be <= 65535, got 70000" + in,
                "output.format: must be one of json, jsonl, csv; got \"xml\"" + in);
    }

    @Test
    void exceptionMessageListsEveryProblem() {
        Path file = write(dir, "config.yaml", "scanning:\n  retry: -1\n  threads: 2000000\n");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader(file, Map.of()).load());
        assertThat(e.getMessage()).isEqualTo("""
                Invalid configuration (2 problems):
                  - scanning.threads: must be <= 1000000, got 2000000 [file %1$s]
                  - scanning.retry: must be >= 0, got -1 [file %1$s]""".formatted(file));
    }

    @Test
    void yamlSyntaxErrorNamesFileLineAndColumn() {
        Path file = write(dir, "config.yaml", "scanning:\n  threads: 5\n   port: 443\n");
        assertThat(problems(loader(file, Map.of())))
                .containsExactly(file + " line 3, column 8: invalid YAML: mapping values are not allowed here");
    }

    @Test
    void yamlSyntaxErrorPointsAtTheUnclosedConstruct() {
        Path file = write(dir, "config.yaml", "scanning:\n  sni_names: [a.example, b.example\n");
        assertThat(problems(loader(file, Map.of()))).containsExactly(file + " line 2, column 14: invalid YAML: "
                + "while parsing a flow sequence; expected ',' or ']', but got <stream end>");
    }

    @Test
    void yamlDuplicateKeyIsASyntaxError() {
        Path file = write(dir, "config.yaml", "scanning:\n  threads: 5\n  threads: 6\n");
        assertThat(problems(loader(file, Map.of())))
                .singleElement().asString().startsWith(file + " line 3").contains("Duplicate field 'threads'");
    }

    @Test
    void tomlSyntaxErrorNamesFileAndLine() {
        Path file = write(dir, "config.toml", "[scanning]\nthreads = 5\nport = = 443\n");
        assertThat(problems(loader(file, Map.of()))).containsExactly(file + " line 3, column 8: invalid TOML: Unknown token");
    }

    @Test
    void missingFileIsReported() {
        Path file = dir.resolve("absent.yaml");
        assertThat(problems(loader(file, Map.of()))).containsExactly(file + ": configuration file not found");
    }

    @Test
    void wrongShapesAreReported() {
        Path file = write(dir, "config.yaml", """
                scanning: 5
                dns:
                  resolvers: {a: b}
                kafka:
                  properties: [a, b]
                  client_id: [x]
                plugins:
                  settings:
                    csp: on
                scaning:
                  threads: 3
                """);
        String in = " [file " + file + "]";
        assertThat(problems(loader(file, Map.of()))).containsExactlyInAnyOrder(
                "scanning: is a section: expected a mapping of its keys, got 5" + in,
                "kafka.properties: expected a mapping of names to values, got a list" + in,
                "plugins.settings.csp: expected a mapping of the settings of csp, got true" + in,
                "scaning: unknown key (did you mean scanning?)" + in,
                "dns.resolvers: expected a list (or comma-separated text), got a mapping" + in,
                "kafka.client_id: expected a string, got a list" + in);
    }

    @Test
    void keyInTheWrongSectionGetsAHint() {
        Path file = write(dir, "config.yaml", "scanning:\n  resolvers: [1.1.1.1]\n");
        assertThat(problems(loader(file, Map.of()))).containsExactly(
                "scanning.resolvers: unknown key (did you mean dns.resolvers?) [file " + file + "]");
    }

    @Test
    void includeAndExcludeDomainsAreMutuallyExclusive() {
        Path file = write(dir, "config.yaml", "scanning:\n  exclude_domains: [a.example]\n");
        List<String> problems = problems(ConfigLoader.create().environment(Map.of()).file(file)
                .override("scanning.include_domains", "b.example"));
        assertThat(problems).containsExactly("scanning.include_domains: cannot be combined with "
                + "scanning.exclude_domains (from file " + file + "): use one or the other [flag]");
    }

    @Test
    void crossKeyRulesAreChecked() {
        List<String> problems = problems(ConfigLoader.create().environment(Map.of())
                .override("scanning.sni_strategy", "names")
                .override("kafka.security_protocol", "SASL_SSL"));
        assertThat(problems).containsExactly(
                "scanning.sni_names: must list at least one name when scanning.sni_strategy is names [flag]",
                "kafka.sasl_mechanism: is required when kafka.security_protocol is SASL_SSL [flag]");
    }

    @Test
    void urlsAddressesAndSizesAreValidated() {
        List<String> problems = problems(ConfigLoader.create().environment(Map.of())
                .override("schema_registry.url", "registry:8081")
                .override("sinks.clickhouse.url", "http://")
                .override("sinks.neo4j.uri", "http://graph:7474")
                .override("kafka.bootstrap_servers", "broker1:9092,broker2")
                .override("dns.resolvers", "1.1.1.1,8.8.8.8:99999,2001:db8::1")
                .override("local.broker_heap", "lots")
                .override("api.port", "-1"));
        assertThat(problems).containsExactly(
                "dns.resolvers: port must be between 1 and 65535 in \"8.8.8.8:99999\" [flag]",
                "kafka.bootstrap_servers: expected host:port (the port is required), got \"broker2\" [flag]",
                "schema_registry.url: must be a URL with scheme http or https (like http://host:port), got "
                        + "\"registry:8081\" [flag]",
                "sinks.clickhouse.url: not a valid URL (Expected authority at index 7), got \"http://\" [flag]",
                "sinks.neo4j.uri: must be a URL with scheme bolt or bolt+s or bolt+ssc or neo4j or neo4j+s or neo4j+ssc "
                        + "(like bolt://host:port), got \"http://graph:7474\" [flag]",
                "api.port: must be >= 0, got -1 [flag]",
                "local.broker_heap: must be a size like 512m or 2g, got \"lots\" [flag]");
    }

    @Test
    void unknownFlagIsReportedWithASuggestion() {
        assertThat(problems(ConfigLoader.create().environment(Map.of()).override("scanning.thread", "5")))
                .containsExactly("scanning.thread: unknown key (did you mean scanning.threads?) [flag]");
    }

    @Test
    void fileWhoseTopLevelIsNotAMappingIsReported() {
        Path file = write(dir, "config.yaml", "- a\n- b\n");
        assertThat(problems(loader(file, Map.of()))).containsExactly(
                file + ": expected a mapping of sections (scanning:, kafka:, ...) at the top level, got a list");
    }

    @Test
    void emptyFileMeansDefaults() {
        Path file = write(dir, "config.yaml", "# nothing set yet\n");
        assertThat(loader(file, Map.of()).load()).isEqualTo(TlsxConfig.defaults());
    }
}
