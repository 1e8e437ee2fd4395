package io.tlsxtractor.plugins.core.js;

import io.tlsxtractor.plugin.api.ConfigOption;
import io.tlsxtractor.plugin.api.ConfigSchema;
import io.tlsxtractor.plugin.api.DomainExtractor;
import io.tlsxtractor.plugin.api.ExtractedName;
import io.tlsxtractor.plugin.api.ExtractionInput;
import io.tlsxtractor.plugin.api.HttpResponse;
import io.tlsxtractor.plugin.api.OptionType;
import io.tlsxtractor.plugin.api.PluginContext;
import io.tlsxtractor.plugin.api.PluginException;
import io.tlsxtractor.plugin.api.PluginSettings;
import io.tlsxtractor.plugins.core.CorePlugins;
import io.tlsxtractor.plugins.core.internal.HostScanner;
import io.tlsxtractor.plugins.core.internal.HtmlScanner;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code js-extractor}: domain names referenced by a page and by its scripts (source {@code js}).
 * Off by default; enable it by name in the plugin configuration.
 *
 * <p><b>How the engine calls it.</b> Scripts live in other responses, and {@link #extract} must not
 * do I/O, so the work is split in two steps:
 * <ol>
 *   <li>{@link #extract(ExtractionInput)} on the page fetched for the target (by default
 *       {@code GET /}): names from the HTML itself, that is hosts of {@code <script src>} and of
 *       absolute links and resources pointing to other hosts ({@code links}), and hosts named in
 *       inline {@code <script>} blocks ({@code inline}). A response whose {@code Content-Type} is
 *       JavaScript is read as a script.</li>
 *   <li>{@link #scriptUrls(HttpResponse)} on the same page: the same-origin script URLs to fetch,
 *       at most {@link #maxScripts()}. The engine fetches each over the target's connection
 *       (same host, same port: it must not follow a redirect to another host), reading at most
 *       {@link #maxScriptBytes()} bytes of body, within the target's deadline, and hands each
 *       response to {@link #extractFromScript(HttpResponse)}. A script that fails to load is
 *       skipped.</li>
 * </ol>
 * The names of both steps belong to the same probe result; duplicates across them are removed by
 * the pipeline.
 *
 * <p>In script text a name counts only as the host of a URL ({@code https://x.y/…},
 * {@code //x.y/…}) or as a whole quoted lower-case string such as {@code "api.example.com"};
 * either way it must be a valid host name with a known top-level domain made of letters, and a
 * quoted one must not look like a file name ({@code app.js}, {@code jquery.min}) or a property
 * path ({@code user.id}). Scanning is linear and uses no regular expressions.
 */
public final class JsExtractor implements DomainExtractor {
    static final String MAX_SCRIPTS = "max_scripts";
    static final String MAX_SCRIPT_BYTES = "max_script_bytes";
    static final String INLINE = "inline";
    static final String LINKS = "links";
    static final String MAX_NAMES = "max_names";

    /** Detail of names read from the page's inline scripts. */
    public static final String DETAIL_INLINE = "inline script";

    private static final Set<String> SCRIPT_TYPES_NOT_JS = Set.of(
            "text/template", "text/x-template", "text/html", "text/x-handlebars-template", "text/css");
    private static final Set<String> LINK_ATTRIBUTES = Set.of("href", "src", "action", "data-src", "poster");

    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            ConfigOption.optional(MAX_SCRIPTS, OptionType.INT, "10",
                    "Most same-origin scripts the engine fetches per page (0 = read the page only)."),
            ConfigOption.optional(MAX_SCRIPT_BYTES, OptionType.INT, "1048576",
                    "Most bytes of one script the engine fetches and reads; the rest is ignored."),
            ConfigOption.optional(INLINE, OptionType.BOOLEAN, "true",
                    "Read the page's inline <script> blocks."),
            ConfigOption.optional(LINKS, OptionType.BOOLEAN, "true",
                    "Report the hosts of absolute links and resources on the page (a href, img src, script src,"
                            + " form action, ...) that point to other hosts."),
            ConfigOption.optional(MAX_NAMES, OptionType.INT, "1000",
                    "Most distinct names reported per page or script."));

    private volatile Config config = Config.from(PluginSettings.of(CorePlugins.JS_EXTRACTOR, SCHEMA, Map.of()));

    private record Config(int maxScripts, int maxScriptBytes, boolean inline, boolean links, int maxNames) {
        static Config from(PluginSettings s) {
            List<String> problems = new ArrayList<>();
            int maxScripts = s.getInt(MAX_SCRIPTS);
            if (maxScripts < 0) {
                problems.add(problem(MAX_SCRIPTS, "must be 0 or more, got " + maxScripts));
            }
            int maxScriptBytes = s.getInt(MAX_SCRIPT_BYTES);
            if (maxScriptBytes < 1) {
                problems.add(problem(MAX_SCRIPT_BYTES, "must be at least 1, got " + maxScriptBytes));
            }
            int maxNames = s.getInt(MAX_NAMES);
            if (maxNames < 1) {
                problems.add(problem(MAX_NAMES, "must be at least 1, got " + maxNames));
            }
            if (!problems.isEmpty()) {
                throw problems.size() == 1 ? new PluginException(problems.get(0))
                        : new PluginException("invalid settings of plugin " + CorePlugins.JS_EXTRACTOR + ":", problems);
            }
            return new Config(maxScripts, maxScriptBytes, s.getBoolean(INLINE), s.getBoolean(LINKS), maxNames);
        }

        private static String problem(String key, String message) {
            return "plugin " + CorePlugins.JS_EXTRACTOR + ": " + key + ": " + message;
        }
    }

    @Override
    public String name() {
        return CorePlugins.JS_EXTRACTOR;
    }

    @Override
    public String version() {
        return CorePlugins.VERSION;
    }

    @Override
    public ConfigSchema configSchema() {
        return SCHEMA;
    }

    /** @throws PluginException if a bound is out of range */
    @Override
    public void start(PluginContext context) {
        config = Config.from(context.settings());
    }

    @Override
    public boolean needsHttp() {
        return true;
    }

    /** Most same-origin scripts to fetch per page ({@code max_scripts}). */
    public int maxScripts() {
        return config.maxScripts();
    }

    /** Most bytes to fetch of one script ({@code max_script_bytes}). */
    public int maxScriptBytes() {
        return config.maxScriptBytes();
    }

    /** Step 1: the names in the page the engine fetched; see the class comment. */
    @Override
    public List<ExtractedName> extract(ExtractionInput input) {
        return input.http().map(this::extractFromPage).orElse(List.of());
    }

    /** Step 1 on a response: HTML is scanned as a page, JavaScript as a script. */
    public List<ExtractedName> extractFromPage(HttpResponse page) {
        if (isJavaScript(page)) {
            return extractFromScript(page);
        }
        Config c = config;
        Names names = new Names(c.maxNames());
        Optional<URI> pageUri = parse(page.url());
        String pageHost = pageUri.map(URI::getHost).map(h -> h.toLowerCase(Locale.ROOT)).orElse("");
        String html = page.bodyText();
        HtmlScanner.scan(html, new HtmlScanner.Visitor() {
            @Override
            public void tag(String tag, Map<String, String> attributes) {
                if (!c.links()) {
                    return;
                }
                for (Map.Entry<String, String> a : attributes.entrySet()) {
                    if (LINK_ATTRIBUTES.contains(a.getKey())) {
                        String host = absoluteUrlHost(a.getValue());
                        if (host != null && !host.equals(pageHost)) {
                            names.add(host, tag + " " + a.getKey());
                        }
                    }
                }
            }

            @Override
            public void scriptText(String text, Map<String, String> attributes) {
                if (c.inline() && !attributes.containsKey("src") && isScriptType(attributes.get("type"))) {
                    HostScanner.scan(text, c.maxScriptBytes(), found -> names.add(found.name(), DETAIL_INLINE));
                }
            }
        });
        return names.list();
    }

    /**
     * Step 2a: the URLs of the page's {@code <script src>} on the page's own origin (scheme, host and
     * port), resolved against the page URL (and its {@code <base href>}), without duplicates, in page
     * order, at most {@link #maxScripts()}. Empty when the page URL cannot be parsed.
     */
    public List<URI> scriptUrls(HttpResponse page) {
        Config c = config;
        Optional<URI> pageUri = parse(page.url()).filter(u -> u.getHost() != null && u.getScheme() != null);
        if (pageUri.isEmpty() || c.maxScripts() == 0 || isJavaScript(page)) {
            return List.of();
        }
        URI origin = pageUri.get();
        Set<URI> urls = new LinkedHashSet<>();
        URI[] base = {origin};
        HtmlScanner.scan(page.bodyText(), new HtmlScanner.Visitor() {
            @Override
            public void tag(String tag, Map<String, String> attributes) {
                if (tag.equals("base") && attributes.containsKey("href")) {
                    resolve(origin, attributes.get("href")).ifPresent(b -> base[0] = b);
                } else if (tag.equals("script") && urls.size() < c.maxScripts()) {
                    String src = attributes.get("src");
                    if (src != null && !src.isEmpty() && isScriptType(attributes.get("type"))) {
                        resolve(base[0], src).filter(u -> sameOrigin(origin, u)).ifPresent(urls::add);
                    }
                }
            }

            @Override
            public void scriptText(String text, Map<String, String> attributes) {
            }
        });
        return List.copyOf(urls);
    }

    /** Step 2b: the names in a fetched script; the detail of each is the script's URL. */
    public List<ExtractedName> extractFromScript(HttpResponse script) {
        return extractFromScript(script.url(), script.bodyText());
    }

    /**
     * Step 2b on text: the names in {@code text} (only its first {@link #maxScriptBytes()}
     * characters are read), each with {@code scriptUrl} as detail.
     */
    public List<ExtractedName> extractFromScript(String scriptUrl, CharSequence text) {
        Config c = config;
        Names names = new Names(c.maxNames());
        HostScanner.scan(text, c.maxScriptBytes(), found -> names.add(found.name(), scriptUrl));
        return names.list();
    }

    /** The host of an absolute ({@code https://h/…}) or protocol-relative ({@code //h/…}) URL, checked as in scripts. */
    private static String absoluteUrlHost(String value) {
        String v = value.strip();
        int hostStart;
        if (v.startsWith("//")) {
            hostStart = 2;
        } else if (v.regionMatches(true, 0, "https://", 0, 8)) {
            hostStart = 8;
        } else if (v.regionMatches(true, 0, "http://", 0, 7)) {
            hostStart = 7;
        } else {
            return null;
        }
        int end = hostStart;
        while (end < v.length() && "/?#:".indexOf(v.charAt(end)) < 0) {
            end++;
        }
        String authority = v.substring(hostStart, end);
        if (authority.indexOf('@') >= 0 || authority.isEmpty()) {
            return null;
        }
        return HostScanner.acceptUrlHost(authority);
    }

    private static boolean isJavaScript(HttpResponse response) {
        String type = response.headers().first("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        return type.contains("javascript") || type.contains("ecmascript");
    }

    /** Scripts with a non-JavaScript type ({@code text/template}, JSON is kept: it often holds URLs). */
    private static boolean isScriptType(String type) {
        return type == null || !SCRIPT_TYPES_NOT_JS.contains(type.strip().toLowerCase(Locale.ROOT));
    }

    private static Optional<URI> parse(String url) {
        try {
            return Optional.of(new URI(url.strip()));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static Optional<URI> resolve(URI base, String reference) {
        try {
            URI resolved = base.resolve(new URI(reference.strip())).normalize();
            String scheme = resolved.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))
                    || resolved.getHost() == null) {
                return Optional.empty();
            }
            return Optional.of(resolved);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost().equalsIgnoreCase(b.getHost())
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** Distinct names in order of first sight, each with its first detail, up to a bound. */
    private static final class Names {
        private final Map<String, String> found = new LinkedHashMap<>();
        private final int max;

        Names(int max) {
            this.max = max;
        }

        /** Adds a name unless the bound is reached; answers whether more names are wanted. */
        boolean add(String name, String detail) {
            if (found.size() < max) {
                found.putIfAbsent(name, detail);
            }
            return found.size() < max;
        }

        List<ExtractedName> list() {
            List<ExtractedName> names = new ArrayList<>(found.size());
            found.forEach((n, d) -> names.add(ExtractedName.of(n, ExtractedName.SOURCE_JS, d)));
            return names;
        }
    }
}
