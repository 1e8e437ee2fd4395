package io.tlsxtractor.plugins.core.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a list file: one entry per line, {@code #} starts a comment, blank lines are skipped,
 * surrounding white space is removed.
 */
public final class ListFile {

    /**
     * One entry and the line it was on (1-based).
     *
     * @param value the entry, trimmed
     * @param line its line number
     */
    public record Entry(String value, int line) {
    }

    private ListFile() {
    }

    public static List<Entry> read(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader);
        }
    }

    /** Reads a resource next to {@code anchor}; a missing resource is a packaging bug. */
    public static List<Entry> readResource(Class<?> anchor, String name) {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing next to " + anchor.getName());
            }
            return read(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + name, e);
        }
    }

    private static List<Entry> read(Reader source) throws IOException {
        BufferedReader reader = source instanceof BufferedReader b ? b : new BufferedReader(source);
        List<Entry> entries = new ArrayList<>();
        int lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            int hash = line.indexOf('#');
            String value = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (lineNumber == 1 && value.startsWith("\uFEFF")) {
                value = value.substring(1).strip();
            }
            if (!value.isEmpty()) {
                entries.add(new Entry(value, lineNumber));
            }
        }
        return entries;
    }
}
