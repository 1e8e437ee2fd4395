package io.tlsxtractor.plugin.api;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * An output stream that takes effect only on {@link #commit()}: see {@link OutputTarget#open()}.
 * {@link #close()} without a commit discards what was written. Not thread-safe.
 */
public final class AtomicOutput extends FilterOutputStream {
    private final Path target;
    private final Path temp;
    private final String description;
    private boolean committed;
    private boolean closed;

    private AtomicOutput(OutputStream out, Path target, Path temp, String description) {
        super(out);
        this.target = target;
        this.temp = temp;
        this.description = description;
    }

    static AtomicOutput toFile(Path target) throws IOException {
        Path dir = target.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path temp;
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        }
        return new AtomicOutput(new BufferedOutputStream(Files.newOutputStream(temp), 64 * 1024),
                target, temp, target.toString());
    }

    static AtomicOutput toStream(OutputStream stream, String description) {
        return new AtomicOutput(stream, null, null, description);
    }

    // FilterOutputStream writes byte by byte; pass arrays through.
    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    /** Makes the output visible: the file is moved into place, or the stream flushed. */
    public void commit() throws IOException {
        if (closed || committed) {
            throw new IOException("output " + description + " is already " + (committed ? "committed" : "closed"));
        }
        if (temp == null) {
            out.flush();
            committed = true;
            return;
        }
        out.close();
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
    }

    public boolean committed() {
        return committed;
    }

    /** Without a prior {@link #commit()}, discards the output; a caller-owned stream is never closed. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (temp == null) {
            if (!committed) {
                out.flush();
            }
            return;
        }
        if (!committed) {
            try {
                out.close();
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }
}
