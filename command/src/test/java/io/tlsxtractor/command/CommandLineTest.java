package io.tlsxtractor.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The 1.x command-line contract: flags, defaults, {@code Error: …} messages and exit codes (V1-COMPAT.md). */
class CommandLineTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void versionPrintsTheOneLineOf1x() {
        assertThat(run("--version")).isEqualTo(0);
        assertThat(out.toString().strip()).matches("tlsxtractor \\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void helpListsEvery1xFlag() {
        assertThat(run("--help")).isEqualTo(0);
        assertThat(out.toString()).contains("--cidr", "-f, --file", "-u, --url", "-o, --output", "--format", "--threads",
                "--rate-limit", "--timeout", "--port", "--retry", "--allow-private", "--ipv6", "--pipeline",
                "--log-level", "--log-file", "-q, --quiet", "--fetch-csp", "-fr, --follow-redirects",
                "-fhr, --follow-host-redirects", "-maxr, --max-redirects", "--exclude-domains", "--include-domains",
                "--no-default-exclusions", "--lab", "--version", "dev", "config", "topics", "lab", "ingest", "worker", "streams",
                "export", "import");
    }

    @Test
    void anInputIsRequired() {
        assertThat(run("--threads", "10")).isEqualTo(1);
        assertThat(err.toString()).startsWith("Error: one of the arguments --cidr --file/-f --url/-u is required");
    }

    @Test
    void inputsAreMutuallyExclusive() {
        assertThat(run("--cidr", "192.0.2.0/24", "--url", "https://example.com")).isEqualTo(1);
        assertThat(err.toString()).startsWith("Error: ").contains("mutually exclusive");
    }

    @Test
    void anUnknownFlagIsABadArgument() {
        assertThat(run("--cidr", "192.0.2.0/24", "--bogus")).isEqualTo(1);
        assertThat(err.toString()).startsWith("Error: Unknown option: '--bogus'");
    }

