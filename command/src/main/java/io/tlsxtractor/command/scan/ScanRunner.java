package io.tlsxtractor.command.scan;

import io.tlsxtractor.config.OutputFormat;
import io.tlsxtractor.config.TlsxConfig;
import io.tlsxtractor.ingest.ScanInputs;
import io.tlsxtractor.ingest.UploadedInput;
import io.tlsxtractor.plugin.api.OutputTarget;
import io.tlsxtractor.plugin.api.RecordSink;
import io.tlsxtractor.results.ResultsDocument;
import io.tlsxtractor.results.UrlTarget;
import io.tlsxtractor.results.V1Document;
import io.tlsxtractor.results.V1Results;
import io.tlsxtractor.results.output.CsvOutputWriter;
import io.tlsxtractor.results.output.JsonLinesOutputWriter;
import io.tlsxtractor.results.output.JsonOutputWriter;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.ScanRequest;
import io.tlsxtractor.schemas.avro.TargetSpec;
import io.tlsxtractor.schemas.avro.TargetType;
import io.tlsxtractor.tlslab.LabSpec;
import io.tlsxtractor.tlslab.TlsLab;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one scan of the command: starts the embedded pipeline (or connects to the configured cluster), submits the
 * request, follows it to the end with progress on stderr, writes the results file and stops what it started.
 *
 * <p>Exit codes as 1.x: 0 when the scan completed and the results were written, 130 when interrupted (the results so
 * far are written), and a {@link ScanException} (exit 1, {@code Error: …}) when the scan cannot run or be written.
 */
