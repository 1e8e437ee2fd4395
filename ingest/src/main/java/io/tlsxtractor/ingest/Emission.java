package io.tlsxtractor.ingest;

import io.tlsxtractor.schemas.avro.TargetBlock;

/** What an expansion produces, in order. Once it is delivered, {@link #resumeFrom()} is a safe place to resume. */
public sealed interface Emission permits Emission.Block, Emission.Unresolved {

    /** Where to resume once this and everything before it is delivered. */
    Checkpoint resumeFrom();

    /**
     * A block of targets.
     *
     * @param targets address and port pairs it holds
     */
    record Block(TargetBlock block, long targets, Checkpoint resumeFrom) implements Emission {
    }

    /**
     * A hostname that did not resolve: reported as a failed result (1.x reported it under its URL with a DNS error),
     * never dropped. Its checkpoint is the last block boundary before it, so a resume may report it twice; results
     * are keyed, so that is harmless.
     *
     * @param port the port it would have been probed on (its own, else the scan's first)
     */
    record Unresolved(ParsedTarget.Host target, Resolution resolution, int port, Checkpoint resumeFrom) implements Emission {
    }
}
