package io.tlsxtractor.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The targets of several inputs, read lazily, one line at a time: a file of a million lines or a /8 never sits in
 * memory. Invalid lines go to the problem sink with their line number and are skipped. An input that cannot be read
 * as text (missing, a directory, not UTF-8, a NUL byte: binary) ends the stream with a {@link TargetInputException}
 * naming the input and line.
 */
public final class TargetStream implements Iterator<TargetStream.Item>, AutoCloseable {

    /** Lines longer than this are not targets (a URL is at most a few thousand characters); they are reported. */
    public static final int MAX_LINE_CHARS = 8192;

    /** One target and where it was read. */
    public record Item(ParsedTarget target, int input, long line, String source) {
    }

    private final List<TargetInput> inputs;
    private final Cursor from;
    private final InputStream stdin;
    private final ScanInputs.Opener uploads;
    private final Consumer<ParseProblem> problems;

    private int inputIndex;
    private LineReader reader;
    private long lineNumber;
    private Item next;
    private boolean closed;

    TargetStream(List<TargetInput> inputs, Cursor from, InputStream stdin, ScanInputs.Opener uploads,
            Consumer<ParseProblem> problems) {
        this.inputs = List.copyOf(inputs);
        this.from = Objects.requireNonNull(from, "from");
        this.stdin = stdin;
        this.uploads = uploads;
        this.problems = Objects.requireNonNull(problems, "problems");
        this.inputIndex = from.input();
    }

    @Override
    public boolean hasNext() {
        if (next == null && !closed) {
            next = advance();
        }
        return next != null;
    }

