package io.tlsxtractor.config;

import io.tlsxtractor.config.internal.Check;
import io.tlsxtractor.config.internal.Checks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static io.tlsxtractor.config.internal.Checks.atLeast;
import static io.tlsxtractor.config.internal.Checks.atLeastDecimal;
import static io.tlsxtractor.config.internal.Checks.range;

/**
 * The registry of every configuration key. Adding a key means: a component in the section record of
 * {@link TlsxConfig}, one entry here, its line in {@link #bind}, and its documentation in
 * {@code tlsxtractor.example.yaml} (a test checks the example covers every key).
 */
public final class ConfigKeys {

    /**
     * {@code TLSXTRACTOR_*} variables that belong to the launcher script, not to the configuration;
     * the loader neither maps nor reports them. {@code TLSXTRACTOR_CONFIG} names the configuration file.
     */
    public static final Set<String> LAUNCHER_VARIABLES = Set.of(
            "TLSXTRACTOR_HOME",
            "TLSXTRACTOR_CONFIG",
            "TLSXTRACTOR_JAVA_HOME",
            "TLSXTRACTOR_JAVA21_HOME",
            "TLSXTRACTOR_JAVA_OPTS",
            "TLSXTRACTOR_OPTS",
            "TLSXTRACTOR_MVN",
            "TLSXTRACTOR_SERVICES_DIR");

    private static final int MAX_PORT = 65535;

    private static final List<ConfigKey> ALL = define();
    private static final Map<String, ConfigKey> BY_PATH = index(ALL, ConfigKey::path);
    private static final Map<String, ConfigKey> BY_ENV = index(ALL, ConfigKey::envVariable);
    private static final Set<String> SECTIONS = sections(ALL);

    private ConfigKeys() {
    }

    /** Every key, in documentation order (section by section). */
    public static List<ConfigKey> all() {
        return ALL;
    }

    /** The key at {@code path}, e.g. {@code sinks.clickhouse.url}. */
    public static Optional<ConfigKey> find(String path) {
        return Optional.ofNullable(BY_PATH.get(path));
    }

    /** The key set by the environment variable {@code variable}, e.g. {@code TLSXTRACTOR_SCHEMA_REGISTRY_URL}. */
    public static Optional<ConfigKey> forEnvVariable(String variable) {
        return Optional.ofNullable(BY_ENV.get(variable));
    }

    /**
     * Every path that groups keys: the sections ({@code scanning}) and sub-sections
     * ({@code sinks.clickhouse}).
     */
    public static Set<String> sections() {
        return SECTIONS;
    }

