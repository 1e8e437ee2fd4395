package io.tlsxtractor.plugins.core.csp;

import io.tlsxtractor.plugin.api.ConfigOption;
import io.tlsxtractor.plugin.api.ConfigSchema;
import io.tlsxtractor.plugin.api.DomainExtractor;
import io.tlsxtractor.plugin.api.ExtractedName;
import io.tlsxtractor.plugin.api.ExtractionInput;
import io.tlsxtractor.plugin.api.HttpHeaders;
import io.tlsxtractor.plugin.api.HttpResponse;
import io.tlsxtractor.plugin.api.OptionType;
import io.tlsxtractor.plugin.api.PluginContext;
import io.tlsxtractor.plugin.api.PluginException;
import io.tlsxtractor.plugin.api.PluginSettings;
import io.tlsxtractor.plugins.core.CorePlugins;
import io.tlsxtractor.plugins.core.names.DomainNames;
import java.net.IDN;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code csp-extractor}: the domain names named as sources in the {@code Content-Security-Policy}
 * and {@code Content-Security-Policy-Report-Only} headers of the HTTP response (every instance of
 * each header, and every policy of a comma-separated header value), as 1.x {@code --fetch-csp} did.
 *
 * <p>Rules (V1-COMPAT): only the configured directives are read (by default the 1.x list, see
 * {@link #V1_DIRECTIVES}); keywords ({@code 'self'}, {@code 'none'}, ...), nonces and hashes
 * (anything quoted), scheme-only sources ({@code https:}, {@code data:}, {@code blob:}) and a bare
 * {@code *} are skipped; {@code *.example.com} gives {@code *.example.com}, and
 * {@code https://cdn.example.com:8443/path} gives {@code cdn.example.com} (scheme, port, path and
 * query removed). IP literals and names that fail the 1.x host name rule are not reported. Names
 * are lower case, without a trailing dot, internationalised names in their ASCII form,
 * de-duplicated (the first directive that named one is its detail); the source is {@code csp}.
 *
 * <p>Hostile headers cost linear time: the text is scanned once without regular expressions, at
 * most {@code max_header_chars} characters are read per response and at most {@code max_names}
 * names are returned.
 */
public final class CspExtractor implements DomainExtractor {
    /** The directives 1.x reads, in its order. */
    public static final List<String> V1_DIRECTIVES = List.of(
            "default-src", "script-src", "style-src", "img-src", "connect-src", "font-src", "frame-src",
            "media-src", "object-src", "child-src", "worker-src", "manifest-src", "form-action", "frame-ancestors");

    public static final String HEADER = "Content-Security-Policy";
    public static final String REPORT_ONLY_HEADER = "Content-Security-Policy-Report-Only";

    static final String DIRECTIVES = "directives";
    static final String REPORT_ONLY = "report_only";
    static final String MAX_HEADER_CHARS = "max_header_chars";
    static final String MAX_NAMES = "max_names";

    /** Longer source expressions are not host sources anyone writes; skipping them bounds the work per token. */
    private static final int MAX_SOURCE_LENGTH = 2048;

    private static final Logger LOG = LoggerFactory.getLogger(CspExtractor.class);

    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            ConfigOption.optional(DIRECTIVES, OptionType.LIST, String.join(",", V1_DIRECTIVES),
                    "CSP directives whose sources are read, comma-separated (default: the 1.x list)."),
            ConfigOption.optional(REPORT_ONLY, OptionType.BOOLEAN, "true",
                    "Also read Content-Security-Policy-Report-Only headers, as 1.x does."),
            ConfigOption.optional(MAX_HEADER_CHARS, OptionType.INT, "1048576",
                    "Most characters of CSP header text read per response, all headers together;"
                            + " the rest is ignored (bounds the work on hostile headers)."),
            ConfigOption.optional(MAX_NAMES, OptionType.INT, "1000",
                    "Most distinct names reported per response."));

    private volatile Config config = Config.from(PluginSettings.of(CorePlugins.CSP_EXTRACTOR, SCHEMA, Map.of()));

    private record Config(Set<String> directives, boolean reportOnly, int maxHeaderChars, int maxNames) {
        static Config from(PluginSettings s) {
            List<String> problems = new ArrayList<>();
            Set<String> directives = new LinkedHashSet<>();
            for (String d : s.getList(DIRECTIVES)) {
                String name = d.toLowerCase(Locale.ROOT);
                if (!isDirectiveName(name)) {
                    problems.add(problem(DIRECTIVES, "\"" + d + "\" is not a CSP directive name"
                            + " (letters, digits and '-', such as script-src)"));
                }
                directives.add(name);
            }
            if (directives.isEmpty()) {
                problems.add(problem(DIRECTIVES, "is empty: name at least one directive"));
            }
            int maxHeaderChars = s.getInt(MAX_HEADER_CHARS);
            if (maxHeaderChars < 1) {
                problems.add(problem(MAX_HEADER_CHARS, "must be at least 1, got " + maxHeaderChars));
            }
            int maxNames = s.getInt(MAX_NAMES);
            if (maxNames < 1) {
                problems.add(problem(MAX_NAMES, "must be at least 1, got " + maxNames));
            }
            if (!problems.isEmpty()) {
                throw problems.size() == 1 ? new PluginException(problems.get(0))
                        : new PluginException("invalid settings of plugin " + CorePlugins.CSP_EXTRACTOR + ":", problems);
            }
            return new Config(Set.copyOf(directives), s.getBoolean(REPORT_ONLY), maxHeaderChars, maxNames);
        }

        private static String problem(String key, String message) {
            return "plugin " + CorePlugins.CSP_EXTRACTOR + ": " + key + ": " + message;
        }
    }

    @Override
    public String name() {
        return CorePlugins.CSP_EXTRACTOR;
    }

    @Override
    public String version() {
        return CorePlugins.VERSION;
    }

    @Override
    public ConfigSchema configSchema() {
        return SCHEMA;
    }

    /** @throws PluginException if the directives are not directive names or a bound is below 1 */
    @Override
    public void start(PluginContext context) {
        config = Config.from(context.settings());
    }

    @Override
    public boolean needsHttp() {
        return true;
    }

    @Override
    public List<ExtractedName> extract(ExtractionInput input) {
        return input.http().map(this::extract).orElse(List.of());
    }

    /** The names in the CSP headers of {@code response}. */
    public List<ExtractedName> extract(HttpResponse response) {
        Config c = config;
        HttpHeaders headers = response.headers();
        List<String> policies = new ArrayList<>(headers.all(HEADER));
        if (c.reportOnly()) {
            policies.addAll(headers.all(REPORT_ONLY_HEADER));
        }
        Map<String, String> found = new LinkedHashMap<>();
        int budget = c.maxHeaderChars();
        for (String policy : policies) {
            if (budget <= 0 || found.size() >= c.maxNames()) {
                break;
            }
            int length = Math.min(policy.length(), budget);
            if (length < policy.length()) {
                LOG.debug("CSP of {}: reading {} of {} characters (max_header_chars)", response.url(), length,
                        policy.length());
            }
            budget -= length;
            parsePolicy(policy, length, c, found);
        }
        List<ExtractedName> names = new ArrayList<>(found.size());
        found.forEach((name, directive) -> names.add(ExtractedName.of(name, ExtractedName.SOURCE_CSP, directive)));
        return names;
    }

    /** Reads {@code text[0, end)}: directives separated by ';', policies by ','. */
    private static void parsePolicy(String text, int end, Config c, Map<String, String> found) {
        int start = 0;
        while (start < end && found.size() < c.maxNames()) {
            int stop = start;
            while (stop < end && text.charAt(stop) != ';' && text.charAt(stop) != ',') {
                stop++;
            }
            parseDirective(text, start, stop, c, found);
            start = stop + 1;
        }
    }

    private static void parseDirective(String text, int start, int end, Config c, Map<String, String> found) {
        int i = skipSpace(text, start, end);
        int nameEnd = skipToken(text, i, end);
        if (nameEnd == i) {
            return;
        }
        String directive = text.substring(i, nameEnd).toLowerCase(Locale.ROOT);
        if (!c.directives().contains(directive)) {
            return;
        }
        i = nameEnd;
        while (i < end && found.size() < c.maxNames()) {
            i = skipSpace(text, i, end);
            int tokenEnd = skipToken(text, i, end);
            if (tokenEnd > i && tokenEnd - i <= MAX_SOURCE_LENGTH) {
                String host = hostOf(text.substring(i, tokenEnd));
                if (host != null) {
                    found.putIfAbsent(host, directive);
                }
            }
            i = tokenEnd;
        }
    }

    /**
     * The domain a source expression names, normalised, or {@code null} for a keyword, nonce,
     * hash, scheme-only source, {@code *}, an IP literal or anything that is not a host name.
     */
    static String hostOf(String source) {
        char first = source.charAt(0);
        if (first == '\'' || first == '"' || source.equals("*")) {
            return null;
        }
        int hostStart = 0;
        int schemeEnd = source.indexOf("://");
        if (schemeEnd >= 0) {
            if (!isScheme(source, 0, schemeEnd)) {
                return null;
            }
            hostStart = schemeEnd + 3;
        } else {
            int colon = source.indexOf(':');
            if (colon >= 0 && !isPortThenPath(source, colon + 1)) {
                // "https:", "data:", "blob:", or scheme:opaque-data such as "mailto:x": no host.
                return null;
            }
        }
        int hostEnd = hostStart;
        while (hostEnd < source.length() && "/?#".indexOf(source.charAt(hostEnd)) < 0) {
            hostEnd++;
        }
        String authority = source.substring(hostStart, hostEnd);
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        if (authority.startsWith("[")) {
            return null;
        }
        int port = authority.lastIndexOf(':');
        String host = port >= 0 ? authority.substring(0, port) : authority;
        if (host.isEmpty()) {
            return null;
        }
        host = toAscii(DomainNames.normalize(host));
        if (host == null || DomainNames.isIpLiteral(host) || !DomainNames.isValid(host)) {
            return null;
        }
        return host;
    }

    /** Whether {@code source[from..]} is a port ({@code 443} or {@code *}) optionally followed by a path. */
    private static boolean isPortThenPath(String source, int from) {
        int i = from;
        if (i < source.length() && source.charAt(i) == '*') {
            i++;
        } else {
            while (i < source.length() && source.charAt(i) >= '0' && source.charAt(i) <= '9') {
                i++;
            }
        }
        return i > from && (i == source.length() || source.charAt(i) == '/');
    }

    private static String toAscii(String host) {
        for (int i = 0; i < host.length(); i++) {
            if (host.charAt(i) > 0x7f) {
                try {
                    return IDN.toASCII(host, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return host;
    }

    private static boolean isScheme(String s, int start, int end) {
        if (end <= start || !Character.isLetter(s.charAt(start))) {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (!(c < 0x80 && (Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDirectiveName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static int skipSpace(String text, int i, int end) {
        while (i < end && isSpace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipToken(String text, int i, int end) {
        while (i < end && !isSpace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** ASCII white space as CSP defines it, plus the other control characters a broken server may send. */
    private static boolean isSpace(char c) {
        return c <= ' ';
    }
}
