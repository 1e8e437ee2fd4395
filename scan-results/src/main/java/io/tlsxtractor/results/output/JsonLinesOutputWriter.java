package io.tlsxtractor.results.output;

import io.tlsxtractor.plugin.api.OutputRecord;
import io.tlsxtractor.plugin.api.OutputTarget;
import io.tlsxtractor.plugin.api.OutputWriter;
import io.tlsxtractor.plugin.api.RecordSink;
import io.tlsxtractor.results.ResultRecords;
import io.tlsxtractor.results.internal.ModuleVersion;
import io.tlsxtractor.results.internal.PythonJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --format jsonl}: one {@code <result>} object per line, compact, as results arrive, each
 * line flushed at once, so that a crash keeps every result written so far (the point of the
 * format; the JSON document is only written at the end).
 *
 * <p>Every line is a {@code <result>} object identical to the document's, so {@code jq} sees one
 * shape: there is no metadata line ({@code metadata} and {@code discovered_hosts} records are
 * ignored; use {@code --format json} for them). A URL entry record gives one line per
 * connection. A replayed result identical to the last line written for its {@code ip:port} and
 * SNI is skipped; a different one is written again, so readers keep the last line per
 * {@code ip:port} and SNI.
 *
 * <p>A file target is written in place (created or truncated, mode 0600), not through a temporary
 * file: commit forces it to disk; closing without a commit keeps what was written.
 */
public final class JsonLinesOutputWriter implements OutputWriter {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    @Override
    public String name() {
        return "jsonl";
    }

    @Override
    public String version() {
        return ModuleVersion.VERSION;
    }

    @Override
    public String format() {
        return "jsonl";
    }

    @Override
    public RecordSink open(OutputTarget target) throws IOException {
        if (target.path().isEmpty()) {
            return new Sink(target, target.open(), null);
        }
        Path path = target.path().get();
        try {
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            FileAttribute<?>[] attrs = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
            FileChannel channel = FileChannel.open(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING), attrs);
            if (posix) {
                // The attribute applies only to a new file: an existing one is narrowed too.
                Files.setPosixFilePermissions(path, OWNER_ONLY);
            }
            return new Sink(target, Channels.newOutputStream(channel), channel);
        } catch (IOException e) {
            throw new IOException("cannot open JSON Lines output " + path + ": " + e.getMessage(), e);
        }
    }

    private static final class Sink implements RecordSink {
        private final OutputTarget target;
        private final OutputStream out;
        private final FileChannel channel;
        private final Map<String, Integer> lastLine = new HashMap<>();
        private boolean committed;
        private boolean closed;

        Sink(OutputTarget target, OutputStream out, FileChannel channel) {
            this.target = target;
            this.out = out;
            this.channel = channel;
        }

        @Override
        public void write(OutputRecord record) throws IOException {
            if (closed || committed) {
                throw new IOException("output " + target.description() + " is already " + (closed ? "closed" : "committed"));
            }
            if (OutputRecord.RESULT.equals(record.type())) {
                line(record.fields());
            } else if (ResultRecords.URL.equals(record.type()) && record.fields().get("connections") instanceof List<?> cs) {
                for (Object c : cs) {
                    if (c instanceof Map<?, ?> m) {
                        line(m);
                    }
                }
            }
        }

        private void line(Map<?, ?> result) throws IOException {
            String text = PythonJson.compact(result);
            String key = result.get("ip") + ":" + result.get("port") + "|" + result.get("sni");
            Integer previous = lastLine.put(key, text.hashCode());
            if (previous != null && previous == text.hashCode()) {
                return;
            }
            try {
                out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                throw new IOException("cannot write to " + target.description() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void commit() throws IOException {
            if (closed || committed) {
                throw new IOException("output " + target.description() + " is already " + (closed ? "closed" : "committed"));
            }
            out.flush();
            if (channel != null) {
                channel.force(true);
                out.close();
            } else if (out instanceof io.tlsxtractor.plugin.api.AtomicOutput atomic) {
                atomic.commit();
            }
            committed = true;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (!committed) {
                out.flush();
                out.close();
            }
        }
    }
}