    private static List<ConfigKey> define() {
        List<ConfigKey> k = new ArrayList<>();

        // scanning: defaults and ranges are the 1.x ones (V1-COMPAT.md) except threads' upper bound.
        k.add(key("scanning.threads", KeyType.INT, 50, c -> c.scanning().threads(),
                "Concurrent connections (1.x: --threads). 1..1000000; 1.x stopped at 1000.",
                range(1, 1_000_000)));
        k.add(key("scanning.rate_limit", KeyType.DOUBLE, 0, c -> c.scanning().rateLimit(),
                "New connections per second over the whole scan; 0 = unlimited (1.x: --rate-limit).",
                atLeastDecimal(0)));
        k.add(key("scanning.per_subnet_rate_limit", KeyType.DOUBLE, 0, c -> c.scanning().perSubnetRateLimit(),
                "New connections per second into one /24 (IPv4) or /64 (IPv6); 0 = unlimited.",
                atLeastDecimal(0)));
        k.add(key("scanning.timeout", KeyType.INT, 5, c -> c.scanning().timeout(),
                "Hard deadline per target for connect + handshake (+ HTTP), in seconds (1.x: --timeout).",
                atLeast(1)));
        k.add(key("scanning.port", KeyType.INT, 443, c -> c.scanning().port(),
                "Port for targets that carry none (1.x: --port).", range(1, MAX_PORT)));
        k.add(key("scanning.retry", KeyType.INT, 3, c -> c.scanning().retry(),
                "Retries of a target after a transient failure (1.x: --retry).", atLeast(0)));
        k.add(key("scanning.allow_private", KeyType.BOOLEAN, false, c -> c.scanning().allowPrivate(),
                "Scan private and reserved address ranges instead of skipping them (1.x: --allow-private)."));
        k.add(key("scanning.ipv6", KeyType.BOOLEAN, false, c -> c.scanning().ipv6(),
                "Also resolve and scan IPv6 (AAAA) addresses of hostnames (1.x: --ipv6)."));
        k.add(key("scanning.pipeline", KeyType.BOOLEAN, false, c -> c.scanning().pipeline(),
                "Start scanning while input hostnames are still being resolved (1.x: --pipeline)."));
        k.add(key("scanning.fetch_csp", KeyType.BOOLEAN, false, c -> c.scanning().fetchCsp(),
                "GET / after the handshake and read domains from Content-Security-Policy headers (1.x: --fetch-csp)."));
        k.add(key("scanning.follow_redirects", KeyType.BOOLEAN, false, c -> c.scanning().followRedirects(),
                "Follow HTTP redirects while fetching the CSP (1.x: --follow-redirects)."));
        k.add(key("scanning.follow_host_redirects", KeyType.BOOLEAN, false, c -> c.scanning().followHostRedirects(),
                "Follow HTTP redirects only within the same host (1.x: --follow-host-redirects)."));
        k.add(key("scanning.max_redirects", KeyType.INT, 10, c -> c.scanning().maxRedirects(),
                "Most redirects followed per fetch (1.x: --max-redirects).", atLeast(0)));
        k.add(key("scanning.exclude_domains", KeyType.STRING_LIST, List.of(), c -> c.scanning().excludeDomains(),
                "Domains (and their subdomains) dropped from the discovered hosts (1.x: --exclude-domains). "
                        + "Cannot be combined with include_domains."));
        k.add(key("scanning.include_domains", KeyType.STRING_LIST, List.of(), c -> c.scanning().includeDomains(),
                "Only these domains (and their subdomains) are kept in the discovered hosts (1.x: --include-domains)."));
        k.add(key("scanning.default_exclusions", KeyType.BOOLEAN, true, c -> c.scanning().defaultExclusions(),
                "Apply the built-in exclusion list of CDN, analytics and ad domains (1.x: off with --no-default-exclusions)."));
        k.add(enumKey("scanning.sni_strategy", SniStrategy.class, SniStrategy.NONE, c -> c.scanning().sniStrategy(),
                "SNI for IP targets: none (1.x), hostname, names (also try sni_names), learned (also try names "
                        + "found for the IP), reverse_dns (also try the PTR name)."));
        k.add(key("scanning.sni_names", KeyType.STRING_LIST, List.of(), c -> c.scanning().sniNames(),
                "Names tried as SNI on every IP target with sni_strategy names."));
        k.add(key("scanning.max_in_flight", KeyType.INT, 10_000, c -> c.scanning().maxInFlight(),
                "Most targets a worker holds at once (open connections plus queued ones).", range(1, 10_000_000)));

        k.add(key("dns.resolvers", KeyType.STRING_LIST, List.of(), c -> c.dns().resolvers(),
                "DNS servers as host[:port] ([v6]:port for IPv6); empty = the system's resolvers.",
                Checks.hostPorts(false)));
        k.add(key("dns.timeout_ms", KeyType.INT, 2000, c -> c.dns().timeoutMs(),
                "Deadline of one DNS query, in milliseconds.", range(1, 600_000)));
        k.add(key("dns.cache_size", KeyType.INT, 100_000, c -> c.dns().cacheSize(),
                "Most answers kept in the DNS cache; 0 disables the cache.", atLeast(0)));
        k.add(key("dns.cache_max_ttl", KeyType.INT, 3600, c -> c.dns().cacheMaxTtl(),
                "Longest time an answer stays cached, in seconds, whatever its TTL.", atLeast(0)));
        k.add(key("dns.rate_limit", KeyType.DOUBLE, 0, c -> c.dns().rateLimit(),
                "DNS queries per second; 0 = unlimited.", atLeastDecimal(0)));

        k.add(key("kafka.bootstrap_servers", KeyType.STRING, "", c -> c.kafka().bootstrapServers(),
                "Comma-separated host:port of the Kafka cluster; empty = start the embedded local broker.",
                Checks.hostPorts(true)));
        k.add(key("kafka.client_id", KeyType.STRING, "tlsxtractor", c -> c.kafka().clientId(),
                "Prefix of the client.id of every Kafka client.", Checks.notEmpty()));
        k.add(key("kafka.security_protocol", KeyType.STRING, "PLAINTEXT", c -> c.kafka().securityProtocol(),
                "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.",
                Checks.oneOf("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")));
        k.add(key("kafka.sasl_mechanism", KeyType.STRING, "", c -> c.kafka().saslMechanism(),
                "SASL mechanism for the SASL_* protocols: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER or GSSAPI.",
                Checks.oneOf("", "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER", "GSSAPI")));
        k.add(key("kafka.sasl_username", KeyType.STRING, "", c -> c.kafka().saslUsername(),
                "SASL user name (PLAIN and SCRAM)."));
        k.add(key("kafka.sasl_password", KeyType.SECRET, "", c -> c.kafka().saslPassword(),
                "SASL password (PLAIN and SCRAM). Secret: prefer ${VAR} in the file."));
        k.add(key("kafka.topic_partitions", KeyType.INT, 6, c -> c.kafka().topicPartitions(),
                "Partitions of the topics TLSXtractor creates: the most workers that share one topic.",
                range(1, 10_000)));
        k.add(key("kafka.replication_factor", KeyType.INT, 1, c -> c.kafka().replicationFactor(),
                "Replication factor of the topics TLSXtractor creates.", range(1, Short.MAX_VALUE)));
        k.add(key("kafka.properties", KeyType.STRING_MAP, Map.of(), c -> c.kafka().properties(),
                "Extra Kafka client properties passed to every client as given (e.g. linger.ms: 20); "
                        + "from the environment or a flag as name=value,name=value."));

        k.add(key("schema_registry.url", KeyType.STRING, "", c -> c.schemaRegistry().url(),
                "URL of a Confluent-compatible schema registry; empty = the embedded in-process registry.",
                Checks.url(true, "http", "https")));
        k.add(key("schema_registry.username", KeyType.STRING, "", c -> c.schemaRegistry().username(),
                "Basic-auth user name for the registry."));
        k.add(key("schema_registry.password", KeyType.SECRET, "", c -> c.schemaRegistry().password(),
                "Basic-auth password for the registry. Secret."));
        k.add(key("schema_registry.truststore_path", KeyType.OPTIONAL_PATH, "", c -> c.schemaRegistry().truststorePath(),
                "Trust store (PKCS12 or JKS) for an https registry; empty = the JVM's trust store."));
        k.add(key("schema_registry.truststore_password", KeyType.SECRET, "", c -> c.schemaRegistry().truststorePassword(),
                "Password of the trust store. Secret."));
        k.add(key("schema_registry.timeout_ms", KeyType.INT, 10_000, c -> c.schemaRegistry().timeoutMs(),
                "Deadline of one registry request, in milliseconds.", range(1, 600_000)));
        k.add(key("schema_registry.auto_register", KeyType.BOOLEAN, true, c -> c.schemaRegistry().autoRegister(),
                "Register the schemas of produced records when the registry does not know them yet."));
        k.add(key("schema_registry.cache_capacity", KeyType.INT, 1000, c -> c.schemaRegistry().cacheCapacity(),
                "Most schemas kept in the client's cache.", atLeast(1)));

        k.add(key("plugins.directory", KeyType.OPTIONAL_PATH, "", c -> c.plugins().directory(),
                "Folder of plugin jars, each loaded in its own class loader; empty = only the built-in plugins."));
        k.add(key("plugins.enabled", KeyType.STRING_LIST, List.of(), c -> c.plugins().enabled(),
                "Names of the plugins to use; empty = every plugin found."));
        k.add(key("plugins.settings", KeyType.NESTED_STRING_MAP, Map.of(), c -> c.plugins().settings(),
                "Per-plugin settings: plugin name -> (name -> value); from the environment or a flag as "
                        + "plugin.name=value,plugin.name=value."));

        k.add(key("sinks.clickhouse.enabled", KeyType.BOOLEAN, false, c -> c.sinks().clickhouse().enabled(),
                "Load results into ClickHouse."));
        k.add(key("sinks.clickhouse.url", KeyType.STRING, "http://127.0.0.1:8123", c -> c.sinks().clickhouse().url(),
                "ClickHouse HTTP interface.", Checks.url(false, "http", "https")));
        k.add(key("sinks.clickhouse.database", KeyType.STRING, "tlsxtractor", c -> c.sinks().clickhouse().database(),
                "ClickHouse database holding the tables.", Checks.notEmpty()));
        k.add(key("sinks.clickhouse.username", KeyType.STRING, "default", c -> c.sinks().clickhouse().username(),
                "ClickHouse user."));
        k.add(key("sinks.clickhouse.password", KeyType.SECRET, "", c -> c.sinks().clickhouse().password(),
                "ClickHouse password. Secret."));
        k.add(key("sinks.clickhouse.batch_rows", KeyType.INT, 10_000, c -> c.sinks().clickhouse().batchRows(),
                "Most rows per insert.", range(1, 10_000_000)));
        k.add(key("sinks.clickhouse.batch_bytes", KeyType.LONG, 16L * 1024 * 1024, c -> c.sinks().clickhouse().batchBytes(),
                "Most bytes per insert.", atLeast(1)));
        k.add(key("sinks.clickhouse.flush_ms", KeyType.INT, 1000, c -> c.sinks().clickhouse().flushMs(),
                "Longest wait before a partial batch is written, in milliseconds.", range(1, 3_600_000)));
        k.add(key("sinks.clickhouse.ttl_days", KeyType.INT, 0, c -> c.sinks().clickhouse().ttlDays(),
                "Days observations are kept; 0 = forever.", atLeast(0)));
        k.add(key("sinks.neo4j.enabled", KeyType.BOOLEAN, false, c -> c.sinks().neo4j().enabled(),
                "Load the relationship graph into Neo4j."));
        k.add(key("sinks.neo4j.uri", KeyType.STRING, "bolt://127.0.0.1:7687", c -> c.sinks().neo4j().uri(),
                "Neo4j Bolt URI.", Checks.url(false, "bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")));
        k.add(key("sinks.neo4j.username", KeyType.STRING, "neo4j", c -> c.sinks().neo4j().username(),
                "Neo4j user."));
        k.add(key("sinks.neo4j.password", KeyType.SECRET, "", c -> c.sinks().neo4j().password(),
                "Neo4j password. Secret."));
        k.add(key("sinks.neo4j.batch_size", KeyType.INT, 1000, c -> c.sinks().neo4j().batchSize(),
                "Records per write transaction.", range(1, 1_000_000)));

        k.add(key("api.host", KeyType.STRING, "127.0.0.1", c -> c.api().host(),
                "Address the API listens on.", Checks.notEmpty()));
        k.add(key("api.port", KeyType.INT, 8080, c -> c.api().port(),
                "Port the API listens on; 0 = any free port.", range(0, MAX_PORT)));
        k.add(key("api.auth_token", KeyType.SECRET, "", c -> c.api().authToken(),
                "Bearer token every request must carry; empty = no authentication (keep the API on loopback). Secret."));
        k.add(key("api.cors_origins", KeyType.STRING_LIST, List.of(), c -> c.api().corsOrigins(),
                "Origins allowed to call the API from a browser; empty = same origin only."));

        k.add(key("events.enabled", KeyType.BOOLEAN, true, c -> c.events().enabled(),
                "Publish events (scan progress, discoveries) to the events topic."));
        k.add(key("events.progress_interval_ms", KeyType.INT, 1000, c -> c.events().progressIntervalMs(),
                "Time between two scan.progress events of a scan, in milliseconds.", range(1, 3_600_000)));

        k.add(key("output.path", KeyType.PATH, "results.json", c -> c.output().path(),
                "Results file, written atomically (1.x: --output)."));
        k.add(enumKey("output.format", OutputFormat.class, OutputFormat.JSON, c -> c.output().format(),
                "json (the 1.x document), jsonl (one result per line, streamed) or csv (1.x: --format)."));

        k.add(enumKey("logging.level", LogLevel.class, LogLevel.INFO, c -> c.logging().level(),
                "debug, info, warning or error (1.x: --log-level)."));
        k.add(key("logging.file", KeyType.OPTIONAL_PATH, "", c -> c.logging().file(),
                "Also log to this file; empty = no log file (1.x: --log-file)."));
        k.add(key("logging.quiet", KeyType.BOOLEAN, false, c -> c.logging().quiet(),
                "No progress output (1.x: --quiet)."));

        k.add(key("local.data_dir", KeyType.PATH, "~/.tlsxtractor", c -> c.local().dataDir(),
                "Folder of the embedded/development stack's data (broker logs, registry, stores); ~ = home."));
        k.add(key("local.broker_port", KeyType.INT, 0, c -> c.local().brokerPort(),
                "Port of the embedded broker on 127.0.0.1; 0 = any free port.", range(0, MAX_PORT)));
        k.add(key("local.registry_port", KeyType.INT, 0, c -> c.local().registryPort(),
                "Port of the embedded schema registry on 127.0.0.1; 0 = any free port.", range(0, MAX_PORT)));
        k.add(key("local.broker_heap", KeyType.STRING, "512m", c -> c.local().brokerHeap(),
                "Heap of the embedded broker process (-Xmx), e.g. 512m or 2g.", Checks.heapSize()));
        return List.copyOf(k);
    }