    @Test
    void aValueOfTheWrongTypeNamesTheFlag() {
        assertThat(run("--cidr", "192.0.2.0/24", "--threads", "many")).isEqualTo(1);
        assertThat(err.toString()).startsWith("Error: ").contains("--threads").contains("many");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "--threads, 0, '--threads: must be >= 1, got 0'",
        "--timeout, 0, '--timeout: must be >= 1, got 0'",
        "--port, 0, '--port: must be >= 1, got 0'",
        "--port, 70000, '--port: must be <= 65535, got 70000'",
        "--retry, -1, '--retry: must be >= 0, got -1'",
        "--rate-limit, -1, '--rate-limit: must be >= 0, got -1'",
        "--max-redirects, -1, '--max-redirects: must be >= 0, got -1'",
        "--log-level, verbose, '--log-level: must be one of debug, info, warning, error; got \"verbose\"'",
        "--format, xml, '--format: must be one of json, jsonl, csv; got \"xml\"'"
    })
    void outOfRangeValuesAreRefusedWithTheFlagName(String flag, String value, String message) {
        assertThat(run("--cidr", "192.0.2.0/24", flag, value)).isEqualTo(1);
        assertThat(err.toString().lines().findFirst()).hasValue("Error: " + message);
    }

    @Test
    void severalBadFlagsAreReportedTogether() {
        assertThat(run("--cidr", "192.0.2.0/24", "--threads", "0", "--timeout", "0")).isEqualTo(1);
        assertThat(err.toString()).contains("2 problems", "--threads: must be >= 1, got 0",
                "--timeout: must be >= 1, got 0");
    }

    @Test
    void includeAndExcludeDomainsAreMutuallyExclusive() {
        assertThat(run("--cidr", "192.0.2.0/24", "--include-domains", "a.example", "--exclude-domains", "b.example"))
                .isEqualTo(1);
        assertThat(err.toString().lines().findFirst())
                .hasValue("Error: --include-domains: cannot be combined with --exclude-domains: use one or the other");
    }

    @Test
    void configShowMasksSecretsAndShowsOrigins(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tlsxtractor.yaml");
        Files.writeString(file, "scanning:\n  threads: 77\nsinks:\n  clickhouse:\n    password: hunter2\n");
        assertThat(run("config", "show", "--config", file.toString(), "--origins", "--set", "scanning.port=8443"))
                .isEqualTo(0);
        assertThat(out.toString())
                .contains("scanning.threads", "77", "file")
                .contains("scanning.port", "8443", "flag")
                .contains("****")
                .doesNotContain("hunter2");
    }

    @Test
    void configCheckListsEveryProblemOfABadFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "scanning:\n  threads: 0\n  timout: 5\n  port: \"https\"\n");
        assertThat(run("config", "check", "--config", file.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("3 problems", "scanning.threads", "scanning.timout", "scanning.port");
    }

    @Test
    void aSubcommandGroupWithoutSubcommandSaysWhatToType() {
        assertThat(run("dev")).isEqualTo(1);
        assertThat(err.toString()).startsWith("Error: dev needs a subcommand: up, down or status");
    }

    @Test
    void aCidrThatIsNoNetworkIsABadArgumentBeforeAnythingStarts() {
        assertThat(run("--cidr", "300.1.2.0/24")).isEqualTo(1);
        assertThat(err.toString()).startsWith("Error: --cidr: '300.1.2.0/24' is not a valid network");
    }

    @Test
    void aMissingTargetFileIsABadArgument(@TempDir Path dir) {
        Path missing = dir.resolve("nope.txt");
        assertThat(run("--file", missing.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("Error: --file: no such file: " + missing);
    }

    @Test
    void theLabNeedsTheEmbeddedPipeline() {
        assertThat(run("--cidr", "127.77.0.0/30", "--lab", "--bootstrap-servers", "127.0.0.1:1")).isEqualTo(1);
        assertThat(err.toString()).startsWith("Error: --lab: the lab runs in this process");
    }

    @Test
    void workerIngestAndStreamsNeedACluster() {
        assertThat(run("worker")).isEqualTo(1);
        assertThat(err.toString()).startsWith("Error: worker runs against a Kafka cluster: give --bootstrap-servers");
        assertThat(run("ingest", "--bootstrap-servers", "127.0.0.1:1")).isEqualTo(1);
        assertThat(err.toString()).contains("Error: ingest needs the schema registry");
        assertThat(run("streams", "--bootstrap-servers", "127.0.0.1:1")).isEqualTo(1);
        assertThat(err.toString()).contains("Error: streams needs the schema registry");
        assertThat(run("streams", "--bootstrap-servers", "127.0.0.1:1", "--threads", "0")).isEqualTo(1);
        assertThat(err.toString()).contains("Error: --threads must be at least 1, got 0");
    }

    @Test
    void exportTurnsA1xDocumentIntoTheV2RecordStream(@TempDir Path dir) throws Exception {
        Path v1 = dir.resolve("results_v1.json");
        Files.writeString(v1, """
                {"metadata": {"version": "1.0", "scan_timestamp": "2026-01-03T10:00:00Z", "mode": "ip_scan",
                  "parameters": {"cidr": "192.0.2.0/30", "port": 443},
                  "statistics": {"total_targets": 1, "scanned": 1, "successful": 1, "failed": 0}},
                 "results": [{"ip": "192.0.2.1", "port": 443, "status": "success", "sni": null,
                   "domains": ["example.com"], "domain_sources": {"san": ["example.com"]}, "tls_version": "TLSv1.3",
                   "certificate": null, "error": null, "error_code": null, "error_category": null,
                   "error_details": null, "retry_count": 0, "successful_attempt": 1}],
                 "discovered_hosts": {"hostnames": [], "tlds": ["example.com"]}}
                """);
        assertThat(run("export", "--format", "v2", v1.toString())).as(err.toString()).isEqualTo(0);
        assertThat(out.toString().lines().toList()).hasSize(1);
        assertThat(out.toString()).contains("\"scanId\":\"import-results_v1\"", "\"ip\":\"192.0.2.1\"", "example.com");
    }

    @Test
    void excludeDomainsReadsAFileOfDomains(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("exclude.txt");
        Files.writeString(list, "# CDNs\nexample.net\n\n*.example.org  # wildcard\n");
        assertThat(DomainListArgument.toCsv("--exclude-domains", list.toString())).isEqualTo("example.net,*.example.org");
        assertThat(DomainListArgument.toCsv("--exclude-domains", "a.example,b.example")).isEqualTo("a.example,b.example");
    }
}
