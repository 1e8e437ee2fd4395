package io.tlsxtractor.plugins.core.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A forgiving, single-pass HTML tag scanner: enough to find start tags with their attributes and
 * the text of {@code <script>} elements, in time linear in the input, on any input. It is not an
 * HTML parser (no tree, no entity decoding beyond {@code &amp;}), which is all the extractors need.
 */
public final class HtmlScanner {

    /** Receives what the scanner finds, in document order. */
    public interface Visitor {
        /**
         * A start tag.
         *
         * @param name the tag name, lower case
         * @param attributes attribute names (lower case) to values (first occurrence wins; a
         *     value-less attribute has the value {@code ""})
         */
        void tag(String name, Map<String, String> attributes);

        /** The text of a {@code <script>} element (inline script, or the body of one with {@code src}). */
        void scriptText(String text, Map<String, String> attributes);
    }

    private HtmlScanner() {
    }

    public static void scan(String html, Visitor visitor) {
        int n = html.length();
        int i = 0;
        while (i < n) {
            int lt = html.indexOf('<', i);
            if (lt < 0 || lt + 1 >= n) {
                return;
            }
            if (html.startsWith("<!--", lt)) {
                int end = html.indexOf("-->", lt + 4);
                i = end < 0 ? n : end + 3;
                continue;
            }
            char next = html.charAt(lt + 1);
            if (next == '/' || next == '!' || next == '?') {
                int end = html.indexOf('>', lt + 1);
                i = end < 0 ? n : end + 1;
                continue;
            }
            if (!isAsciiLetter(next)) {
                i = lt + 1;
                continue;
            }
            int nameEnd = lt + 1;
            while (nameEnd < n && isNameChar(html.charAt(nameEnd))) {
                nameEnd++;
            }
            String name = html.substring(lt + 1, nameEnd).toLowerCase(Locale.ROOT);
            Map<String, String> attributes = new LinkedHashMap<>();
            int tagEnd = readAttributes(html, nameEnd, attributes);
            visitor.tag(name, attributes);
            i = tagEnd;
            if (name.equals("script") || name.equals("style") || name.equals("textarea") || name.equals("title")) {
                // Raw text: a '<' inside a script is code, not a tag.
                int close = indexOfIgnoreCase(html, "</" + name, tagEnd);
                int textEnd = close < 0 ? n : close;
                if (name.equals("script")) {
                    visitor.scriptText(html.substring(Math.min(tagEnd, textEnd), textEnd), attributes);
                }
                i = textEnd;
            }
        }
    }

    /** Reads attributes from {@code i} up to the closing '>'; returns the index after it (or the end). */
    private static int readAttributes(String html, int i, Map<String, String> attributes) {
        int n = html.length();
        while (i < n) {
            char c = html.charAt(i);
            if (c == '>') {
                return i + 1;
            }
            if (c <= ' ' || c == '/') {
                i++;
                continue;
            }
            int nameStart = i;
            while (i < n && !isAttributeNameEnd(html.charAt(i))) {
                i++;
            }
            if (i == nameStart) {
                // A stray '=' or quote: skip it so that the scan always advances.
                i++;
                continue;
            }
            String name = html.substring(nameStart, i).toLowerCase(Locale.ROOT);
            i = skipSpace(html, i);
            String value = "";
            if (i < n && html.charAt(i) == '=') {
                i = skipSpace(html, i + 1);
                if (i < n && (html.charAt(i) == '"' || html.charAt(i) == '\'')) {
                    char quote = html.charAt(i);
                    int close = html.indexOf(quote, i + 1);
                    int valueEnd = close < 0 ? n : close;
                    value = html.substring(i + 1, valueEnd);
                    i = close < 0 ? n : close + 1;
                } else {
                    int valueStart = i;
                    while (i < n && html.charAt(i) > ' ' && html.charAt(i) != '>') {
                        i++;
                    }
                    value = html.substring(valueStart, i);
                }
            }
            attributes.putIfAbsent(name, value.replace("&amp;", "&").strip());
        }
        return n;
    }

    private static int skipSpace(String html, int i) {
        while (i < html.length() && html.charAt(i) <= ' ') {
            i++;
        }
        return i;
    }

    /** Like {@code indexOf}, ignoring ASCII case; {@code needle} must be lower case. */
    static int indexOfIgnoreCase(String text, String needle, int from) {
        char first = needle.charAt(0);
        int last = text.length() - needle.length();
        for (int i = Math.max(from, 0); i <= last; i++) {
            i = text.indexOf(first, i);
            if (i < 0 || i > last) {
                return -1;
            }
            if (text.regionMatches(true, i, needle, 0, needle.length())) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isAttributeNameEnd(char c) {
        return c <= ' ' || c == '=' || c == '>' || c == '/' || c == '"' || c == '\'';
    }

    private static boolean isNameChar(char c) {
        return isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '-' || c == ':';
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