    /**
     * Builds the configuration from the typed value of every key ({@link Integer}, {@link Long},
     * {@link Double}, {@link Boolean}, {@link String}, {@link Secret}, enum constants, {@link Path},
     * {@code Optional<Path>}, lists and maps), keyed by path.
     */
    static TlsxConfig bind(Map<String, Object> v) {
        Values x = new Values(v);
        return new TlsxConfig(
                new TlsxConfig.Scanning(
                        x.i("scanning.threads"),
                        x.d("scanning.rate_limit"),
                        x.d("scanning.per_subnet_rate_limit"),
                        x.i("scanning.timeout"),
                        x.i("scanning.port"),
                        x.i("scanning.retry"),
                        x.b("scanning.allow_private"),
                        x.b("scanning.ipv6"),
                        x.b("scanning.pipeline"),
                        x.b("scanning.fetch_csp"),
                        x.b("scanning.follow_redirects"),
                        x.b("scanning.follow_host_redirects"),
                        x.i("scanning.max_redirects"),
                        x.list("scanning.exclude_domains"),
                        x.list("scanning.include_domains"),
                        x.b("scanning.default_exclusions"),
                        x.get("scanning.sni_strategy", SniStrategy.class),
                        x.list("scanning.sni_names"),
                        x.i("scanning.max_in_flight")),
                new TlsxConfig.Dns(
                        x.list("dns.resolvers"),
                        x.i("dns.timeout_ms"),
                        x.i("dns.cache_size"),
                        x.i("dns.cache_max_ttl"),
                        x.d("dns.rate_limit")),
                new TlsxConfig.Kafka(
                        x.s("kafka.bootstrap_servers"),
                        x.s("kafka.client_id"),
                        x.s("kafka.security_protocol"),
                        x.s("kafka.sasl_mechanism"),
                        x.s("kafka.sasl_username"),
                        x.get("kafka.sasl_password", Secret.class),
                        x.i("kafka.topic_partitions"),
                        x.i("kafka.replication_factor"),
                        x.map("kafka.properties")),
                new TlsxConfig.SchemaRegistry(
                        x.s("schema_registry.url"),
                        x.s("schema_registry.username"),
                        x.get("schema_registry.password", Secret.class),
                        x.optionalPath("schema_registry.truststore_path"),
                        x.get("schema_registry.truststore_password", Secret.class),
                        x.i("schema_registry.timeout_ms"),
                        x.b("schema_registry.auto_register"),
                        x.i("schema_registry.cache_capacity")),
                new TlsxConfig.Plugins(
                        x.optionalPath("plugins.directory"),
                        x.list("plugins.enabled"),
                        x.nestedMap("plugins.settings")),
                new TlsxConfig.Sinks(
                        new TlsxConfig.ClickHouse(
                                x.b("sinks.clickhouse.enabled"),
                                x.s("sinks.clickhouse.url"),
                                x.s("sinks.clickhouse.database"),
                                x.s("sinks.clickhouse.username"),
                                x.get("sinks.clickhouse.password", Secret.class),
                                x.i("sinks.clickhouse.batch_rows"),
                                x.get("sinks.clickhouse.batch_bytes", Long.class),
                                x.i("sinks.clickhouse.flush_ms"),
                                x.i("sinks.clickhouse.ttl_days")),
                        new TlsxConfig.Neo4j(
                                x.b("sinks.neo4j.enabled"),
                                x.s("sinks.neo4j.uri"),
                                x.s("sinks.neo4j.username"),
                                x.get("sinks.neo4j.password", Secret.class),
                                x.i("sinks.neo4j.batch_size"))),
                new TlsxConfig.Api(
                        x.s("api.host"),
                        x.i("api.port"),
                        x.get("api.auth_token", Secret.class),
                        x.list("api.cors_origins")),
                new TlsxConfig.Events(
                        x.b("events.enabled"),
                        x.i("events.progress_interval_ms")),
                new TlsxConfig.Output(
                        x.get("output.path", Path.class),
                        x.get("output.format", OutputFormat.class)),
                new TlsxConfig.Logging(
                        x.get("logging.level", LogLevel.class),
                        x.optionalPath("logging.file"),
                        x.b("logging.quiet")),
                new TlsxConfig.Local(
                        x.get("local.data_dir", Path.class),
                        x.i("local.broker_port"),
                        x.i("local.registry_port"),
                        x.s("local.broker_heap")));
    }

