package io.tlsxtractor.ingest.internal;

import io.tlsxtractor.ingest.Checkpoint;
import io.tlsxtractor.ingest.Cursor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * An expansion checkpoint as the metadata string of a committed consumer offset. While a request is being
 * expanded, ingest commits the request's own offset (so that it is delivered again after a crash) with the
 * checkpoint beside it; the next owner of the partition reads it and resumes. No extra topic, and the checkpoint
 * moves with the partition on a rebalance. Format: {@code tlsx-ingest/1|seq|input|line|offset|targets|unresolved|scan},
 * where scan is the scan id, or {@code #} and its SHA-256 when it is long (the broker keeps 4096 characters).
 */
public final class CheckpointCodec {

    private static final String PREFIX = "tlsx-ingest/1|";
    private static final int MAX_PLAIN_ID = 512;

    private CheckpointCodec() {
    }

    public static String encode(String scanId, Checkpoint checkpoint) {
        Cursor cursor = checkpoint.cursor();
        return PREFIX + checkpoint.nextSequence() + "|" + cursor.input() + "|" + cursor.line() + "|" + cursor.offset()
                + "|" + checkpoint.targetsEmitted() + "|" + checkpoint.unresolved() + "|" + idToken(scanId);
    }

    /** The checkpoint in {@code metadata} when it is one and belongs to {@code scanId}. */
    public static Optional<Checkpoint> decode(String metadata, String scanId) {
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = metadata.substring(PREFIX.length()).split("\\|", 7);
        if (parts.length != 7 || !parts[6].equals(idToken(scanId))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Checkpoint(Long.parseLong(parts[0]),
                    new Cursor(Integer.parseInt(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3])),
                    Long.parseLong(parts[4]), Long.parseLong(parts[5])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String idToken(String scanId) {
        if (scanId.length() <= MAX_PLAIN_ID) {
            return scanId;
        }
        try {
            return "#" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(scanId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
