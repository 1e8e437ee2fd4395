package io.tlsxtractor.ingest.internal;

import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.AddressRange;
import io.tlsxtractor.schemas.avro.BlockTarget;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.TargetBlock;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The targets of one scan that already have a probe result on {@code tlsx.probe-results.v1}: what a resumed scan must
 * not probe again. A target is its endpoint: the address (canonical text), the port and the name or URL it came from,
 * the same identity the command's collector counts results by.
 */
public final class FinishedTargets {

    private static final Logger LOG = LoggerFactory.getLogger(FinishedTargets.class);

    private final Set<String> keys;

    public FinishedTargets(Set<String> keys) {
        this.keys = Set.copyOf(keys);
    }

    /** The identity of a target: canonical address, port, and the hostname or URL it was resolved from. */
    public static String key(String address, int port, String hostname, String url) {
        IpAddresses.Literal literal = IpAddresses.parse(address);
        String ip = literal == null ? address : IpAddresses.format(literal.version(), literal.value());
        String origin = url != null ? url : hostname != null ? hostname : "";
        return ip + ":" + port + "|" + origin;
    }

    /**
     * Reads the whole results topic up to its current end and keeps the endpoints of {@code scanId}'s results that
     * reached a target (a hostname that did not resolve is reported by the ingest again, not probed).
     *
     * @throws TimeoutException (a retriable Kafka error) when the topic cannot be read to its end within {@code timeout}
     */
    public static FinishedTargets read(Properties clientProperties, String bootstrapServers,
            Deserializer<ProbeResult> deserializer, String scanId, Duration timeout) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "tlsx-ingest-resume-" + scanId);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        String topic = Topics.PROBE_RESULTS.name();
        Set<String> done = new HashSet<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos != null) {
                infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions, timeout));
            ends.entrySet().removeIf(e -> consumer.position(e.getKey(), timeout) >= e.getValue());
            while (!ends.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("cannot read " + topic + " to its end within " + timeout
                            + " to find the finished targets of scan " + scanId);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    ProbeResult result;
                    try {
                        result = deserializer.deserialize(topic, r.headers(), r.value());
                    } catch (RuntimeException e) {
                        LOG.debug("Skipping an unreadable result at {}-{}@{}: {}", topic, r.partition(), r.offset(), e.toString());
                        continue;
                    }
                    if (result != null && scanId.equals(result.getScanId()) && !result.getIp().isEmpty()) {
                        done.add(key(result.getIp(), result.getPort(), result.getHostname(), result.getUrl()));
                    }
                }
                ends.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
        }
        return new FinishedTargets(done);
    }

    public int size() {
        return keys.size();
    }

    public boolean contains(String address, int port, String hostname, String url) {
        return keys.contains(key(address, port, hostname, url));
    }

    /**
     * {@code block} without its finished targets: the same block when none is finished, {@code null} when all are,
     * else an explicit list of the rest (a range becomes a list, which a block of a few hundred targets allows).
     */
    public TargetBlock remaining(TargetBlock block) {
        if (keys.isEmpty()) {
            return block;
        }
        List<BlockTarget> all = new ArrayList<>();
        AddressRange range = block.getRange();
        if (range != null) {
            IpAddresses.Literal first = IpAddresses.parse(range.getFirst());
            IpAddresses.Literal last = IpAddresses.parse(range.getLast());
            if (first == null || last == null) {
                return block;
            }
            for (BigInteger a = first.value(); a.compareTo(last.value()) <= 0; a = a.add(BigInteger.ONE)) {
                String address = IpAddresses.format(first.version(), a);
                for (int port : block.getPorts()) {
                    all.add(BlockTarget.newBuilder().setAddress(address).setPort(port).build());
                }
            }
        } else {
            for (BlockTarget t : block.getTargets()) {
                if (t.getPort() != null) {
                    all.add(t);
                } else {
                    for (int port : block.getPorts()) {
                        all.add(BlockTarget.newBuilder(t).setPort(port).build());
                    }
                }
            }
        }
        List<BlockTarget> rest = new ArrayList<>(all.size());
        for (BlockTarget t : all) {
            if (!contains(t.getAddress(), t.getPort(), t.getHostname(), t.getUrl())) {
                rest.add(t);
            }
        }
        if (rest.size() == all.size()) {
            return block;
        }
        if (rest.isEmpty()) {
            return null;
        }
        return TargetBlock.newBuilder(block).setRange(null).setTargets(rest).build();
    }
}
