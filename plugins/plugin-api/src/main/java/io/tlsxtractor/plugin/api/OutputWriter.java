package io.tlsxtractor.plugin.api;

import java.io.IOException;

/**
 * Writes records in one format ({@code json}: the 1.x document, {@code jsonl}, {@code csv}, ...).
 * The plugin is a factory of {@link RecordSink}s rather than a stream itself, so one installed
 * writer can serve several outputs at once and its lifecycle ({@link #start}, {@link #close()})
 * stays apart from the finishing of a file.
 */
public interface OutputWriter extends Plugin {

    @Override
    default PluginKind kind() {
        return PluginKind.OUTPUT;
    }

    /** The format name users pass to {@code --format}: lower case, unique among writers. */
    String format();

    /**
     * Opens a sink on {@code target}; most writers write through {@link OutputTarget#open()}.
     *
     * @throws IOException if the target cannot be opened; the message names the target
     */
    RecordSink open(OutputTarget target) throws IOException;
}
