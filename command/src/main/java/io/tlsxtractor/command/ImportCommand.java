package io.tlsxtractor.command;

import io.tlsxtractor.command.scan.ClusterConnection;
import io.tlsxtractor.config.TlsxConfig;
import io.tlsxtractor.results.ImportedDocument;
import io.tlsxtractor.results.ResultsDocuments;
import io.tlsxtractor.results.ResultsFormatException;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.ProbeResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tlsxtractor import --file results_v1.json}: loads a 1.x document's results into the v2 pipeline, as
 * {@code ProbeResult}s on {@code tlsx.probe-results.v1} of a cluster, where the stream processors and sinks take them
 * like any scan's.
 */
@Command(name = "import", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Load the results of a 1.x results.json into tlsx.probe-results.v1 of a Kafka cluster.")
final class ImportCommand implements Callable<Integer> {

    @Option(names = "--file", paramLabel = "FILE", required = true, description = "The 1.x results.json.")
    Path file;

    @Option(names = "--scan-id", paramLabel = "ID", description = "Scan id of the records (default: the file's name).")
    String scanId;

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        TlsxConfig config = cluster.config(spec);
        ClusterConnection connection = ClusterOptions.connection(spec, config);
        String id = scanId != null ? scanId : defaultScanId(file);
        ImportedDocument doc;
        try {
            doc = ResultsDocuments.fromV1(read(spec, file), id);
        } catch (ResultsFormatException e) {
            throw new ParameterException(spec.commandLine(), file + ": " + e.getMessage(), e, null, file.toString());
        }
        Properties p = new Properties();
        p.putAll(connection.clientProperties());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        String topic = Topics.PROBE_RESULTS.name();
        Serializer<ProbeResult> values = Topics.PROBE_RESULTS.valueSerde(connection.registry(), connection.autoRegister())
                .serializer();
        Serializer<String> keys = Topics.PROBE_RESULTS.keySerde().serializer();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (ProbeResult r : doc.results()) {
                sent.add(producer.send(new ProducerRecord<>(topic, keys.serialize(topic, r.getIp() + ":" + r.getPort()),
                        values.serialize(topic, r))));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write the imported results to " + topic + " on "
                    + connection.bootstrapServers() + ": " + (e.getCause() != null ? e.getCause().getMessage() : e), e);
        }
        spec.commandLine().getOut().println("imported " + doc.results().size() + " results of " + file + " as scan " + id
                + " into " + topic + " on " + connection.bootstrapServers());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    static String read(CommandSpec spec, Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read " + file + ": " + e.getMessage(), e, null,
                    file.toString());
        }
    }

    /** {@code import-results_v1}: the file name without its extension, so that re-importing a file replays one id. */
    static String defaultScanId(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return "import-" + (dot > 0 ? name.substring(0, dot) : name);
    }
}
