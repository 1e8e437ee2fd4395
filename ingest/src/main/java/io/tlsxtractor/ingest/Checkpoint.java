package io.tlsxtractor.ingest;

import java.util.Objects;

/**
 * Where an expansion can resume: everything before {@code cursor} is in blocks numbered below
 * {@code nextSequence}. Expansion from a checkpoint is deterministic (for addresses; hostnames are resolved again),
 * so resuming re-produces blocks with the same ids and the same contents.
 *
 * @param nextSequence sequence number of the next block
 * @param cursor the first element not in any earlier block
 * @param targetsEmitted targets (address and port pairs) in the blocks before it
 * @param unresolved hostnames reported unresolvable before it
 */
public record Checkpoint(long nextSequence, Cursor cursor, long targetsEmitted, long unresolved) {

    /** Nothing expanded yet. */
    public static final Checkpoint START = new Checkpoint(0, Cursor.START, 0, 0);

    public Checkpoint {
        Objects.requireNonNull(cursor, "cursor");
        if (nextSequence < 0 || targetsEmitted < 0 || unresolved < 0) {
            throw new IllegalArgumentException("invalid checkpoint " + nextSequence + "/" + targetsEmitted + "/" + unresolved);
        }
    }
}