    /** Typed access to the bound values; a missing or mistyped value is a bug in this class. */
    private record Values(Map<String, Object> values) {

        <T> T get(String path, Class<T> type) {
            Object value = values.get(path);
            if (!type.isInstance(value)) {
                throw new IllegalStateException("config key " + path + " holds " + value + ", expected a "
                        + type.getSimpleName());
            }
            return type.cast(value);
        }

        int i(String path) {
            return get(path, Integer.class);
        }

        double d(String path) {
            return get(path, Double.class);
        }

        boolean b(String path) {
            return get(path, Boolean.class);
        }

        String s(String path) {
            return get(path, String.class);
        }

        @SuppressWarnings("unchecked")
        List<String> list(String path) {
            return get(path, List.class);
        }

        @SuppressWarnings("unchecked")
        Map<String, String> map(String path) {
            return get(path, Map.class);
        }

        @SuppressWarnings("unchecked")
        Map<String, Map<String, String>> nestedMap(String path) {
            return get(path, Map.class);
        }

        @SuppressWarnings("unchecked")
        Optional<Path> optionalPath(String path) {
            return get(path, Optional.class);
        }
    }

    private static ConfigKey key(String path, KeyType type, Object defaultValue, Function<TlsxConfig, Object> getter,
                                 String doc, Check... checks) {
        return new ConfigKey(path, type, defaultValue, doc, null, getter, List.of(checks));
    }

    private static ConfigKey enumKey(String path, Class<? extends Enum<?>> type, Enum<?> defaultValue,
                                     Function<TlsxConfig, Object> getter, String doc) {
        return new ConfigKey(path, KeyType.ENUM, defaultValue.name().toLowerCase(java.util.Locale.ROOT), doc, type,
                getter, List.of());
    }

    private static Map<String, ConfigKey> index(List<ConfigKey> keys, Function<ConfigKey, String> name) {
        Map<String, ConfigKey> index = new LinkedHashMap<>();
        for (ConfigKey key : keys) {
            ConfigKey clash = index.put(name.apply(key), key);
            if (clash != null) {
                throw new IllegalStateException("config keys " + clash + " and " + key + " share the name "
                        + name.apply(key));
            }
        }
        return Map.copyOf(index);
    }

    private static Set<String> sections(List<ConfigKey> keys) {
        Set<String> sections = new LinkedHashSet<>();
        for (ConfigKey key : keys) {
            String path = key.path();
            for (int dot = path.indexOf('.'); dot >= 0; dot = path.indexOf('.', dot + 1)) {
                sections.add(path.substring(0, dot));
            }
        }
        return Set.copyOf(sections);
    }
}
