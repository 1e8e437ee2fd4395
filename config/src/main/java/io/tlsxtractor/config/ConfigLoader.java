package io.tlsxtractor.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Loads the configuration with the precedence <b>flags &gt; environment &gt; file &gt; defaults</b>.
 *
 * <pre>{@code
 * TlsxConfig config = ConfigLoader.create()
 *         .file(Path.of("tlsxtractor.yaml"))
 *         .overrides(Map.of("scanning.threads", "200"))
 *         .load();
 * }</pre>
 *
 * <ul>
 *   <li><b>File</b>: YAML ({@code .yaml}, {@code .yml}) or TOML ({@code .toml}); other names are
 *       recognised by content. Without {@link #file}, the file named by {@code TLSXTRACTOR_CONFIG} in the
 *       environment is read, if set. String values may reference the environment as {@code ${VAR}} or
 *       {@code ${VAR:-default}}.</li>
 *   <li><b>Environment</b>: {@code TLSXTRACTOR_<SECTION>_<KEY>}, the key path upper-cased with dots
 *       as underscores ({@code TLSXTRACTOR_SINKS_CLICKHOUSE_URL}). Names are matched against the
 *       known keys, so underscores inside names ({@code schema_registry}) are no ambiguity. A
 *       {@code TLSXTRACTOR_*} variable that matches no key is a problem, except the launcher's own
 *       ({@link ConfigKeys#LAUNCHER_VARIABLES}).</li>
 *   <li><b>Flags</b>: dotted key → text, as the CLI maps its options ({@code scanning.threads}); an
 *       entry of a map key is addressed by its full path ({@code kafka.properties.linger.ms}).</li>
 * </ul>
 *
 * Text values are read by the key's type: lists comma-separated, maps as {@code name=value,...}
 * (plugin settings as {@code plugin.name=value,...}; {@code \,} is a literal comma), booleans as
 * true/false/yes/no/1/0. List values replace lower-precedence lists; map entries override one by one.
 * A builder is not thread-safe; a loaded {@link TlsxConfig} is immutable.
 */
public final class ConfigLoader {

    /** The environment variable naming the configuration file when none is given. */
    public static final String CONFIG_FILE_VARIABLE = "TLSXTRACTOR_CONFIG";

    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

    private Path file;
    private Map<String, String> environment = System.getenv();
    private final Map<String, String> overrides = new LinkedHashMap<>();

    private ConfigLoader() {
    }

    /** A loader with no file, the process environment and no overrides. */
    public static ConfigLoader create() {
        return new ConfigLoader();
    }

    /** Reads {@code file} (YAML or TOML); {@code null} falls back to {@code TLSXTRACTOR_CONFIG}. */
    public ConfigLoader file(Path file) {
        this.file = file;
        return this;
    }

    /** Uses {@code environment} instead of {@link System#getenv()} for variables and {@code ${VAR}}. */
    public ConfigLoader environment(Map<String, String> environment) {
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        return this;
    }

    /** Adds command-line overrides: dotted key → text. Later calls win for the same key. */
    public ConfigLoader overrides(Map<String, String> overrides) {
        overrides.forEach(this::override);
        return this;
    }

    /** Adds one command-line override. */
    public ConfigLoader override(String key, String value) {
        overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value for " + key));
        return this;
    }

    /**
     * The effective configuration.
     *
     * @throws ConfigException listing every problem of every source
     */
    public TlsxConfig load() {
        return loadWithOrigins().config();
    }

    /**
     * The effective configuration with the origin of each value, for {@link ConfigPrinter#withOrigins}.
     *
     * @throws ConfigException listing every problem of every source
     */
    public LoadedConfig loadWithOrigins() {
        Path source = file;
        if (source == null) {
            String named = environment.get(CONFIG_FILE_VARIABLE);
            if (named != null && !named.isBlank()) {
                source = Path.of(named.trim());
            }
        }
        LOG.debug("Loading configuration from {} with {} override(s)", source == null ? "defaults" : source,
                overrides.size());
        return new Resolver(environment).resolve(source, overrides);
    }
}
