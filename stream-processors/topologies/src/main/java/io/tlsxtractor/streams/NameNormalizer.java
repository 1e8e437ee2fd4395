package io.tlsxtractor.streams;

import com.google.common.net.InternetDomainName;
import io.tlsxtractor.plugins.core.names.DomainNames;
import java.net.IDN;
import java.util.Locale;

/**
 * Turns a name as found (in an SNI, a SAN, a CN, a CSP header, JavaScript, a plugin) into the canonical domain the
 * inventory is keyed by, or says why it is not a domain. Pure and thread-safe.
 *
 * <p>Rules: lower case (ASCII rules), one trailing dot removed, internationalised names converted to punycode (the
 * Unicode form is kept for display), a leading {@code *.} kept as a wildcard with its base recorded. The registrable
 * domain is the eTLD+1 by the ICANN section of the Public Suffix List, as 1.x computed it (so {@code a.github.io}
 * belongs to {@code github.io}: the private section is ignored). Names are dropped, with a {@link DropReason}, when
 * they hold control characters or white space, are IP literals, single labels, longer than 253 characters, have
 * malformed labels, an underscore in the registrable part, or are themselves a public suffix.
 */
public final class NameNormalizer {

    /** Names this long as found are rejected before any work: they are garbage, not names. */
    private static final int MAX_RAW_LENGTH = 4 * DomainNames.MAX_NAME_LENGTH;
    private static final String WILDCARD_PREFIX = "*.";

    /** The result of {@link #normalize}. */
    public sealed interface Outcome permits Accepted, Rejected {
    }

    /**
     * A usable name.
     *
     * @param domain the canonical name: ASCII (punycode), lower case, {@code *.} kept for wildcards
     * @param unicode the same name with punycode labels shown in Unicode, for display
     * @param wildcard whether the name is a wildcard
     * @param base the name without its {@code *.} (the name itself when not a wildcard)
     * @param registrableDomain eTLD+1 (ICANN section), or null when the name is under no known public suffix
     */
    public record Accepted(String domain, String unicode, boolean wildcard, String base, String registrableDomain)
            implements Outcome {
    }

    /** A name that was dropped, and why; {@code detail} says what exactly was wrong. */
    public record Rejected(DropReason reason, String detail) implements Outcome {
    }

    private NameNormalizer() {
    }

    /** Normalises {@code raw}; never throws on any input, null included. */
    public static Outcome normalize(String raw) {
        if (raw == null || raw.isBlank()) {
            return new Rejected(DropReason.EMPTY, "empty name");
        }
        if (raw.length() > MAX_RAW_LENGTH) {
            return new Rejected(DropReason.TOO_LONG, "name of " + raw.length() + " characters");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (Character.isISOControl(c)) {
                return new Rejected(DropReason.CONTROL_CHARACTER,
                        String.format("control character U+%04X at index %d", (int) c, i));
            }
        }
        String name = raw.strip();
        for (int i = 0; i < name.length(); i++) {
            if (Character.isWhitespace(name.charAt(i)) || Character.isSpaceChar(name.charAt(i))) {
                return new Rejected(DropReason.WHITESPACE, "white space at index " + i);
            }
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        name = name.toLowerCase(Locale.ROOT);
        boolean wildcard = name.startsWith(WILDCARD_PREFIX);
        String base = wildcard ? name.substring(WILDCARD_PREFIX.length()) : name;
        if (base.indexOf('*') >= 0) {
            return new Rejected(DropReason.INVALID_WILDCARD, "'*' is allowed only as the whole first label");
        }
        if (base.isEmpty()) {
            return new Rejected(DropReason.EMPTY, "empty name");
        }
        if (DomainNames.isIpLiteral(base)) {
            return new Rejected(DropReason.IP_LITERAL, "an IP address, not a name");
        }
        String ascii;
        if (isAscii(base)) {
            ascii = base;
        } else {
            try {
                ascii = IDN.toASCII(base, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                return new Rejected(DropReason.INVALID_IDN, "not convertible to punycode: " + e.getMessage());
            }
        }
        if (ascii.length() > DomainNames.MAX_NAME_LENGTH) {
            return new Rejected(DropReason.TOO_LONG, "name of " + ascii.length() + " characters (253 at most)");
        }
        if (ascii.indexOf('.') < 0) {
            return new Rejected(DropReason.SINGLE_LABEL, "a single label is not a domain");
        }
        Rejected labelProblem = checkLabels(ascii);
        if (labelProblem != null) {
            return labelProblem;
        }
        if (DomainNames.isIpLiteral(ascii)) {
            return new Rejected(DropReason.IP_LITERAL, "an IP address, not a name");
        }
        // Guava refuses underscores at label edges; the suffix list has none, so an underscore-free twin of the name
        // of the same length gives the same suffix split.
        InternetDomainName parsed;
        try {
            parsed = InternetDomainName.from(ascii.replace('_', 'x'));
        } catch (IllegalArgumentException e) {
            return new Rejected(DropReason.INVALID_LABEL, e.getMessage());
        }
        if (parsed.isRegistrySuffix()) {
            return new Rejected(DropReason.PUBLIC_SUFFIX, "'" + ascii + "' is a public suffix");
        }
        String registrable = null;
        if (parsed.isUnderRegistrySuffix()) {
            int length = parsed.topDomainUnderRegistrySuffix().toString().length();
            registrable = ascii.substring(ascii.length() - length);
        }
        String ownedPart = registrable != null ? registrable : lastLabels(ascii, 2);
        if (ownedPart.indexOf('_') >= 0) {
            return new Rejected(DropReason.UNDERSCORE_IN_REGISTRABLE, "underscore in '" + ownedPart + "'");
        }
        String unicode = ascii.contains("xn--") ? IDN.toUnicode(ascii, IDN.ALLOW_UNASSIGNED) : ascii;
        String prefix = wildcard ? WILDCARD_PREFIX : "";
        return new Accepted(prefix + ascii, prefix + unicode, wildcard, ascii, registrable);
    }

    /** The accepted form of {@code raw}, or null when it is rejected. */
    public static Accepted acceptedOrNull(String raw) {
        return normalize(raw) instanceof Accepted a ? a : null;
    }

    private static Rejected checkLabels(String ascii) {
        int start = 0;
        for (int i = 0; i <= ascii.length(); i++) {
            if (i == ascii.length() || ascii.charAt(i) == '.') {
                int length = i - start;
                if (length == 0) {
                    return new Rejected(DropReason.INVALID_LABEL, "empty label at index " + start);
                }
                if (length > DomainNames.MAX_LABEL_LENGTH) {
                    return new Rejected(DropReason.INVALID_LABEL, "label of " + length + " characters at index "
                            + start + " (63 at most)");
                }
                if (ascii.charAt(start) == '-' || ascii.charAt(i - 1) == '-') {
                    return new Rejected(DropReason.INVALID_LABEL, "label starting or ending with '-' at index " + start);
                }
                start = i + 1;
            } else {
                char c = ascii.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                    return new Rejected(DropReason.INVALID_CHARACTER, "character '" + c + "' at index " + i);
                }
            }
        }
        return null;
    }

    private static String lastLabels(String name, int count) {
        int index = name.length();
        for (int found = 0; found < count; found++) {
            index = name.lastIndexOf('.', index - 1);
            if (index < 0) {
                return name;
            }
        }
        return name.substring(index + 1);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }
}