    @Override
    public Item next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Item item = next;
        next = null;
        return item;
    }

    private Item advance() {
        while (inputIndex < inputs.size()) {
            TargetInput input = inputs.get(inputIndex);
            if (input.kind() == TargetInput.Kind.TARGET) {
                int index = inputIndex++;
                if (index == from.input() && from.line() > 1) {
                    continue;
                }
                try {
                    return new Item(TargetParser.parse(input.value(), input.type()), index, 1, input.sourceName());
                } catch (InvalidTargetException e) {
                    problems.accept(problem(input.sourceName(), 1, input.value(), e.getMessage()));
                    continue;
                }
            }
            if (reader == null) {
                reader = open(input);
                lineNumber = 0;
            }
            Item item = nextFromReader(input);
            if (item != null) {
                return item;
            }
            closeReader();
            inputIndex++;
        }
        return null;
    }

    private Item nextFromReader(TargetInput input) {
        long skipBelow = inputIndex == from.input() ? from.line() : 1;
        while (true) {
            String line;
            try {
                line = reader.next();
            } catch (CharacterCodingException e) {
                throw new TargetInputException("Cannot read targets from " + input.sourceName() + ": line "
                        + (lineNumber + 1) + " is not UTF-8 text (is it a binary file?)", e);
            } catch (IOException e) {
                throw new TargetInputException("Cannot read targets from " + input.sourceName() + " at line "
                        + (lineNumber + 1) + ": " + e.getMessage(), e);
            }
            if (line == null) {
                return null;
            }
            lineNumber++;
            if (lineNumber < skipBelow) {
                continue;
            }
            if (line.indexOf('\uFFFD') >= 0) {
                throw new TargetInputException("Cannot read targets from " + input.sourceName() + ": line " + lineNumber
                        + " is not UTF-8 text (is it a binary file?)");
            }
            if (line.indexOf('\0') >= 0) {
                throw new TargetInputException("Cannot read targets from " + input.sourceName() + ": line " + lineNumber
                        + " holds a NUL byte; this is a binary file, not a list of targets");
            }
            if (reader.lastLineTooLong()) {
                problems.accept(problem(input.sourceName(), lineNumber, line,
                        "line longer than " + MAX_LINE_CHARS + " characters"));
                continue;
            }
            if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            String text = stripComment(line).strip();
            if (text.isEmpty()) {
                continue;
            }
            try {
                return new Item(TargetParser.parse(text), inputIndex, lineNumber, input.sourceName());
            } catch (InvalidTargetException e) {
                problems.accept(problem(input.sourceName(), lineNumber, text, e.getMessage()));
            }
        }
    }

    /** A {@code #} starts a comment at the start of a line or after whitespace; inside a URL it is a fragment. */
    private static String stripComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static ParseProblem problem(String source, long line, String text, String reason) {
        String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text;
        return new ParseProblem(source, line, shown.strip(), reason);
    }

    private LineReader open(TargetInput input) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                // Replaced, then refused per line: decoding runs ahead of the lines, so only this way the error names
                // the line it is on.
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        if (input.kind() == TargetInput.Kind.STDIN) {
            if (stdin == null) {
                throw new TargetInputException("Cannot read targets from standard input: none is available");
            }
            // Standard input belongs to the process: reading ends at its end, closing is not ours to do.
            return new LineReader(new InputStreamReader(stdin, decoder), false);
        }
        if (input.kind() == TargetInput.Kind.UPLOAD) {
            if (uploads == null) {
                throw new TargetInputException("Cannot read targets from " + input.sourceName()
                        + ": this ingest has no connection to read uploaded files from");
            }
            try {
                return new LineReader(new InputStreamReader(uploads.open(UploadedInput.parse(input.value())), decoder),
                        true);
            } catch (IllegalArgumentException | IOException e) {
                throw new TargetInputException("Cannot read targets from " + input.sourceName() + ": " + e.getMessage(),
                        e);
            }
        }
        Path path = Path.of(input.value());
        if (Files.isDirectory(path)) {
            throw new TargetInputException("Cannot read targets from " + path + ": it is a directory, not a file");
        }
        try {
            return new LineReader(new InputStreamReader(Files.newInputStream(path), decoder), true);
        } catch (NoSuchFileException e) {
            throw new TargetInputException("Cannot read targets from " + path + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new TargetInputException("Cannot read targets from " + path + ": permission denied", e);
        } catch (IOException e) {
            throw new TargetInputException("Cannot read targets from " + path + ": " + e.getMessage(), e);
        }
    }

    private void closeReader() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot close " + inputs.get(inputIndex).sourceName(), e);
            } finally {
                reader = null;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        next = null;
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                // Nothing was written through it: a failed close loses nothing.
            }
            reader = null;
        }
    }

    /** Lines of a reader ({@code \n}, {@code \r\n} or {@code \r}), each cut at {@link #MAX_LINE_CHARS}. */
    private static final class LineReader {
        private final Reader in;
        private final boolean closeable;
        private final char[] buffer = new char[16 * 1024];
        private final StringBuilder line = new StringBuilder(128);
        private int position;
        private int limit;
        private boolean eof;
        private boolean skipLineFeed;
        private boolean tooLong;

        LineReader(Reader in, boolean closeable) {
            this.in = in;
            this.closeable = closeable;
        }

        String next() throws IOException {
            line.setLength(0);
            tooLong = false;
            boolean any = false;
            while (true) {
                if (position >= limit) {
                    if (eof) {
                        return any ? line.toString() : null;
                    }
                    limit = in.read(buffer, 0, buffer.length);
                    position = 0;
                    if (limit <= 0) {
                        limit = 0;
                        eof = true;
                        continue;
                    }
                }
                char c = buffer[position++];
                if (skipLineFeed) {
                    skipLineFeed = false;
                    if (c == '\n') {
                        continue;
                    }
                }
                if (c == '\n') {
                    return line.toString();
                }
                if (c == '\r') {
                    skipLineFeed = true;
                    return line.toString();
                }
                any = true;
                if (line.length() < MAX_LINE_CHARS) {
                    line.append(c);
                } else {
                    tooLong = true;
                }
            }
        }

        boolean lastLineTooLong() {
            return tooLong;
        }

        void close() throws IOException {
            if (closeable) {
                in.close();
            }
        }
    }
}
