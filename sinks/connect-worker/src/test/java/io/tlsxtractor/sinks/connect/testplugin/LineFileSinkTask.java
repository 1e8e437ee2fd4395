package io.tlsxtractor.sinks.connect.testplugin;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/** See {@link LineFileSinkConnector}. */
public class LineFileSinkTask extends SinkTask {

    private Writer out;
    private String prefix;

    @Override
    public void start(Map<String, String> props) {
        prefix = props.getOrDefault("prefix", "");
        try {
            out = Files.newBufferedWriter(Path.of(props.get("file")), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new ConnectException("Cannot open " + props.get("file"), e);
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        try {
            for (SinkRecord record : records) {
                String value = record.value() instanceof byte[] bytes
                        ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(record.value());
                if (value.startsWith("poison")) {
                    context.errantRecordReporter().report(record, new DataException("poison value at offset "
                            + record.kafkaOffset()));
                    continue;
                }
                out.write(prefix + value);
                out.write('\n');
            }
        } catch (IOException e) {
            throw new ConnectException(e);
        }
    }

    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        // Connect commits the offsets only after this returns: what is committed is on disk.
        try {
            out.flush();
        } catch (IOException e) {
            throw new ConnectException(e);
        }
    }

    @Override
    public void stop() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            throw new ConnectException(e);
        }
    }

    @Override
    public String version() {
        return "test";
    }
}
