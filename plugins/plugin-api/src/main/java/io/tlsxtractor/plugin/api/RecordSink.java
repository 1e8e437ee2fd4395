package io.tlsxtractor.plugin.api;

import java.io.Closeable;
import java.io.IOException;

/**
 * One open output of an {@link OutputWriter}. Used by one thread at a time. The pattern is
 * <pre>{@code
 * try (RecordSink sink = writer.open(target)) {
 *     for (OutputRecord r : records) sink.write(r);
 *     sink.commit();
 * }
 * }</pre>
 * so that a failure before {@link #commit()} leaves no partial file behind.
 */
public interface RecordSink extends Closeable {

    /** Writes or buffers one record. */
    void write(OutputRecord record) throws IOException;

    /** Finishes the output and makes it visible atomically (see {@link OutputTarget#open()}). */
    void commit() throws IOException;

    /** Releases the output; without a prior {@link #commit()}, discards it. */
    @Override
    void close() throws IOException;
}
