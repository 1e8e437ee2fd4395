package io.tlsxtractor.ingest;

/**
 * A line of input that is not a target: it is skipped and reported, and the rest of the input is read.
 *
 * @param source the file path, {@code -} for standard input, or {@code target} for a target given directly
 * @param line 1-based line number in {@code source}
 * @param text the line as read (trimmed, cut to 200 characters)
 * @param reason what is wrong with it
 */
public record ParseProblem(String source, long line, String text, String reason) {

    @Override
    public String toString() {
        return source + ":" + line + ": " + reason + ": '" + text + "'";
    }
}
