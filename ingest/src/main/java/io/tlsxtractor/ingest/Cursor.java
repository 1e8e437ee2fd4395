package io.tlsxtractor.ingest;

/**
 * A position in the expansion of a scan's inputs: the {@code offset}-th address (or resolved address) of the target
 * on line {@code line} of input {@code input}. Targets given directly are line 1 of their input.
 *
 * @param input 0-based index of the input
 * @param line 1-based line in the input
 * @param offset 0-based element of the target on that line
 */
public record Cursor(int input, long line, long offset) implements Comparable<Cursor> {

    /** The beginning of everything. */
    public static final Cursor START = new Cursor(0, 1, 0);

    public Cursor {
        if (input < 0 || line < 1 || offset < 0) {
            throw new IllegalArgumentException("invalid cursor " + input + "/" + line + "/" + offset);
        }
    }

    @Override
    public int compareTo(Cursor other) {
        int byInput = Integer.compare(input, other.input);
        if (byInput != 0) {
            return byInput;
        }
        int byLine = Long.compare(line, other.line);
        return byLine != 0 ? byLine : Long.compare(offset, other.offset);
    }

    @Override
    public String toString() {
        return input + "/" + line + "/" + offset;
    }
}