public final class ScanRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ScanRunner.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);
    /**
     * How long an interrupted or failed run waits for the pipeline to stop before it exits anyway (the broker hook
     * stops it).
     */
    private static final Duration INTERRUPTED_STOP_WAIT = Duration.ofSeconds(10);
    /** How long an interrupted run still takes the results already on their way before it writes the document. */
    private static final Duration INTERRUPT_DRAIN = Duration.ofSeconds(2);
    /** A scan that has not started after this long on a cluster is most likely waiting for an ingest that is not there. */
    private static final Duration NO_INGEST_HINT = Duration.ofSeconds(15);

    /**
     * What the command asked for besides the plan.
     *
     * @param config the effective configuration
     * @param plan the scan
     * @param labRange start the TLS lab in this process for this range first ({@code --lab}), or null
     * @param labPort the lab's port
     * @param err stderr
     * @param terminal whether stderr is a terminal (the status line redraws itself)
     * @param quiet no progress output
     * @param resumeCommand the command line that resumes this scan, for the messages that name it
     */
    public record Request(TlsxConfig config, ScanPlan plan, String labRange, int labPort, PrintWriter err,
            boolean terminal, boolean quiet, String resumeCommand) {
        public Request {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(plan, "plan");
            Objects.requireNonNull(err, "err");
            if (resumeCommand == null) {
                resumeCommand = "tlsxtractor --resume " + plan.scanId();
            }
        }

        /** A request whose resume command is {@code tlsxtractor --resume <scan id>}. */
        public Request(TlsxConfig config, ScanPlan plan, String labRange, int labPort, PrintWriter err,
                boolean terminal, boolean quiet) {
            this(config, plan, labRange, labPort, err, terminal, quiet, null);
        }
    }

    /**
     * How a run went, with the moments the benchmarks measure (nanoTime; 0 when it did not happen).
     *
     * @param exitCode 0, 130, or 1
     * @param document the document written (partial when interrupted)
     * @param started when {@link #run} was called
     * @param submitted when the request was acknowledged by the cluster
     * @param firstProbe when the embedded worker sent its first probe (0 on a cluster: the probes are sent elsewhere)
     * @param firstResult when the first result arrived
     * @param lastResult when the last result arrived
     * @param ended when everything was stopped
     */
    public record Report(int exitCode, V1Document document, long started, long submitted, long firstProbe,
            long firstResult, long lastResult, long ended) {
    }

    private ScanRunner() {
    }

    public static Report run(Request request) {
        long started = System.nanoTime();
        ScanPlan plan = request.plan();
        TlsxConfig config = request.config();
        checkWritable(plan.output());
        ProgressReporter progress = new ProgressReporter(request.err(), request.quiet(), request.terminal());
        TlsLab lab = null;
        EmbeddedPipeline pipeline = null;
        ResultCollector collector = null;
        KafkaProducer<byte[], byte[]> submitter = null;
        RecordSink lines = null;
        InterruptSignal signal = null;
        boolean interrupted = false;
        long[] moments = new long[3];
        try {
            // The lab and the embedded broker both take a while to start: start them side by side.
            CompletableFuture<TlsLab> labStart = request.labRange() == null ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.supplyAsync(() -> startLab(request.labRange(), request.labPort()));
            ClusterConnection connection;
            try {
                if (config.kafka().embedded()) {
                    progress.message("Starting the embedded pipeline (Kafka broker in "
                            + config.local().dataDir().resolve("embedded") + ")...");
                    try (EmbeddedPipeline.Starting starting = EmbeddedPipeline.begin(config,
                            plan.request().getOptions())) {
                        // The broker takes seconds to serve: the collector and the submitting producer are built
                        // meanwhile, so that only round trips are left between the broker's start and the request.
                        connection = starting.connection();
                        collector = new ResultCollector(connection, plan.scanId());
                        submitter = submitProducer(connection);
                        pipeline = starting.await();
                    }
                } else {
                    if (config.schemaRegistry().embedded()) {
                        throw new ScanException("--bootstrap-servers " + config.kafka().bootstrapServers()
                                + " needs the schema registry that the cluster's ingest and workers use: give "
                                + "--schema-registry-url (or schema_registry.url)");
                    }
                    connection = ClusterConnection.of(config, config.kafka().bootstrapServers());
                    collector = new ResultCollector(connection, plan.scanId());
                    submitter = submitProducer(connection);
                }
            } finally {
                lab = awaitLab(labStart);
            }
            if (lab != null) {
                progress.message("TLS lab answering for " + (request.labRange().isEmpty() ? "127.0.0.0/8"
                        : request.labRange()) + " on port " + lab.port());
            }
            if (plan.resumed()) {
                // The results of the interrupted run are on the topics: they count, and are written again.
                collector.positionAtBeginning();
            } else {
                collector.positionAtEnd();
            }
            ClusterConnection target = connection;
            if (plan.format() == OutputFormat.JSONL) {
                try {
                    lines = new JsonLinesOutputWriter().open(OutputTarget.file(plan.output()));
                } catch (IOException e) {
                    throw cannotWrite(request, target, e);
                }
            }
            ResultCollector stopTarget = collector;
            signal = InterruptSignal.install(stopTarget::stop);
            // An ingest on another machine cannot read this machine's files: a cluster gets them uploaded.
            try (KafkaProducer<byte[], byte[]> producer = submitter) {
                submitter = null;
                submit(producer, connection, plan.request(), pipeline == null, progress);
            }
            moments[0] = System.nanoTime();
            progress.message("Scan " + plan.scanId() + " submitted: " + plan.inputDescription());
            EmbeddedPipeline running = pipeline;
            RecordSink sink = lines;
            ResultCollector.Listener listener = new ResultCollector.Listener() {
                @Override
                public void onResult(ProbeResult result, boolean first) {
                    long now = System.nanoTime();
                    if (moments[1] == 0) {
                        moments[1] = now;
                    }
                    moments[2] = now;
                    if (sink != null && !ResultCollector.isDnsFailure(result)) {
                        try {
                            sink.write(V1Results.toRecord(result));
                        } catch (IOException e) {
                            throw cannotWrite(request, target, e);
                        }
                    }
                    progress.onResult(result, first);
                }

                @Override
                public void onNotice(String message) {
                    progress.onNotice(message);
                }

                @Override
                public void onTotal(long total, boolean complete) {
                    progress.onTotal(total, complete);
                }
            };
            long submittedAt = moments[0];
            boolean[] hinted = {false};
            ResultCollector.Outcome outcome = collector.follow(listener, () -> false, () -> {
                progress.tick(false);
                if (running != null) {
                    return running.failure();
                }
                if (!hinted[0] && stopTarget.total() < 0 && System.nanoTime() - submittedAt > NO_INGEST_HINT.toNanos()) {
                    hinted[0] = true;
                    progress.message("Still waiting for the scan to start: is an ingest (tlsxtractor ingest) and a "
                            + "worker (tlsxtractor worker) running against " + connection.bootstrapServers() + "?");
                }
                return null;
            });
            progress.tick(true);
            progress.finish();
            if (outcome == ResultCollector.Outcome.FAILED) {
                String why = collector.failure();
                if (running != null && running.failure() != null || why.startsWith("the Kafka cluster at ")) {
                    // The scan itself was fine: what it has is on the topics, and a resume picks it up.
                    why += "; the results so far are kept on topic " + Topics.PROBE_RESULTS.name() + ": resume with '"
                            + request.resumeCommand() + "'";
                }
                throw new ScanException("scan " + plan.scanId() + " failed: " + why);
            }
            interrupted = outcome == ResultCollector.Outcome.INTERRUPTED;
            if (interrupted) {
                collector.drain(listener, INTERRUPT_DRAIN);
                progress.message("Interrupted: writing the " + collector.done() + " results received so far");
            }
            long elapsedNanos = System.nanoTime() - started;
            V1Document document = document(plan, collector, Duration.ofNanos(elapsedNanos));
            write(request, document, lines, connection);
            lines = null;
            summary(progress, plan, document, interrupted);
            long firstProbe = pipeline == null ? 0 : pipeline.firstProbeNanos();
            long ended = stop(collector, pipeline, lab, interrupted);
            collector = null;
            pipeline = null;
            lab = null;
            Report report = new Report(interrupted ? 130 : 0, document, started, moments[0], firstProbe, moments[1],
                    moments[2], ended);
            logTimings(plan.scanId(), report);
            return report;
        } finally {
            if (submitter != null) {
                submitter.close(Duration.ZERO);
            }
            if (signal != null) {
                signal.close();
            }
            if (lines != null) {
                try {
                    lines.close();
                } catch (IOException e) {
                    LOG.debug("Closing {} failed: {}", plan.output(), e.toString());
                }
            }
            // Only after a failure: the wait is bounded, as after an interrupt, for a broker that died cannot be
            // waited for.
            stop(collector, pipeline, lab, true);
        }
    }

    /**
     * Logs where the scan's time went (INFO, so in {@code --log-file} at the default level): from the process start (the
     * JVM's, as the user waits for it) and from this run's start to the first probe, the scan itself, and the teardown.
     * The cold-process benchmark reads this line.
     */
    private static void logTimings(String scanId, Report r) {
        long now = System.nanoTime();
        long processStart = ProcessHandle.current().info().startInstant()
                .map(start -> now - Duration.between(start, Instant.now()).toNanos())
                .orElse(r.started());
        LOG.info("Scan {} timings: process start -> first probe sent {} s, run start -> first probe sent {} s, "
                        + "request submitted -> last result {} s, last result -> all stopped {} s", scanId,
                seconds(r.firstProbe() == 0 ? -1 : r.firstProbe() - processStart),
                seconds(r.firstProbe() == 0 ? -1 : r.firstProbe() - r.started()),
                seconds(r.lastResult() == 0 ? -1 : r.lastResult() - r.submitted()),
                seconds(r.lastResult() == 0 ? -1 : r.ended() - r.lastResult()));
    }

    private static String seconds(long nanos) {
        return nanos < 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", nanos / 1e9);
    }

    /** The document of what was received; the target count is the ingest's when it is final. */
    static V1Document document(ScanPlan plan, ResultCollector collector, Duration elapsed) {
        ScanPlan withTotal = collector.totalFinal() ? plan.withTotalTargets(collector.total()) : plan;
        ResultsDocument doc = ResultsDocument.create(withTotal.metadata(), withTotal.filters());
        for (ProbeResult r : collector.received()) {
            if (ResultCollector.isDnsFailure(r)) {
                String url = r.getUrl() != null ? r.getUrl() : r.getHostname();
                doc.addUrl(new UrlTarget(url, r.getHostname() == null ? url : r.getHostname(), r.getPort(),
                        r.getErrorCode() == null ? "failed" : r.getErrorCode().name().toLowerCase(Locale.ROOT),
                        List.of(), r.getError()));
            } else {
                doc.add(r);
            }
        }
        return doc.finish(elapsed);
    }

    private static void write(Request request, V1Document document, RecordSink lines, ClusterConnection connection) {
        ScanPlan plan = request.plan();
        try {
            switch (plan.format()) {
                case JSON -> document.writeTo(new JsonOutputWriter(), OutputTarget.file(plan.output()));
                case CSV -> document.writeTo(new CsvOutputWriter(), OutputTarget.file(plan.output()));
                case JSONL -> {
                    lines.commit();
                    lines.close();
                }
                default -> throw new IllegalStateException("format " + plan.format());
            }
        } catch (IOException e) {
            throw cannotWrite(request, connection, e);
        }
    }

    /**
     * The results file cannot be written (disk full, a directory that went away): say why, and that the results are
     * not lost: they are on the topics, from which {@code --resume} writes them without probing again.
     */
    static ScanException cannotWrite(Request request, ClusterConnection connection, IOException e) {
        ScanPlan plan = request.plan();
        String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            why = fs.getReason() + " (" + fs.getFile() + ")";
        }
        return new ScanException("cannot write the results to " + plan.output() + ": " + why + ". The scan's results are"
                + " kept on topic " + Topics.PROBE_RESULTS.name() + " at " + connection.bootstrapServers() + " under scan id "
                + plan.scanId() + ": make room and run '" + request.resumeCommand() + "' to write them without probing again", e);
    }

    private static void summary(ProgressReporter progress, ScanPlan plan, V1Document document, boolean interrupted) {
        Map<String, Object> stats = stats(document);
        Map<String, Object> hosts = document.discoveredHosts();
        progress.message(String.format(Locale.ROOT, "%s: %s targets, %s scanned, %s successful, %s failed in %ss (%s/s)",
                interrupted ? "Scan interrupted" : "Scan complete", stats.get("total_targets"), stats.get("scanned"),
                stats.get("successful"), stats.get("failed"), stats.get("elapsed_seconds"), stats.get("scan_rate")));
        progress.message("Discovered " + hosts.get("total_hostnames") + " hostnames and " + hosts.get("total_tlds")
                + " registrable domains (" + stats.get("unique_domains") + " unique names in the results)");
        Object breakdown = ((Map<?, ?>) stats.get("error_breakdown")).get("by_category");
        if (breakdown instanceof Map<?, ?> m && !m.isEmpty()) {
            progress.message("Errors by category: " + m);
        }
        progress.message("Results written to " + plan.output() + " (" + plan.format().configName() + ")");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stats(V1Document document) {
        return (Map<String, Object>) document.metadata().get("statistics");
    }

    private static TlsLab awaitLab(CompletableFuture<TlsLab> start) {
        try {
            return start.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private static TlsLab startLab(String range, int port) {
        LabSpec spec;
        try {
            spec = range.isEmpty() ? LabSpec.builder().build() : LabSpec.builder().build().withRange(range);
        } catch (IllegalArgumentException e) {
            throw new ScanException("--lab: " + e.getMessage(), e);
        }
        try {
            return TlsLab.start(spec, port);
        } catch (RuntimeException e) {
            throw new ScanException("--lab: cannot start the TLS lab on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** Fails before anything starts when the results could not be written at the end. */
    static void checkWritable(Path output) {
        Path file = output.toAbsolutePath();
        Path dir = file.getParent();
        if (Files.isDirectory(file)) {
            throw new ScanException("cannot write the results to " + output + ": it is a directory");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new ScanException("cannot write the results to " + output + ": no such directory " + dir);
        }
        try {
            Path probe = Files.createTempFile(dir, "." + file.getFileName() + ".", ".check");
            Files.delete(probe);
        } catch (IOException e) {
            throw new ScanException("cannot write the results to " + output + ": directory " + dir
                    + " is not writable (" + e.getMessage() + ")", e);
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new ScanException("cannot write the results to " + output + ": the file is not writable");
        }
    }

    /** The producer that sends the scan request (and uploads its input files); it connects on its first send. */
    private static KafkaProducer<byte[], byte[]> submitProducer(ClusterConnection connection) {
        Properties p = new Properties();
        p.putAll(connection.clientProperties());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "tlsx-cli-submit");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(SEND_TIMEOUT.toMillis()));
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void submit(KafkaProducer<byte[], byte[]> producer, ClusterConnection connection,
            ScanRequest request, boolean uploadFiles, ProgressReporter progress) {
        String topic = Topics.SCAN_REQUESTS.name();
        try {
            ScanRequest toSend = uploadFiles ? withUploadedFiles(producer, request, progress) : request;
            byte[] value = Topics.SCAN_REQUESTS.valueSerde(connection.registry(), connection.autoRegister()).serializer()
                    .serialize(topic, toSend);
            byte[] key = Topics.SCAN_REQUESTS.keySerde().serializer().serialize(topic, request.getScanId());
            producer.send(new ProducerRecord<>(topic, key, value)).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScanException("interrupted while submitting scan " + request.getScanId(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new ScanException("cannot submit scan " + request.getScanId() + " to " + topic + " on "
                    + connection.bootstrapServers() + ": " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
    }

    /**
     * The request with each file target replaced by the file uploaded to {@code tlsx.scan-inputs.v1}. The file is sent
     * as it is, chunk by chunk: the ingest reads it as it would read the file, and the command never holds it in memory.
     */
    private static ScanRequest withUploadedFiles(KafkaProducer<byte[], byte[]> producer, ScanRequest request,
            ProgressReporter progress) {
        List<TargetSpec> targets = new ArrayList<>();
        boolean changed = false;
        for (TargetSpec spec : request.getTargets()) {
            if (spec.getType() != TargetType.FILE) {
                targets.add(spec);
                continue;
            }
            Path file = Path.of(spec.getValue());
            try {
                progress.message("Uploading " + file + " (" + Files.size(file) + " bytes) to " + Topics.SCAN_INPUTS.name());
                UploadedInput upload = ScanInputs.upload(producer, request.getScanId(), file, SEND_TIMEOUT);
                targets.add(TargetSpec.newBuilder().setType(TargetType.UPLOAD).setValue(upload.specValue()).build());
                changed = true;
            } catch (IOException e) {
                throw new ScanException("scan " + request.getScanId() + ": " + e.getMessage(), e);
            }
        }
        return changed ? ScanRequest.newBuilder(request).setTargets(targets).build() : request;
    }

    /**
     * Stops what the run started, newest first; returns when it ended. After an interrupt the wait is bounded: the
     * results are already written, and the broker's exit hook stops it if this JVM exits first.
     */
    private static long stop(ResultCollector collector, EmbeddedPipeline pipeline, TlsLab lab, boolean interrupted) {
        if (collector != null) {
            collector.close();
        }
        if (pipeline != null) {
            if (interrupted) {
                Thread stopper = new Thread(pipeline::close, "tlsx-embedded-stop");
                stopper.setDaemon(true);
                stopper.start();
                try {
                    stopper.join(INTERRUPTED_STOP_WAIT.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                pipeline.close();
            }
        }
        if (lab != null) {
            lab.close();
        }
        return System.nanoTime();
    }
}
