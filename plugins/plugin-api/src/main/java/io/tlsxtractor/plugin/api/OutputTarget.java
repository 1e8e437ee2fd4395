package io.tlsxtractor.plugin.api;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** Where an output writer writes: a file (written atomically) or a stream the caller owns. */
public final class OutputTarget {
    private final Path path;
    private final OutputStream stream;
    private final String description;

    private OutputTarget(Path path, OutputStream stream, String description) {
        this.path = path;
        this.stream = stream;
        this.description = description;
    }

    /** A file, created or replaced only when the writer commits. */
    public static OutputTarget file(Path path) {
        return new OutputTarget(Objects.requireNonNull(path, "path").toAbsolutePath(), null, path.toString());
    }

    /**
     * A stream the caller owns (standard output): writers flush it on commit and never close it.
     *
     * @param description for messages, such as {@code "standard output"}
     */
    public static OutputTarget stream(OutputStream stream, String description) {
        return new OutputTarget(null, Objects.requireNonNull(stream, "stream"), description);
    }

    /** The file, for a file target. */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    /** For messages: the path, or the stream's description. */
    public String description() {
        return description;
    }

    /**
     * Opens the target for writing. For a file: a temporary file in the same directory, readable
     * only by the owner where the file system allows, moved over the target by
     * {@link AtomicOutput#commit()} and deleted by {@link AtomicOutput#close()} without a commit,
     * so that readers never see a half-written file (the 1.x behaviour).
     */
    public AtomicOutput open() throws IOException {
        return path != null ? AtomicOutput.toFile(path) : AtomicOutput.toStream(stream, description);
    }

    @Override
    public String toString() {
        return "OutputTarget[" + description + "]";
    }
}
