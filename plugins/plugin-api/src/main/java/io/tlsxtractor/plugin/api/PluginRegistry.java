package io.tlsxtractor.plugin.api;

import io.tlsxtractor.plugin.api.internal.PluginBundle;
import io.tlsxtractor.plugin.api.internal.SpiOnlyClassLoader;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the installed plugins and runs the enabled ones.
 *
 * <p>{@link #discover} instantiates every plugin declared in
 * {@code META-INF/services/io.tlsxtractor.plugin.api.Plugin} on the application class path and in
 * the plugin directories. In a plugin directory each sub-directory (its jars) and each jar gets its
 * own class loader, which sees only the SPI, SLF4J and the JDK of the application. Then
 * {@link #enable} validates the settings of the configured plugins (reporting every problem at
 * once) and starts them; the getters return the started plugins of each kind in configured order;
 * {@link #close()} closes them in reverse order.
 *
 * <p>Thread-safe; {@link #enable} may be called once.
 */
public final class PluginRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    private final Map<String, Installed> installed;
    private final List<URLClassLoader> pluginLoaders;
    private final List<Installed> started = new ArrayList<>();
    private boolean enabled;
    private boolean closed;

    private record Installed(Plugin plugin, PluginInfo info, ClassLoader loader) {
    }

    private PluginRegistry(Map<String, Installed> installed, List<URLClassLoader> pluginLoaders) {
        this.installed = installed;
        this.pluginLoaders = pluginLoaders;
    }

    /** The plugins on the class path of the loader of this class (no plugin directory). */
    public static PluginRegistry discover() {
        return discover(PluginRegistry.class.getClassLoader(), List.of());
    }

    /**
     * Discovers the plugins on the class path of {@code applicationLoader} and in each of
     * {@code pluginDirectories}.
     *
     * @throws PluginException if a directory does not exist, a plugin cannot be loaded or is
     *     malformed, or two plugins have the same name (both origins are named)
     */
    public static PluginRegistry discover(ClassLoader applicationLoader, List<Path> pluginDirectories) {
        Objects.requireNonNull(applicationLoader, "applicationLoader");
        Map<String, Installed> installed = new LinkedHashMap<>();
        List<URLClassLoader> loaders = new ArrayList<>();
        try {
            for (Plugin plugin : load(applicationLoader, "the class path", null)) {
                register(installed, plugin, classPathOrigin(plugin.getClass()), applicationLoader);
            }
            for (Path directory : pluginDirectories) {
                List<Path> skipped = new ArrayList<>();
                List<PluginBundle> bundles = PluginBundle.scan(directory, skipped);
                skipped.forEach(p -> LOG.debug("Plugin directory {}: ignoring {}: not a jar or a directory of jars",
                        directory, p));
                SpiOnlyClassLoader spi = new SpiOnlyClassLoader(applicationLoader);
                for (PluginBundle bundle : bundles) {
                    URLClassLoader loader = new URLClassLoader(
                            "plugin:" + bundle.origin().getFileName(), bundle.urls(), spi);
                    loaders.add(loader);
                    List<Plugin> plugins = load(loader, bundle.origin().toString(), loader);
                    if (plugins.isEmpty()) {
                        LOG.warn("Plugin directory {}: {} declares no plugin in META-INF/services/{}",
                                directory, bundle.origin(), Plugin.class.getName());
                    }
                    for (Plugin plugin : plugins) {
                        register(installed, plugin, bundle.origin().toString(), loader);
                    }
                }
            }
        } catch (RuntimeException | LinkageError e) {
            closeLoaders(loaders);
            throw e;
        }
        LOG.info("{} plugins installed: {}", installed.size(), String.join(", ", installed.keySet()));
        return new PluginRegistry(Collections.unmodifiableMap(installed), List.copyOf(loaders));
    }

    /**
     * Instantiates the providers visible to {@code loader}; with {@code ownLoader} set, only those
     * defined by it (the parent must not leak the application's plugins into a directory's).
     */
    private static List<Plugin> load(ClassLoader loader, String origin, ClassLoader ownLoader) {
        List<Plugin> plugins = new ArrayList<>();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            for (ServiceLoader.Provider<Plugin> provider :
                    ServiceLoader.load(Plugin.class, loader).stream().toList()) {
                if (ownLoader != null && provider.type().getClassLoader() != ownLoader) {
                    continue;
                }
                plugins.add(provider.get());
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            throw new PluginException("cannot load plugins from " + origin + ": " + e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
        return plugins;
    }

    private static void register(Map<String, Installed> installed, Plugin plugin, String origin, ClassLoader loader) {
        String className = plugin.getClass().getName();
        String where = className + " from " + origin;
        String name;
        String version;
        PluginKind kind;
        try {
            name = plugin.name();
            version = plugin.version();
            kind = plugin.kind();
        } catch (RuntimeException | LinkageError e) {
            throw new PluginException("plugin " + where + " cannot describe itself: " + e, e);
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new PluginException("plugin " + where + " has an invalid name \"" + name
                    + "\": use lower case letters, digits, '.', '_' or '-'");
        }
        if (version == null || version.isBlank()) {
            throw new PluginException("plugin \"" + name + "\" (" + where + ") has no version");
        }
        if (kind == null || !kind.type().isInstance(plugin)) {
            throw new PluginException("plugin \"" + name + "\" (" + where + ") says it is of kind " + kind
                    + " but does not implement " + (kind == null ? "any kind's interface" : kind.type().getName()));
        }
        if (plugin instanceof OutputWriter writer && (writer.format() == null || writer.format().isBlank())) {
            throw new PluginException("output plugin \"" + name + "\" (" + where + ") declares no format");
        }
        PluginInfo info = new PluginInfo(name, version, kind, className, origin);
        Installed previous = installed.get(name);
        if (previous != null) {
            throw new PluginException("plugin name \"" + name + "\" is provided twice: by "
                    + previous.info().className() + " from " + previous.info().origin() + " and by " + where
                    + "; remove one of them");
        }
        installed.put(name, new Installed(plugin, info, loader));
        LOG.info("Loaded plugin {} {} ({}) from {}", name, version, kind, origin);
    }

    private static String classPathOrigin(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null
                ? "class path" : "class path (" + source.getLocation() + ")";
    }

    /** Every installed plugin, in discovery order. */
    public List<PluginInfo> available() {
        return installed.values().stream().map(Installed::info).toList();
    }

    /** The installed plugin of that name. */
    public Optional<PluginInfo> find(String name) {
        return Optional.ofNullable(installed.get(name)).map(Installed::info);
    }

    /**
     * Validates and starts the named plugins, in the given order.
     *
     * @param names the plugins to enable
     * @param settings per plugin name, its settings as configured (plugins without an entry get
     *     their defaults)
     * @throws PluginException listing every problem: plugins configured but not installed (with
     *     what is available), settings for plugins that do not exist, invalid or unknown settings,
     *     two output writers of one format; or naming the plugin that failed to start (those
     *     already started are closed again)
     * @throws IllegalStateException if called twice or after {@link #close()}
     */
    public synchronized void enable(List<String> names, Map<String, Map<String, String>> settings) {
        if (closed) {
            throw new IllegalStateException("plugin registry is closed");
        }
        if (enabled) {
            throw new IllegalStateException("plugins are already enabled");
        }
        List<String> problems = new ArrayList<>();
        List<Installed> chosen = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                problems.add("plugin \"" + name + "\" is configured twice");
            } else if (installed.containsKey(name)) {
                chosen.add(installed.get(name));
            } else {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            problems.add(0, missingMessage(missing));
        }
        for (String name : new TreeSet<>(settings.keySet())) {
            if (!installed.containsKey(name)) {
                if (!missing.contains(name)) {
                    problems.add("plugin \"" + name + "\": settings are given but no such plugin is installed");
                }
            } else if (!seen.contains(name)) {
                LOG.debug("Plugin {} has settings but is not enabled; its settings are ignored", name);
            }
        }
        Map<String, String> formats = new LinkedHashMap<>();
        List<PluginSettings> validated = new ArrayList<>();
        for (Installed p : chosen) {
            String name = p.info().name();
            Map<String, String> configured = settings.getOrDefault(name, Map.of());
            ConfigSchema schema;
            try {
                schema = inLoader(p, () -> p.plugin().configSchema());
            } catch (RuntimeException | LinkageError e) {
                problems.add("plugin " + name + ": cannot read its settings schema: " + e);
                continue;
            }
            schema.validate(name, configured).forEach(problem -> problems.add(problem.toString()));
            validated.add(PluginSettings.of(name, schema, configured));
            if (p.plugin() instanceof OutputWriter writer) {
                String format = writer.format();
                String other = formats.putIfAbsent(format, name);
                if (other != null) {
                    problems.add("plugins \"" + other + "\" and \"" + name + "\" both write format \"" + format
                            + "\"; enable only one of them");
                }
            }
        }
        if (problems.size() == 1) {
            throw new PluginException(problems.get(0));
        }
        if (!problems.isEmpty()) {
            throw new PluginException("invalid plugin configuration (" + problems.size() + " problems):", problems);
        }
        enabled = true;
        for (int i = 0; i < chosen.size(); i++) {
            Installed p = chosen.get(i);
            PluginContext context = PluginContext.of(validated.get(i));
            try {
                inLoader(p, () -> {
                    p.plugin().start(context);
                    return null;
                });
            } catch (RuntimeException | LinkageError e) {
                started.add(p);
                LOG.warn("Plugin {} failed to start; closing the {} plugins started before it",
                        p.info().name(), started.size() - 1);
                closeStarted();
                throw new PluginException("plugin \"" + p.info().name() + "\" " + p.info().version() + " from "
                        + p.info().origin() + " failed to start: " + e.getMessage(), e);
            }
            started.add(p);
            LOG.info("Started plugin {} {} ({}) with {}", p.info().name(), p.info().version(), p.info().kind(),
                    context.settings());
        }
    }

    private String missingMessage(List<String> missing) {
        String quoted = missing.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", "));
        String available = installed.isEmpty() ? "none" : installed.values().stream()
                .map(p -> p.info().name() + " (" + p.info().kind() + ")")
                .sorted()
                .collect(Collectors.joining(", "));
        return (missing.size() == 1 ? "plugin " + quoted + " is configured but not installed"
                : "plugins " + quoted + " are configured but not installed") + "; available: " + available;
    }

    /** The started extractors, in configured order. */
    public List<DomainExtractor> extractors() {
        return startedOf(DomainExtractor.class);
    }

    /** The started filters, in configured order (the order they run in). */
    public List<DomainFilter> filters() {
        return startedOf(DomainFilter.class);
    }

    /** The started enrichers, in configured order. */
    public List<Enricher> enrichers() {
        return startedOf(Enricher.class);
    }

    /** The started output writers, in configured order. */
    public List<OutputWriter> outputWriters() {
        return startedOf(OutputWriter.class);
    }

    /** The started writer of a format. */
    public Optional<OutputWriter> outputWriter(String format) {
        return outputWriters().stream().filter(w -> w.format().equals(format)).findFirst();
    }

    /** Whether any started extractor needs the HTTP response, so the engine must fetch it. */
    public boolean needsHttp() {
        return extractors().stream().anyMatch(DomainExtractor::needsHttp);
    }

    /** Every started plugin, in start order. */
    public synchronized List<Plugin> started() {
        return started.stream().map(Installed::plugin).toList();
    }

    private synchronized <T extends Plugin> List<T> startedOf(Class<T> type) {
        return started.stream()
                .map(Installed::plugin)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    /**
     * Closes the started plugins in reverse start order, then the plugin class loaders. A plugin
     * that fails to close is logged and the others are still closed. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeStarted();
        closeLoaders(pluginLoaders);
    }

    private void closeStarted() {
        for (int i = started.size() - 1; i >= 0; i--) {
            Installed p = started.get(i);
            try {
                inLoader(p, () -> {
                    p.plugin().close();
                    return null;
                });
                LOG.debug("Closed plugin {}", p.info().name());
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("Plugin {} {} from {} failed to close; closing the others", p.info().name(),
                        p.info().version(), p.info().origin(), e);
            }
        }
        started.clear();
    }

    private static void closeLoaders(List<URLClassLoader> loaders) {
        for (URLClassLoader loader : loaders) {
            try {
                loader.close();
            } catch (IOException e) {
                LOG.warn("Cannot close plugin class loader {}", loader.getName(), e);
            }
        }
    }

    private interface Call<T> {
        T call();
    }

    /** Plugin code runs with its own loader as context loader, as libraries it bundles expect. */
    private static <T> T inLoader(Installed p, Call<T> call) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(p.loader());
        try {
            return call.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
