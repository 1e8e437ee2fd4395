package io.tlsxtractor.sinks.connect.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What the Connect worker's child JVM and its parent need beyond local-stack's {@code ChildProcesses} (start, stop,
 * kill, log tail, class path, all by PID): the java binary, and the atomic write of the files they exchange.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /** The {@code java} of the running JVM, so that the child runs the same Java. */
    public static Path javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** Writes a file through a temporary sibling and a rename, so a reader never sees half of it. */
    public static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
