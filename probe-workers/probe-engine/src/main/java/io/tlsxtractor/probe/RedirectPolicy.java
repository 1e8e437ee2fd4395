package io.tlsxtractor.probe;

/** Which HTTP redirects the engine follows when it fetches a page (1.x {@code -fr} / {@code -fhr}). */
public enum RedirectPolicy {
    /** Report the first response as is. */
    NONE,
    /** Follow redirects whose target is the same host ({@code --follow-host-redirects}). */
    SAME_HOST,
    /** Follow every HTTPS redirect ({@code --follow-redirects}); other hosts are resolved by DNS. */
    ALL
}
