package io.tlsxtractor.config.internal;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...?" for misspelt keys and variables. */
public final class Suggestions {

    private Suggestions() {
    }

    /**
     * The candidate {@code unknown} most likely meant: one with the same last segment (a key put in
     * the wrong section), else the nearest by edit distance if it is near enough to be a typo.
     */
    public static Optional<String> closest(String unknown, Collection<String> candidates, char separator) {
        String wanted = unknown.toLowerCase(Locale.ROOT);
        String last = lastSegment(wanted, separator);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            String lower = candidate.toLowerCase(Locale.ROOT);
            if (lower.equals(wanted)) {
                return Optional.of(candidate);
            }
            int distance = distance(wanted, lower);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best != null && bestDistance <= Math.max(2, wanted.length() / 5)) {
            return Optional.of(best);
        }
        if (last.length() > 2) {
            for (String candidate : candidates) {
                if (lastSegment(candidate.toLowerCase(Locale.ROOT), separator).equals(last)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static String lastSegment(String path, char separator) {
        return path.substring(path.lastIndexOf(separator) + 1);
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
