package io.tlsxtractor.streams;

/** Why a name found in a probe result was not turned into a domain observation. Each drop is counted by reason. */
public enum DropReason {
    /** Empty or only white space. */
    EMPTY,
    /** Longer than 253 characters in ASCII form (or absurdly long as found). */
    TOO_LONG,
    /** Contains a control character (C0, DEL, C1). */
    CONTROL_CHARACTER,
    /** Contains white space inside the name. */
    WHITESPACE,
    /** An IPv4 or IPv6 literal, not a name. */
    IP_LITERAL,
    /** A single label ({@code localhost}, {@code intranet}): not a domain. */
    SINGLE_LABEL,
    /** A {@code *} anywhere but as the whole first label. */
    INVALID_WILDCARD,
    /** An internationalised name that does not convert to punycode. */
    INVALID_IDN,
    /** A character that no host name label may hold. */
    INVALID_CHARACTER,
    /** An empty label, a label over 63 characters, or one that starts or ends with a hyphen. */
    INVALID_LABEL,
    /** An underscore in the registrable domain (eTLD+1), where DNS registries never allow one. */
    UNDERSCORE_IN_REGISTRABLE,
    /** The name is itself a public suffix ({@code co.uk}, {@code *.co.uk}): nobody owns it. */
    PUBLIC_SUFFIX,
    /** Dropped by a filter plugin (default exclusions, include/exclude lists). */
    FILTERED
}
