package io.tlsxtractor.command;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The 1.x command line (V1-COMPAT.md), flag for flag. Every option is boxed and left {@code null} when not given, so
 * that only the flags a user typed override the environment and the config file (flags > env > file > defaults); the
 * defaults shown in the help are the configuration's defaults, which equal 1.x's.
 */
public final class ScanOptions {

    /** Exactly one input, as in 1.x (checked by the command, so that subcommands need none). */
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Input input;

    /** The three mutually exclusive 1.x inputs. */
    public static final class Input {
        @Option(names = "--cidr", paramLabel = "CIDR",
                description = "Scan every host address of an IPv4/IPv6 network (host bits may be set).")
        String cidr;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE",
                description = "A file of targets, one per line (IP, ip:port, URL or hostname; '#' comments).")
        String file;

        @Option(names = {"-u", "--url"}, paramLabel = "URL", description = "One URL or hostname.")
        String url;
    }

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Output path, written atomically with mode 0600 (default: results.json).")
    String output;

    @Option(names = "--format", paramLabel = "FORMAT", description = "json (the 1.x document), jsonl or csv (default: json).")
    String format;

    @Option(names = "--threads", paramLabel = "N", description = "Concurrent connections (default: 50). With "
            + "--bootstrap-servers it is only this scan's requested concurrency: the cluster's workers keep their own "
            + "in-flight limit (tlsxtractor worker --max-in-flight).")
    Integer threads;

    @Option(names = "--rate-limit", paramLabel = "R", description = "Connections per second, 0 = unlimited (default: 0).")
    Double rateLimit;

    @Option(names = "--timeout", paramLabel = "S",
            description = "Hard deadline per target for connect + handshake, seconds (default: 5).")
    Integer timeout;

    @Option(names = "--port", paramLabel = "P", description = "Port for IP targets; URLs may carry their own (default: 443).")
    Integer port;

    @Option(names = "--retry", paramLabel = "N", description = "Retries on transient failure (default: 3).")
    Integer retry;

    @Option(names = "--allow-private", description = "Scan private and reserved ranges too (skipped with a warning otherwise).")
    Boolean allowPrivate;

    @Option(names = "--ipv6", description = "Include IPv6 addresses when resolving hostnames.")
    Boolean ipv6;

    @Option(names = "--pipeline", description = "Start scanning while DNS resolution of the input is still running.")
    Boolean pipeline;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "debug, info, warning or error (default: info).")
    String logLevel;

    @Option(names = "--log-file", paramLabel = "FILE", description = "Also write logs to this file.")
    Path logFile;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    Boolean quiet;

    @Option(names = "--fetch-csp",
            description = "After the handshake, GET / and extract domains from Content-Security-Policy headers.")
    Boolean fetchCsp;

    @Option(names = {"-fr", "--follow-redirects"}, description = "Follow HTTP redirects while fetching CSP.")
    Boolean followRedirects;

    @Option(names = {"-fhr", "--follow-host-redirects"}, description = "Follow redirects only within the same host.")
    Boolean followHostRedirects;

    @Option(names = {"-maxr", "--max-redirects"}, paramLabel = "N", description = "Redirect limit (default: 10).")
    Integer maxRedirects;

    @Option(names = "--exclude-domains", paramLabel = "FILE_OR_CSV",
            description = "Drop these domains and their subdomains from discovered_hosts.")
    String excludeDomains;

    @Option(names = "--include-domains", paramLabel = "FILE_OR_CSV",
            description = "Keep only these domains and their subdomains.")
    String includeDomains;

    @Option(names = "--no-default-exclusions", description = "Disable the built-in CDN/analytics/ad exclusion list.")
    Boolean noDefaultExclusions;

    // v2 additions: new flags beside the old ones, never a change to an old one.

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (YAML or TOML); also TLSXTRACTOR_CONFIG. Flags override it.")
    Path config;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,…]",
            description = "Submit to this Kafka cluster instead of starting the embedded broker.")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            description = "Confluent-compatible schema registry; without it the embedded registry is used.")
    String schemaRegistryUrl;

    @Option(names = "--lab", description = "Start the built-in TLS lab on loopback first (for --port, answering for the "
            + "--cidr range, or all of 127.0.0.0/8), so that a scan of 127.x addresses has real servers to find: "
            + "try it without internet.")
    Boolean lab;

    @Option(names = "--resume", paramLabel = "SCAN_ID_OR_FILE",
            description = "Continue an interrupted scan (its id, as printed on Ctrl-C, or its output file) with the "
                    + "input and options it was started with: targets that already have a result are not probed again. "
                    + "Flags given here override the recorded ones.")
    String resume;

    /** The input the user chose, or {@code null} when none was given. */
    public Input input() {
        return input;
    }

    /** The scan id or output file of {@code --resume}, or {@code null}. */
    public String resume() {
        return resume;
    }

    /** Whether {@code --lab} was given. */
    public boolean lab() {
        return Boolean.TRUE.equals(lab);
    }

    /** The config file named by {@code --config}, or {@code null}. */
    public Path configFile() {
        return config;
    }

    /**
     * The flags the user typed, as configuration overrides keyed by their dotted configuration key. The order is the
     * flags' order in the help, so that messages list problems in a stable order.
     */
    public Map<String, String> overrides() {
        Map<String, String> o = new LinkedHashMap<>();
        put(o, "output.path", output);
        put(o, "output.format", format);
        put(o, "scanning.threads", threads);
        put(o, "scanning.rate_limit", rateLimit);
        put(o, "scanning.timeout", timeout);
        put(o, "scanning.port", port);
        put(o, "scanning.retry", retry);
        put(o, "scanning.allow_private", allowPrivate);
        put(o, "scanning.ipv6", ipv6);
        put(o, "scanning.pipeline", pipeline);
        put(o, "logging.level", logLevel);
        put(o, "logging.file", logFile);
        put(o, "logging.quiet", quiet);
        put(o, "scanning.fetch_csp", fetchCsp);
        put(o, "scanning.follow_redirects", followRedirects);
        put(o, "scanning.follow_host_redirects", followHostRedirects);
        put(o, "scanning.max_redirects", maxRedirects);
        put(o, "scanning.exclude_domains", DomainListArgument.toCsv("--exclude-domains", excludeDomains));
        put(o, "scanning.include_domains", DomainListArgument.toCsv("--include-domains", includeDomains));
        if (noDefaultExclusions != null) {
            o.put("scanning.default_exclusions", Boolean.toString(!noDefaultExclusions));
        }
        put(o, "kafka.bootstrap_servers", bootstrapServers);
        put(o, "schema_registry.url", schemaRegistryUrl);
        return o;
    }

    /** The flag a configuration key came from, so a validation message can name what the user typed. */
    public static String flagFor(String configKey) {
        return FLAGS.getOrDefault(configKey, configKey);
    }

    /** A message that names another key set by a flag ({@code scanning.exclude_domains (from flag)}) names the flag. */
    static String namingFlags(String message) {
        String named = message;
        for (Map.Entry<String, String> e : FLAGS.entrySet()) {
            named = named.replace(e.getKey() + " (from flag)", e.getValue());
        }
        return named;
    }

    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("output.path", "--output"),
            Map.entry("output.format", "--format"),
            Map.entry("scanning.threads", "--threads"),
            Map.entry("scanning.rate_limit", "--rate-limit"),
            Map.entry("scanning.timeout", "--timeout"),
            Map.entry("scanning.port", "--port"),
            Map.entry("scanning.retry", "--retry"),
            Map.entry("scanning.allow_private", "--allow-private"),
            Map.entry("scanning.ipv6", "--ipv6"),
            Map.entry("scanning.pipeline", "--pipeline"),
            Map.entry("logging.level", "--log-level"),
            Map.entry("logging.file", "--log-file"),
            Map.entry("logging.quiet", "--quiet"),
            Map.entry("scanning.fetch_csp", "--fetch-csp"),
            Map.entry("scanning.follow_redirects", "--follow-redirects"),
            Map.entry("scanning.follow_host_redirects", "--follow-host-redirects"),
            Map.entry("scanning.max_redirects", "--max-redirects"),
            Map.entry("scanning.exclude_domains", "--exclude-domains"),
            Map.entry("scanning.include_domains", "--include-domains"),
            Map.entry("scanning.default_exclusions", "--no-default-exclusions"),
            Map.entry("kafka.bootstrap_servers", "--bootstrap-servers"),
            Map.entry("schema_registry.url", "--schema-registry-url"));

    private static void put(Map<String, String> o, String key, Object value) {
        if (value != null) {
            o.put(key, value.toString());
        }
    }
}
