package io.tlsxtractor.command.scan;

import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.ErrorCategory;
import io.tlsxtractor.schemas.avro.Event;
import io.tlsxtractor.schemas.avro.EventType;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.ScanState;
import io.tlsxtractor.schemas.avro.ScanStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one scan on the topics: its probe results ({@code tlsx.probe-results.v1}), its status
 * ({@code tlsx.scan-status.v1}: the final target count, or why it failed) and its events ({@code tlsx.events.v1}: what
 * the ingest skipped). It reads every partition without a consumer group, from the offsets taken by
 * {@link #positionAtEnd()} before the request is sent (a new scan) or from the beginning (a resumed one), and keeps
 * only the records of its scan id.
 *
 * <p>The scan is complete when there is a result for every target: results are counted per endpoint ({@code ip:port}
 * and the input name it came from, so that the replays of at-least-once delivery are counted once), and a hostname
 * that did not resolve is one result too.
 */
public final class ResultCollector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResultCollector.class);
    private static final Duration POLL = Duration.ofMillis(100);

    /** What the collector reports while it follows the scan. */
    public interface Listener {
        /** A result of the scan arrived (possibly a replay of one already seen; {@code firstForEndpoint} says). */
        void onResult(ProbeResult result, boolean firstForEndpoint);

        /** The ingest reported something about the scan worth telling the user (skipped ranges, invalid lines). */
        void onNotice(String message);

        /** The target count changed; {@code complete} once it is final. */
        void onTotal(long total, boolean complete);
    }

    /** How following the scan ended. */
    public enum Outcome {
        /** A result for every target. */
        COMPLETE,
        /** The user interrupted it. */
        INTERRUPTED,
        /** The pipeline rejected or failed the scan: see {@link #failure()}. */
        FAILED
    }

    /** With no record for this long, the collector asks the cluster whether it is still there. */
    private static final Duration QUIET_CHECK = Duration.ofSeconds(10);
    /** How long the cluster may not answer before the scan is given up. */
    static final Duration CLUSTER_LOST = Duration.ofSeconds(45);

    private final String scanId;
    private final String bootstrapServers;
    private long lastContact = System.nanoTime();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<ProbeResult> results;
    private final Deserializer<ScanStatus> statuses;
    private final Deserializer<Event> events;
    private final Set<String> endpoints = new HashSet<>();
    private final List<ProbeResult> received = new ArrayList<>();
    private long total = -1;
    private boolean totalFinal;
    private String failure;
    private volatile boolean stop;

    public ResultCollector(ClusterConnection connection, String scanId) {
        this.scanId = scanId;
        Properties p = new Properties();
        p.putAll(connection.clientProperties());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers());
        this.bootstrapServers = connection.bootstrapServers();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "tlsx-cli-collector-" + scanId);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        // A fetch answered per produced batch costs the broker CPU that a scan on the same machine needs; waiting up
        // to 200 ms for 256 KiB gathers several batches per fetch, and 200 ms is below what the progress bar shows.
        p.putIfAbsent(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(256 * 1024));
        p.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "200");
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.results = Topics.PROBE_RESULTS.valueSerde(connection.registry(), false).deserializer();
        this.statuses = Topics.SCAN_STATUS.valueSerde(connection.registry(), false).deserializer();
        this.events = Topics.EVENTS.valueSerde(connection.registry(), false).deserializer();
    }

    /**
     * Assigns the topics' partitions, which takes the cluster's metadata: the constructor needs no broker (the command
     * builds the collector while the embedded broker starts), this is the first call that does.
     */
    private void assignTopics() {
        if (!consumer.assignment().isEmpty()) {
            return;
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.PROBE_RESULTS.name(), Topics.SCAN_STATUS.name(), Topics.EVENTS.name())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist on " + bootstrapServers
                        + "; create the topics with: tlsxtractor topics create --bootstrap-servers "
                        + bootstrapServers);
            }
            infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
        }
        consumer.assign(partitions);
    }

    /** Starts reading at the current end of the topics: call before the request is sent, for a new scan. */
    public void positionAtEnd() {
        assignTopics();
        consumer.seekToEnd(consumer.assignment());
        // seekToEnd is lazy: resolve the positions now, before anything of this scan can be written.
        consumer.assignment().forEach(tp -> consumer.position(tp, Duration.ofSeconds(30)));
    }

    /** Reads the topics from the beginning: a resumed scan's earlier results count. */
    public void positionAtBeginning() {
        assignTopics();
        consumer.seekToBeginning(consumer.assignment());
    }

    /**
     * Follows the scan until it is complete, fails, {@link #stop()} is called, or {@code interrupted} says so.
     *
     * @param pipelineFailure why the pipeline can no longer finish the scan, or null while it can (checked each poll)
     */
    public Outcome follow(Listener listener, BooleanSupplier interrupted, Supplier<String> pipelineFailure) {
        while (true) {
            if (stop || interrupted.getAsBoolean()) {
                return Outcome.INTERRUPTED;
            }
            ConsumerRecords<byte[], byte[]> records;
            try {
                records = consumer.poll(POLL);
            } catch (WakeupException e) {
                continue;
            }
            for (ConsumerRecord<byte[], byte[]> r : records) {
                handle(r, listener);
            }
            if (failure != null) {
                return Outcome.FAILED;
            }
            if (!records.isEmpty()) {
                lastContact = System.nanoTime();
            } else if (System.nanoTime() - lastContact > QUIET_CHECK.toNanos()) {
                String lost = checkCluster();
                if (lost != null) {
                    failure = lost;
                    return Outcome.FAILED;
                }
            }
            if (totalFinal && endpoints.size() >= total) {
                drainStragglers(listener);
                return Outcome.COMPLETE;
            }
            String broken = pipelineFailure.get();
            if (broken != null) {
                failure = broken;
                return Outcome.FAILED;
            }
        }
    }

    /**
     * A quiet scan is normal (slow targets); a cluster that does not answer is not, and a consumer would wait for it
     * forever. Returns why the scan cannot go on once the cluster has not answered for {@link #CLUSTER_LOST}.
     */
    private String checkCluster() {
        try {
            consumer.partitionsFor(Topics.PROBE_RESULTS.name(), Duration.ofSeconds(5));
            lastContact = System.nanoTime();
            return null;
        } catch (WakeupException e) {
            return null;
        } catch (org.apache.kafka.common.KafkaException e) {
            long silent = System.nanoTime() - lastContact;
            if (silent > CLUSTER_LOST.toNanos()) {
                return "the Kafka cluster at " + bootstrapServers + " has not answered for "
                        + Duration.ofNanos(silent).toSeconds() + " s (" + e.getMessage() + ")";
            }
            LOG.warn("The Kafka cluster at {} does not answer ({}); giving up after {} s", bootstrapServers,
                    e.getMessage(), CLUSTER_LOST.toSeconds());
            return null;
        }
    }

    /**
     * After an interrupt: takes the results already on their way (probed before the interrupt, still in the worker's
     * or the broker's pipes) for up to {@code max}, so that the partial document holds them too.
     */
    public void drain(Listener listener, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            ConsumerRecords<byte[], byte[]> records;
            try {
                records = consumer.poll(POLL);
            } catch (WakeupException e) {
                continue;
            }
            if (records.isEmpty()) {
                return;
            }
            for (ConsumerRecord<byte[], byte[]> r : records) {
                handle(r, listener);
            }
        }
    }

    /** Another probe of an endpoint already counted (extra SNI names) may be just behind: take what is there. */
    private void drainStragglers(Listener listener) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
            handle(r, listener);
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record, Listener listener) {
        String topic = record.topic();
        try {
            if (topic.equals(Topics.PROBE_RESULTS.name())) {
                ProbeResult r = results.deserialize(topic, record.headers(), record.value());
                if (r != null && scanId.equals(r.getScanId())) {
                    received.add(r);
                    listener.onResult(r, endpoints.add(endpointKey(r)));
                }
                return;
            }
            if (record.key() == null || !scanId.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                return;
            }
            if (topic.equals(Topics.SCAN_STATUS.name())) {
                ScanStatus s = statuses.deserialize(topic, record.headers(), record.value());
                if (s == null) {
                    return;
                }
                if (s.getState() == ScanState.FAILED || s.getState() == ScanState.CANCELLED) {
                    failure = s.getMessage() != null ? s.getMessage() : "the scan " + s.getState().name().toLowerCase();
                    return;
                }
                if (!totalFinal && (s.getTotalTargets() != total || s.getExpansionComplete())) {
                    total = s.getTotalTargets();
                    totalFinal = s.getExpansionComplete();
                    listener.onTotal(total, totalFinal);
                }
            } else if (topic.equals(Topics.EVENTS.name())) {
                Event e = events.deserialize(topic, record.headers(), record.value());
                if (e != null && e.getType() == EventType.SCAN_PROGRESS) {
                    Map<String, String> data = e.getData();
                    String skipped = data.get("skipped");
                    if (skipped != null) {
                        listener.onNotice("skipped " + skipped);
                    }
                    String invalid = data.get("invalidLines");
                    if (invalid != null && !"0".equals(invalid)) {
                        listener.onNotice(invalid + " invalid target line(s) skipped"
                                + (data.containsKey("firstInvalidLines") ? ": " + data.get("firstInvalidLines") : ""));
                    }
                }
            }
        } catch (ScanException e) {
            // The listener's own failure (the results file cannot be written): the scan stops with it.
            throw e;
        } catch (RuntimeException e) {
            // A record of another build or a broken producer: not this scan's concern beyond a debug line.
            LOG.debug("Skipping an unreadable record at {}-{}@{}: {}", topic, record.partition(), record.offset(), e.toString());
        }
    }

    /** The endpoint a result is about: {@code ip:port} and the input name or URL it came from. */
    static String endpointKey(ProbeResult r) {
        String origin = r.getUrl() != null ? r.getUrl() : r.getHostname() != null ? r.getHostname() : "";
        return r.getIp() + ":" + r.getPort() + "|" + origin;
    }

    /** Whether {@code r} is the ingest's report of a hostname that did not resolve. */
    static boolean isDnsFailure(ProbeResult r) {
        return r.getIp().isEmpty() && r.getErrorCategory() == ErrorCategory.DNS;
    }

    /** Every result received, replays included, in arrival order. */
    public List<ProbeResult> received() {
        return received;
    }

    /** Distinct endpoints with a result. */
    public long done() {
        return endpoints.size();
    }

    /** The target count so far, or -1 before the ingest reported one. */
    public long total() {
        return total;
    }

    public boolean totalFinal() {
        return totalFinal;
    }

    /** Why the scan failed, after {@link Outcome#FAILED}. */
    public String failure() {
        return failure;
    }

    /** Makes {@link #follow} return {@link Outcome#INTERRUPTED} soon; safe from any thread (a signal handler). */
    public void stop() {
        stop = true;
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(1));
    }
}
