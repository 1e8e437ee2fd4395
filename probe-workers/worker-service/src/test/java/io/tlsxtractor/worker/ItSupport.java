package io.tlsxtractor.worker;

import io.tlsxtractor.schemas.TopicProvisioner;
import io.tlsxtractor.schemas.TopicSpec;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.AddressRange;
import io.tlsxtractor.schemas.avro.BlockTarget;
import io.tlsxtractor.schemas.avro.ProbeOptions;
import io.tlsxtractor.schemas.avro.TargetBlock;
import io.tlsxtractor.schemas.registry.SchemaRegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** What the worker ITs share: topics, blocks, reading a topic whole. */
final class ItSupport {
    static final int PARTITIONS = 3;

    private ItSupport() {
    }

    static void provisionTopics(String bootstrap) {
        try (Admin admin = TopicProvisioner.createAdmin(bootstrap, Duration.ofSeconds(30))) {
            new TopicProvisioner(admin, bootstrap, TopicProvisioner.Options.defaults()
                    .withReplicationFactor((short) 1).withPartitions(PARTITIONS)).provisionCatalog();
        }
    }

    static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ProbeOptions options(long timeoutMs) {
        return ProbeOptions.newBuilder().setConnectTimeoutMs(timeoutMs).setRetries(0).build();
    }

    static TargetBlock rangeBlock(String scanId, String first, String last, int port, ProbeOptions options) {
        return TargetBlock.newBuilder().setBlockId(scanId + "-" + UUID.randomUUID()).setScanId(scanId)
                .setRange(AddressRange.newBuilder().setFirst(first).setLast(last).setCount(0).build())
                .setPorts(List.of(port)).setOptions(options).setCreatedAt(Instant.now()).build();
    }

    static TargetBlock listBlock(String scanId, List<BlockTarget> targets, int port, ProbeOptions options) {
        return TargetBlock.newBuilder().setBlockId(scanId + "-" + UUID.randomUUID()).setScanId(scanId)
                .setTargets(targets).setPorts(List.of(port)).setOptions(options).setCreatedAt(Instant.now()).build();
    }

    /** Writes blocks round-robin over the partitions (or to {@code partition} when >= 0), waiting for the acks. */
    static void produceBlocks(String bootstrap, SchemaRegistryClient registry, List<TargetBlock> blocks) {
        try (KafkaProducer<byte[], byte[]> p = rawProducer(bootstrap)) {
            var serde = Topics.TARGETS.valueSerde(registry, true);
            var keys = Topics.TARGETS.keySerde();
            String topic = Topics.TARGETS.name();
            for (int i = 0; i < blocks.size(); i++) {
                TargetBlock b = blocks.get(i);
                p.send(new ProducerRecord<>(topic, i % PARTITIONS, keys.serializer().serialize(topic, b.getBlockId()),
                        serde.serializer().serialize(topic, b))).get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot write target blocks: " + e, e);
        }
    }

    static void produceRaw(String bootstrap, String topic, int partition, byte[] key, byte[] value) {
        try (KafkaProducer<byte[], byte[]> p = rawProducer(bootstrap)) {
            p.send(new ProducerRecord<>(topic, partition, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to " + topic + ": " + e, e);
        }
    }

    private static KafkaProducer<byte[], byte[]> rawProducer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Every record of a topic now, read from the start (no group). */
    static <K, V> List<ConsumerRecord<K, V>> readAll(String bootstrap, TopicSpec<K, V> spec, SchemaRegistryClient registry) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<K, V> c = new KafkaConsumer<>(props, spec.keySerde().deserializer(),
                spec.valueSerde(registry, false).deserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo info : c.partitionsFor(spec.name(), Duration.ofSeconds(30))) {
                parts.add(new TopicPartition(spec.name(), info.partition()));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            List<ConsumerRecord<K, V>> out = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + spec.name() + " to its end within 60 s");
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    /** The group's committed offset per partition of the targets topic. */
    static Map<Integer, Long> committed(String bootstrap, String group) {
        try (Admin admin = TopicProvisioner.createAdmin(bootstrap, Duration.ofSeconds(30))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<Integer, Long> out = new HashMap<>();
            offsets.forEach((tp, om) -> {
                if (tp.topic().equals(Topics.TARGETS.name()) && om != null) {
                    out.put(tp.partition(), om.offset());
                }
            });
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the offsets of group " + group + ": " + e, e);
        }
    }

    /** The end offset per partition of the targets topic. */
    static Map<Integer, Long> targetEndOffsets(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                parts.add(new TopicPartition(Topics.TARGETS.name(), p));
            }
            Map<Integer, Long> out = new HashMap<>();
            c.endOffsets(parts, Duration.ofSeconds(30)).forEach((tp, o) -> out.put(tp.partition(), o));
            return out;
        }
    }
}
