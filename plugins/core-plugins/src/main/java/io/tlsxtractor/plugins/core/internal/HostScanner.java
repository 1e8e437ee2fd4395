package io.tlsxtractor.plugins.core.internal;

import io.tlsxtractor.plugins.core.names.DomainNames;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Finds host names in script (or any program) text in one pass, without regular expressions.
 *
 * <p>Candidates are maximal runs of {@code [A-Za-z0-9.-]}. A run counts when it is
 * <ul>
 *   <li>the host of a URL: right after {@code ://} (also JSON-escaped {@code :\/\/}) or after a
 *       protocol-relative {@code //} that follows a quote, {@code (}, {@code =} or {@code ,} (so
 *       that a {@code // comment} is not read as a URL); or</li>
 *   <li>a whole quoted string ({@code "cdn.example.com"}), or the start of one up to a {@code /}
 *       ({@code 'api.example.com/v1'}), written in lower case.</li>
 * </ul>
 * Either way it must be a valid host name by the 1.x rule, not an IP literal, and end in a
 * known top-level domain made of letters. Quoted strings, which are weaker evidence, must also
 * not end in a file extension ({@code app.js}, {@code logo.png}, {@code jquery.min}) nor in a
 * top-level domain that is a common property name ({@code user.id}, {@code this.is}).
 */
public final class HostScanner {
    private static final Set<String> KNOWN_TLDS = loadTlds();

    /** Endings that make a quoted "a.b" a file name more likely than a host. */
    private static final Set<String> FILE_EXTENSIONS = Set.of(
            "js", "mjs", "cjs", "jsx", "ts", "tsx", "css", "scss", "less", "map", "json", "html", "htm", "xml",
            "svg", "png", "jpg", "jpeg", "gif", "webp", "ico", "bmp", "woff", "woff2", "ttf", "eot", "otf",
            "mp3", "mp4", "webm", "ogg", "wav", "mov", "avi", "pdf", "zip", "gz", "tar", "txt", "csv", "md",
            "py", "sh", "php", "asp", "aspx", "jsp", "vue", "min", "bundle", "chunk", "wasm", "yml", "yaml");

    /**
     * Real top-level domains that are also everyday identifiers in code: a quoted {@code "user.id"}
     * or {@code "row.name"} is a property path, not a host. URLs with these TLDs are still read.
     */
    private static final Set<String> CODE_WORD_TLDS = Set.of(
            "id", "is", "in", "it", "to", "do", "as", "at", "be", "by", "no", "on", "so", "us", "me", "my",
            "name", "link", "data", "date", "type", "map", "zip", "mov", "next", "new", "open", "page", "search",
            "show", "style", "win", "app", "dev", "one", "top", "run", "live", "call", "click", "save", "play",
            "read", "menu", "list", "host", "info", "mobile", "video", "photo", "email", "phone", "global",
            "prod", "direct", "select", "tab", "tips", "tools", "watch", "auto", "domains", "network", "target",
            "audio", "events", "center", "group", "media", "black", "red", "blue", "green", "pink", "gold", "help",
            "house", "game", "games", "ai");

    /**
     * A host name found.
     *
     * @param name the host, lower case
     * @param inUrl whether it was the host of a URL (rather than a quoted string)
     */
    public record Found(String name, boolean inUrl) {
    }

    private HostScanner() {
    }

    /** Whether {@code tld} (lower case) is a known top-level domain made of letters. */
    public static boolean isKnownTld(String tld) {
        return KNOWN_TLDS.contains(tld);
    }

    /**
     * Scans {@code text[0, min(length, limit))}, handing each accepted host to {@code sink}, until
     * the sink answers {@code false} (it has all it wants).
     */
    public static void scan(CharSequence text, int limit, Predicate<Found> sink) {
        int n = Math.min(text.length(), limit);
        int i = 0;
        while (i < n) {
            if (!isHostChar(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && isHostChar(text.charAt(i))) {
                i++;
            }
            int end = i;
            if (end - start > DomainNames.MAX_NAME_LENGTH + 1 || (end == n && n < text.length())) {
                // Too long for a name, or cut by the limit: the rest of the name was not read.
                continue;
            }
            boolean inUrl = afterUrlPrefix(text, start);
            if (!inUrl && !isQuotedString(text, start, end, n)) {
                continue;
            }
            String name = accept(text.subSequence(start, end).toString(), inUrl);
            if (name != null && !sink.test(new Found(name, inUrl))) {
                return;
            }
        }
    }

    /** The host a URL names ({@code https://cdn.example.com:8443/x} gives {@code cdn.example.com}), by the URL rules above. */
    public static String acceptUrlHost(String host) {
        return accept(host, true);
    }

    private static String accept(String raw, boolean inUrl) {
        if (!inUrl && hasUpperCase(raw)) {
            return null;
        }
        String name = DomainNames.normalize(raw);
        if (!DomainNames.isValidHostname(name) || DomainNames.isIpLiteral(name)) {
            return null;
        }
        String tld = DomainNames.topLevelLabel(name);
        if (!KNOWN_TLDS.contains(tld)) {
            return null;
        }
        if (!inUrl && (FILE_EXTENSIONS.contains(tld) || CODE_WORD_TLDS.contains(tld))) {
            return null;
        }
        return name;
    }

    private static boolean afterUrlPrefix(CharSequence t, int start) {
        if (endsWith(t, start, "://") || endsWith(t, start, ":\\/\\/")) {
            return true;
        }
        int before;
        if (endsWith(t, start, "\\/\\/")) {
            before = start - 5;
        } else if (endsWith(t, start, "//")) {
            before = start - 3;
        } else {
            return false;
        }
        if (before < 0) {
            return false;
        }
        char c = t.charAt(before);
        return c == '"' || c == '\'' || c == '`' || c == '(' || c == '=' || c == ',';
    }

    private static boolean isQuotedString(CharSequence t, int start, int end, int n) {
        if (start == 0 || end >= n) {
            return false;
        }
        char open = t.charAt(start - 1);
        if (open != '"' && open != '\'' && open != '`') {
            return false;
        }
        char close = t.charAt(end);
        return close == open || close == '/';
    }

    private static boolean endsWith(CharSequence t, int end, String suffix) {
        int start = end - suffix.length();
        if (start < 0) {
            return false;
        }
        for (int k = 0; k < suffix.length(); k++) {
            if (t.charAt(start + k) != suffix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasUpperCase(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return true;
            }
        }
        return false;
    }

    private static boolean isHostChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    }

    private static Set<String> loadTlds() {
        List<ListFile.Entry> entries = ListFile.readResource(HostScanner.class, "/io/tlsxtractor/plugins/core/known-tlds.txt");
        Set<String> tlds = new HashSet<>();
        entries.forEach(e -> tlds.add(e.value()));
        return Set.copyOf(tlds);
    }
}
