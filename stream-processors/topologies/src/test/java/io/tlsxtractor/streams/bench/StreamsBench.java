package io.tlsxtractor.streams.bench;

import io.tlsxtractor.localstack.BrokerSettings;
import io.tlsxtractor.localstack.KafkaBrokerProcess;
import io.tlsxtractor.probe.CertificateParser;
import io.tlsxtractor.probe.ParsedCertificate;
import io.tlsxtractor.schemas.TopicProvisioner;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.CertificateFields;
import io.tlsxtractor.schemas.avro.ChainCertificate;
import io.tlsxtractor.schemas.avro.DomainObservation;
import io.tlsxtractor.schemas.avro.DomainRecord;
import io.tlsxtractor.schemas.avro.Event;
import io.tlsxtractor.schemas.avro.ExtractedName;
import io.tlsxtractor.schemas.avro.NameSource;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.ProbeStatus;
import io.tlsxtractor.schemas.registry.InMemorySchemaRegistryClient;
import io.tlsxtractor.streams.DropCounters;
import io.tlsxtractor.streams.ExtractionSettings;
import io.tlsxtractor.streams.InventoryCounters;
import io.tlsxtractor.streams.InventoryLimits;
import io.tlsxtractor.streams.NameNormalizer;
import io.tlsxtractor.streams.StreamsApp;
import io.tlsxtractor.streams.StreamsSettings;
import io.tlsxtractor.streams.internal.ExtractProcessor;
import io.tlsxtractor.streams.internal.InventoryProcessor;
import io.tlsxtractor.streams.internal.NameFilters;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * End-to-end benchmark of the streams application on a real broker (a child JVM, as user-facing runs start it).
 *
 * <p><b>Throughput</b>: pre-fills {@code tlsx.probe-results.v1} with N successful probe results (4-5 names each, a
 * leaf + intermediate chain, every leaf served by about ten addresses as CDN and shared-hosting certificates are),
 * then measures (a) a plain {@code KafkaConsumer<byte[], byte[]>} reading the topic with the fetch settings the
 * application's consumer uses, and (b) the application from RUNNING until its group has committed every input
 * partition to the end (probe results, the domains topic read back by the inventory, both repartition topics) and
 * the inventory holds every domain. Prints results/s of each and their ratio. Two more applications, with (b)'s
 * client settings, run over the same input before (b), each in a group and on topics of its own: (c) the floor, the
 * record traffic alone that the goal's contract requires (see {@link #floor}), and (d) extraction + dedupe + inventory
 * alone, with the application's processors (see {@link #extractionAndInventory}), which is what the issue's goal
 * names. The floor's rate bounds what any implementation can reach on the machine of the run; (d) and (b) are also
 * printed as fractions of it, which moves less with the machine's speed than a rate does. Each run warms the JIT for
 * the next (Kafka's client and Streams code is shared): (b) runs last, so its first half is warmer than when alone.
 *
 * <p><b>Latency</b>: with the application caught up, produces new results (each with names never seen before) at a
 * fixed rate and measures, per result, the time from {@code send()} to its domain's record in the committed
 * {@code tlsx.domain-inventory.v1} (a read_committed consumer): p50/p95/p99/max.
 *
 * <p>DNS enrichment is off (a resolver's speed is not the application's); exactly-once v2, commit interval as given.
 * Arguments: {@code [results=200000] [latencyRate=1000] [latencySeconds=20] [partitions=3] [threads=1]
 * [commitMs=100]}.
 */
public final class StreamsBench {

    private static final String SCOPE = "streams-bench";
    private static final String SCAN = "bench-scan";
    private static final int ADDRESSES_PER_LEAF = 10;

    private StreamsBench() {
    }

    public static void main(String[] args) throws Exception {
        int results = arg(args, 0, 200_000);
        int latencyRate = arg(args, 1, 1_000);
        int latencySeconds = arg(args, 2, 20);
        int partitions = arg(args, 3, 3);
        int threads = arg(args, 4, 1);
        int commitMs = arg(args, 5, 100);
        Path dir = Files.createTempDirectory("tlsx-streams-bench");
        InMemorySchemaRegistryClient registry = InMemorySchemaRegistryClient.scoped(SCOPE);
        Serializer<ProbeResult> serializer = Topics.PROBE_RESULTS.valueSerde(registry, true).serializer();
        print("streams bench: %,d results, latency %d/s for %d s, %d partitions, %d stream thread(s), EOS v2 commit"
                + " %d ms, DNS off, %d CPUs, load %s", results, latencyRate, latencySeconds, partitions, threads,
                commitMs, Runtime.getRuntime().availableProcessors(), load());

        Corpus corpus = new Corpus();
        long t = System.nanoTime();
        List<byte[][]> prefill = corpus.results(0, results, Math.max(1, results / ADDRESSES_PER_LEAF), serializer);
        int latencyCount = latencyRate * latencySeconds;
        List<byte[][]> latencyRecords = corpus.results(results, latencyCount, latencyCount, serializer);
        long bytes = prefill.stream().mapToLong(r -> r[1].length).sum();
        print("generated %,d + %,d results in %.1f s (%d distinct leaves for the pre-fill, avg value %d bytes,"
                + " %,d distinct domains)", results, latencyCount, secs(System.nanoTime() - t),
                Math.max(1, results / ADDRESSES_PER_LEAF), bytes / results, corpus.domainsBefore(results));

        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(new BrokerSettings(dir.resolve("kafka"), 0, 0,
                "1g", Duration.ofSeconds(120)))) {
            String bootstrap = broker.bootstrapServers();
            try (Admin admin = TopicProvisioner.createAdmin(bootstrap, Duration.ofSeconds(30))) {
                new TopicProvisioner(admin, bootstrap, TopicProvisioner.Options.defaults()
                        .withReplicationFactor((short) 1).withPartitions(partitions)).provisionCatalog();
                awaitLeaders(admin, Topics.PROBE_RESULTS.name());
                t = System.nanoTime();
                produce(bootstrap, prefill);
                // Let the pre-fill's ~360 MB (200,000 results) go: the application runs in this JVM, where every full
                // collection marked and moved the bench's copy of its input, GC time counted as the application's.
                prefill.clear();
                print("pre-filled %s: %,d results, %.1f MB in %.1f s", Topics.PROBE_RESULTS.name(), results,
                        bytes / 1e6, secs(System.nanoTime() - t));

                Cpu cpu = new Cpu(broker.pid());
                double raw = rawConsume(bootstrap, results);
                print("(a) raw consume (KafkaConsumer<byte[],byte[]>, read_committed, max.poll.records 1000):"
                        + " %,.0f results/s; CPU %s; load %s", raw, cpu.since(results), load());

                StreamsSettings settings = StreamsSettings.builder(bootstrap, "mock://" + SCOPE)
                        .stateDir(dir.resolve("state")).threads(threads).commitInterval(Duration.ofMillis(commitMs))
                        .extraction(ExtractionSettings.defaults()).dnsEnabled(false)
                        .clientProperties(clientOverrides()).build();
                double floor = floor(admin, settings, registry, results, partitions, dir.resolve("floor-state"),
                        broker.pid());
                double inventoryOnly = extractionAndInventory(admin, settings, registry, results, partitions,
                        dir.resolve("inventory-only-state"), broker.pid());
                try (StreamsApp app = StreamsApp.create(settings, null, null)) {
                    long started = System.nanoTime();
                    AtomicLong runningAt = new AtomicLong();
                    app.streams().setStateListener((next, previous) -> {
                        if (next == KafkaStreams.State.RUNNING) {
                            runningAt.compareAndSet(0, System.nanoTime());
                        }
                    });
                    app.start();
                    if (!app.awaitRunning(Duration.ofMinutes(2))) {
                        throw new IllegalStateException("the application did not reach RUNNING: " + app.state());
                    }
                    cpu = new Cpu(broker.pid());
                    Map<String, Long> cpuByThread = Cpu.threads();
                    HalfMark half = new HalfMark(broker.pid());
                    long caughtUp = awaitCaughtUp(admin, settings.applicationId(), results, Duration.ofMinutes(30),
                            half);
                    double seconds = secs(caughtUp - runningAt.get());
                    double rate = results / seconds;
                    int domains = app.queries().domains(Integer.MAX_VALUE).size();
                    print("(b) streams app (extract + dedupe + inventory + certificates + progress): %,d results in"
                            + " %.1f s from RUNNING (%.1f s from start()) = %,.0f results/s; inventory %,d domains"
                            + " (expected %,d); dropped %s; CPU %s; load %s", results, seconds,
                            secs(caughtUp - started), rate, domains, corpus.domainsBefore(results),
                            app.drops().snapshot(), cpu.since(results), load());
                    print("    where this JVM's CPU went, by thread group: %s", Cpu.threadsSince(cpuByThread));
                    print("    records written per result, by topic (log end offsets, incl. transaction markers): %s",
                            writtenPerResult(admin, results));
                    // The first half pays for the JIT's warm-up (a third of the JVM's CPU over a whole run of 100,000
                    // results); the second half is the rate a long-running application holds.
                    long secondHalf = results - half.done;
                    double steadyRate = secondHalf / secs(Math.max(1, caughtUp - half.at));
                    print("(b') second half only (from %,d results committed to the end): %,.0f results/s; CPU %s;"
                            + " this JVM by thread group: %s", half.done, steadyRate, half.cpu.since(secondHalf),
                            Cpu.threadsSince(half.threads));
                    print("RATIO streams/raw = %.1f%% (goal >= 25%%); streams rate %,.0f results/s (goal >= 20,000);"
                            + " second half %.1f%%, %,.0f results/s", 100 * rate / raw, rate, 100 * steadyRate / raw,
                            steadyRate);
                    print("RATIO floor/raw = %.1f%%, streams/floor = %.0f%%: (c) moves only the records extraction +"
                            + " dedupe + inventory must write and read, so no implementation of them passes %,.0f"
                            + " results/s on this machine", 100 * floor / raw, 100 * rate / floor, floor);
                    print("RATIO extract+dedupe+inventory only/raw = %.1f%%, /floor = %.0f%%: %,.0f results/s",
                            100 * inventoryOnly / raw, 100 * inventoryOnly / floor, inventoryOnly);

                    if (latencyCount > 0) {
                        latency(bootstrap, latencyRecords, corpus, results, latencyRate);
                    }
                }
            }
        } finally {
            InMemorySchemaRegistryClient.dropScope(SCOPE);
            deleteQuietly(dir);
        }
    }

    /**
     * (c) The floor: a Kafka Streams application, with the same client settings as (b), that does only the record
     * traffic the issue's contract requires of extraction + dedupe + inventory, and none of the work on the records:
     * decode each result (its names are inside), write one small record per name to a topic keyed by name (one
     * observation per name and source), read that topic back and upsert each name into a cached, logged key-value
     * store, writing the stored value to a compacted topic (the inventory). No normalisation, no filters, no
     * merge of the domain's record, no certificates, no scan progress, no events. An implementation of (b) cannot
     * be faster than this on the same machine, so its rate bounds what the goal may ask here.
     */
    private static double floor(Admin admin, StreamsSettings like, InMemorySchemaRegistryClient registry, int results,
            int partitions, Path stateDir, long brokerPid) throws Exception {
        String group = "streams-bench-floor";
        String names = group + "-names";
        String inventory = group + "-inventory";
        createTopics(admin, partitions, names, inventory);
        StreamsBuilder builder = new StreamsBuilder();
        Serde<byte[]> bytes = Serdes.ByteArray();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("floor-store"), bytes, bytes)
                .withCachingEnabled());
        builder.stream(Topics.PROBE_RESULTS.name(), Consumed.with(bytes, Topics.PROBE_RESULTS.valueSerde(registry,
                        false)))
                .flatMap((key, result) -> {
                    List<KeyValue<byte[], byte[]>> out = new ArrayList<>();
                    for (ExtractedName n : result.getNames()) {
                        out.add(KeyValue.pair(n.getName().getBytes(StandardCharsets.UTF_8), key));
                    }
                    return out;
                })
                .to(names, Produced.with(bytes, bytes));
        builder.stream(names, Consumed.with(bytes, bytes))
                .process(() -> new Processor<byte[], byte[], byte[], byte[]>() {
                    private ProcessorContext<byte[], byte[]> context;
                    private KeyValueStore<byte[], byte[]> store;

                    @Override
                    public void init(ProcessorContext<byte[], byte[]> c) {
                        context = c;
                        store = c.getStateStore("floor-store");
                    }

                    @Override
                    public void process(Record<byte[], byte[]> record) {
                        store.put(record.key(), record.value());
                        context.forward(record);
                    }
                }, "floor-store")
                .to(inventory, Produced.with(bytes, bytes));
        return measure(admin, like, group, builder.build(), Set.of(Topics.PROBE_RESULTS.name(), names), results,
                stateDir, brokerPid, "(c) floor (decode, one record per name, read back, logged store upsert,"
                        + " compacted output; same client settings)");
    }

    /**
     * (d) What the issue's throughput goal names: extraction + dedupe + inventory, with the application's own
     * processors and serdes (normalisation, filters, the domain's record merged and written, {@code domain.discovered}
     * events), on topics of their own; certificate sightings and scan progress, which (b) also carries, are not
     * produced.
     */
    private static double extractionAndInventory(Admin admin, StreamsSettings like,
            InMemorySchemaRegistryClient registry, int results, int partitions, Path stateDir, long brokerPid)
            throws Exception {
        String group = "streams-bench-inventory-only";
        String domains = group + "-domains";
        String inventory = group + "-inventory";
        String events = group + "-events";
        createTopics(admin, partitions, domains, inventory, events);
        StreamsBuilder builder = new StreamsBuilder();
        Serde<String> keys = Serdes.String();
        Serde<DomainRecord> records = Topics.DOMAIN_INVENTORY.valueSerde(registry, true);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("inventory-only-store"),
                keys, Serdes.ByteArray()).withCachingEnabled());
        NameFilters filters = NameFilters.start(ExtractionSettings.defaults());
        DropCounters drops = new DropCounters();
        builder.stream(Topics.PROBE_RESULTS.name(), Consumed.with(keys, Topics.PROBE_RESULTS.valueSerde(registry,
                        false)))
                .process(() -> new ExtractProcessor(filters, drops))
                .filter((k, v) -> v instanceof DomainObservation)
                .mapValues(v -> (DomainObservation) v)
                .to(domains, Produced.with(keys, Topics.DOMAINS.valueSerde(registry, true)));
        KStream<String, Object> updates = builder.stream(domains, Consumed.with(keys,
                        Topics.DOMAINS.valueSerde(registry, true)))
                .process(() -> new InventoryProcessor("inventory-only-store", records, null, null,
                        Duration.ofMillis(200), 1, InventoryLimits.defaults(), new InventoryCounters()),
                        "inventory-only-store");
        updates.filter((k, v) -> v instanceof byte[]).mapValues(v -> (byte[]) v)
                .to(inventory, Produced.with(keys, Serdes.ByteArray()));
        updates.filter((k, v) -> v instanceof Event).mapValues(v -> (Event) v)
                .to(events, Produced.with(keys, Topics.EVENTS.valueSerde(registry, true)));
        return measure(admin, like, group, builder.build(), Set.of(Topics.PROBE_RESULTS.name(), domains), results,
                stateDir, brokerPid, "(d) extract + dedupe + inventory only (the application's processors, no"
                        + " certificates, no progress)");
    }

    private static void createTopics(Admin admin, int partitions, String... names) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new NewTopic(name, partitions, (short) 1).configs(Map.of("cleanup.policy",
                    name.endsWith("-inventory") ? "compact" : "delete")));
        }
        admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        for (String name : names) {
            awaitLeaders(admin, name);
        }
    }

    /** Runs {@code topology} with (b)'s client settings until it has committed {@code inputs} to their ends. */
    private static double measure(Admin admin, StreamsSettings like, String group, Topology topology,
            Set<String> inputs, int results, Path stateDir, long brokerPid, String label) throws Exception {
        Properties props = like.streamsProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, group);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (KafkaStreams streams = new KafkaStreams(topology, props)) {
            AtomicLong runningAt = new AtomicLong();
            streams.setStateListener((next, previous) -> {
                if (next == KafkaStreams.State.RUNNING) {
                    runningAt.compareAndSet(0, System.nanoTime());
                }
            });
            streams.start();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (runningAt.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            if (runningAt.get() == 0) {
                throw new IllegalStateException(group + " did not reach RUNNING: " + streams.state());
            }
            Cpu cpu = new Cpu(brokerPid);
            long caughtUp = awaitCaughtUp(admin, group, inputs, results, Duration.ofMinutes(30),
                    new HalfMark(brokerPid));
            double rate = results / secs(caughtUp - runningAt.get());
            print("%s: %,.0f results/s; CPU %s; load %s", label, rate, cpu.since(results), load());
            streams.close(Duration.ofSeconds(30));
            streams.cleanUp();
            return rate;
        }
    }

    /** Sum of the log end offsets of every topic but the input, per input result, largest first. */
    private static String writtenPerResult(Admin admin, long results) throws Exception {
        Map<TopicPartition, OffsetSpec> query = new HashMap<>();
        Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, description) -> {
            if (!name.equals(Topics.PROBE_RESULTS.name()) && !name.startsWith("__")) {
                description.partitions().forEach(p -> query.put(new TopicPartition(name, p.partition()),
                        OffsetSpec.latest()));
            }
        });
        Map<String, Long> byTopic = new HashMap<>();
        admin.listOffsets(query).all().get(30, TimeUnit.SECONDS)
                .forEach((tp, info) -> byTopic.merge(tp.topic(), info.offset(), Long::sum));
        long total = byTopic.values().stream().mapToLong(Long::longValue).sum();
        return String.format("%.1f in all; ", total / (double) results) + byTopic.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> String.format("%s %.2f", e.getKey(), e.getValue() / (double) results))
                .collect(Collectors.joining(", "));
    }

    /** When the application had committed half of the input, and the CPU counters then. */
    private static final class HalfMark {
        private final long brokerPid;
        long at;
        long done;
        Cpu cpu;
        Map<String, Long> threads;

        HalfMark(long brokerPid) {
            this.brokerPid = brokerPid;
        }

        void reached(long now, long committed) {
            at = now;
            done = committed;
            cpu = new Cpu(brokerPid);
            threads = Cpu.threads();
        }
    }

    /**
     * Offsets the application's group has committed, compared with the ends of the partitions it reads. Marks
     * {@code half} when half of the input results are committed.
     */
    private static long awaitCaughtUp(Admin admin, String group, long inputRecords, Duration timeout, HalfMark half)
            throws Exception {
        return awaitCaughtUp(admin, group, Set.of(Topics.PROBE_RESULTS.name(), Topics.DOMAINS.name(),
                group + "-certificates-by-sha256-repartition", group + "-progress-by-scan-repartition"),
                inputRecords, timeout, half);
    }

    private static long awaitCaughtUp(Admin admin, String group, Set<String> inputs, long inputRecords,
            Duration timeout, HalfMark half) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastReport = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> query = new HashMap<>();
            committed.keySet().stream().filter(tp -> inputs.contains(tp.topic()))
                    .forEach(tp -> query.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = query.isEmpty() ? Map.of()
                    : admin.listOffsets(query, new org.apache.kafka.clients.admin.ListOffsetsOptions(
                            IsolationLevel.READ_COMMITTED)).all().get(30, TimeUnit.SECONDS);
            long inputDone = committed.entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(Topics.PROBE_RESULTS.name()) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
            Set<String> seenTopics = ends.keySet().stream().map(TopicPartition::topic).collect(Collectors.toSet());
            boolean allAtEnd = seenTopics.containsAll(inputs) && ends.entrySet().stream()
                    .allMatch(e -> committed.get(e.getKey()) != null
                            && committed.get(e.getKey()).offset() >= e.getValue().offset());
            long now = System.nanoTime();
            if (half.cpu == null && inputDone >= inputRecords / 2) {
                half.reached(now, inputDone);
            }
            if (inputDone >= inputRecords && allAtEnd) {
                return now;
            }
            if (now - lastReport > TimeUnit.SECONDS.toNanos(5)) {
                print("  ... %,d of %,d results committed", inputDone, inputRecords);
                lastReport = now;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the application did not catch up within " + timeout);
    }

    private static void latency(String bootstrap, List<byte[][]> records, Corpus corpus, int firstIndex, int rate)
            throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> latencyNanos = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        Thread watcher = new Thread(() -> {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                List<TopicPartition> parts = c.partitionsFor(Topics.DOMAIN_INVENTORY.name()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                c.assign(parts);
                c.seekToEnd(parts);
                parts.forEach(c::position);
                while (!stop.get()) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(5))) {
                        Long sent = sentAt.get(r.key());
                        if (sent != null) {
                            latencyNanos.putIfAbsent(r.key(), System.nanoTime() - sent);
                        }
                    }
                }
            }
        }, "inventory-watcher");
        watcher.start();
        Thread.sleep(2000);
        Properties producerProps = producerProps(bootstrap);
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps)) {
            for (int i = 0; i < records.size(); i++) {
                long due = start + i * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                String domain = corpus.latencyDomain(firstIndex + i);
                sentAt.put(domain, System.nanoTime());
                producer.send(new ProducerRecord<>(Topics.PROBE_RESULTS.name(), records.get(i)[0], records.get(i)[1]));
            }
        }
        double sendSeconds = secs(System.nanoTime() - start);
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (latencyNanos.size() < records.size() && System.nanoTime() < waitUntil) {
            Thread.sleep(100);
        }
        stop.set(true);
        watcher.join(10_000);
        long[] sorted = latencyNanos.values().stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            print("latency: no domain reached the inventory topic");
            return;
        }
        print("latency: %,d results at %d/s (sent in %.1f s); %,d of %,d domains seen in %s (read_committed);"
                + " produce -> inventory p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms (goal p99 <= 1000 ms);"
                + " load %s", records.size(), rate, sendSeconds, sorted.length, records.size(),
                Topics.DOMAIN_INVENTORY.name(), ms(percentile(sorted, 50)), ms(percentile(sorted, 95)),
                ms(percentile(sorted, 99)), ms(sorted[sorted.length - 1]), load());
    }

    private static double rawConsume(String bootstrap, long expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // What Kafka Streams sets for its main consumer under exactly-once.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(Topics.PROBE_RESULTS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            parts.forEach(c::position);
            long count = 0;
            long bytes = 0;
            long start = System.nanoTime();
            long deadline = start + TimeUnit.MINUTES.toNanos(10);
            while (count < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("read only " + count + " of " + expected + " results in 10 min");
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    count++;
                    bytes += r.value().length;
                }
            }
            double seconds = secs(System.nanoTime() - start);
            if (bytes == 0) {
                throw new IllegalStateException("read nothing");
            }
            return count / seconds;
        }
    }

    private static void produce(String bootstrap, List<byte[][]> records) throws Exception {
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(bootstrap))) {
            for (byte[][] r : records) {
                producer.send(new ProducerRecord<>(Topics.PROBE_RESULTS.name(), r[0], r[1]), (metadata, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + records.size() + " results could not be written",
                    firstFailure.get());
        }
    }

    /** A topic just created may still be electing its leaders; producing then loses records to retries. */
    private static void awaitLeaders(Admin admin, String topic) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            var description = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic);
            if (description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                Thread.sleep(1000);
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("partitions of " + topic + " have no leader after 60 s");
    }

    /** Settings of a worker's producer: acks=all, lz4. */
    private static Properties producerProps(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /**
     * Synthetic but realistic results: certificates signed by three intermediates of one root (ECDSA, so that
     * generating tens of thousands is quick), leaves with RSA-2048 keys, CN + 3-4 SANs under 500 registrable domains.
     */
    private static final class Corpus {
        private final KeyPair root = ec();
        private final List<KeyPair> intermediateKeys = List.of(ec(), ec(), ec());
        private final List<byte[]> intermediates = new ArrayList<>();
        private final List<KeyPair> leafKeys = List.of(rsa(), rsa(), rsa(), rsa());
        private final Map<Integer, byte[]> leaves = new HashMap<>();
        private final Set<String> prefillDomains = new HashSet<>();
        private final AtomicLong serial = new AtomicLong(1);
        private final Instant now = Instant.now();

        Corpus() throws Exception {
            for (int i = 0; i < intermediateKeys.size(); i++) {
                intermediates.add(certificate("Bench Intermediate " + i, List.of(), root,
                        intermediateKeys.get(i), "Bench Root", true));
            }
        }

        static List<String> names(int leaf) {
            String base = "s" + leaf + ".org" + (leaf % 500) + ".bench-corp.net";
            List<String> names = new ArrayList<>(List.of(base, "www." + base, "api." + base));
            if (leaf % 3 == 0) {
                names.add("*." + base);
            }
            return names;
        }

        String latencyDomain(int index) {
            return names(index).get(0);
        }

        int domainsBefore(int results) {
            return prefillDomains.size();
        }

        /** Results {@code first .. first+count-1}; result i shows leaf {@code i % leafCount} (+ offset). */
        List<byte[][]> results(int first, int count, int leafCount, Serializer<ProbeResult> serializer)
                throws Exception {
            List<byte[][]> out = new ArrayList<>(count);
            for (int n = 0; n < count; n++) {
                int i = first + n;
                int leafId = first == 0 ? i % leafCount : i;
                byte[] leaf = leaves.get(leafId);
                if (leaf == null) {
                    leaf = certificate(names(leafId).get(0), names(leafId), intermediateKeys.get(leafId % 3),
                            leafKeys.get(leafId % leafKeys.size()), "Bench Intermediate " + (leafId % 3), false);
                    if (first == 0) {
                        leaves.put(leafId, leaf);
                    }
                }
                List<byte[]> chain = List.of(leaf, intermediates.get(leafId % 3));
                String ip = "127." + ((i >> 16) & 0xff) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff);
                ProbeResult result = result(ip, chain, names(leafId), i);
                if (first == 0) {
                    for (String name : names(leafId)) {
                        if (NameNormalizer.normalize(name) instanceof NameNormalizer.Accepted a) {
                            prefillDomains.add(a.domain());
                        }
                    }
                }
                String key = ip + ":443";
                out.add(new byte[][] {key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        serializer.serialize(Topics.PROBE_RESULTS.name(), result)});
            }
            leaves.clear();
            return out;
        }

        /** Parsed leaf fields and chain entries by DER instance: a leaf is shown by ten results, parse it once. */
        private final Map<byte[], CertificateFields> leafFields = new java.util.IdentityHashMap<>();
        private final Map<byte[], ChainCertificate> chainEntries = new java.util.IdentityHashMap<>();

        private ProbeResult result(String ip, List<byte[]> chain, List<String> names, int i) {
            if (leafFields.size() > 100_000) {
                leafFields.clear();
                chainEntries.clear();
            }
            List<ChainCertificate> certs = new ArrayList<>();
            for (byte[] der : chain) {
                certs.add(chainEntries.computeIfAbsent(der, d -> ChainCertificate.newBuilder()
                        .setDer(ByteBuffer.wrap(d)).setSha256(CertificateParser.sha256Hex(d)).build()));
            }
            CertificateFields leaf = leafFields.computeIfAbsent(chain.get(0), d -> {
                ParsedCertificate parsed = CertificateParser.parse(d);
                Map<String, String> subject = new LinkedHashMap<>();
                parsed.subject().forEach((k, v) -> subject.put(k, String.join(", ", v)));
                return CertificateFields.newBuilder().setSubject(subject).setSubjectDn(parsed.subjectDn())
                        .setIssuerDn(parsed.issuerDn()).setSans(parsed.sanDns()).setSha256(parsed.sha256())
                        .setNotBefore(parsed.notBefore()).setNotAfter(parsed.notAfter())
                        .setSerialNumber(parsed.serialHex()).setKeyType(parsed.keyType())
                        .setKeySize(parsed.keyBits()).setSignatureAlgorithm(parsed.signatureAlgorithm())
                        .build();
            });
            List<ExtractedName> extracted = new ArrayList<>();
            extracted.add(ExtractedName.newBuilder().setName(names.get(0)).setSource(NameSource.CN).build());
            for (String n : names) {
                extracted.add(ExtractedName.newBuilder().setName(n).setSource(NameSource.SAN).build());
            }
            return ProbeResult.newBuilder()
                    .setScanId(SCAN)
                    .setIp(ip)
                    .setPort(443)
                    .setStatus(ProbeStatus.SUCCESS)
                    .setSuccessfulAttempt(1)
                    .setTlsVersion("TLSv1.3")
                    .setCipherSuite("TLS_AES_128_GCM_SHA256").setBlockId(SCAN + ":" + (i / 256)).setAlpn("http/1.1")
                    .setChain(certs)
                    .setLeaf(leaf)
                    .setNames(extracted)
                    .setWorkerId("bench-worker-" + (i % 4))
                    .setProbedAt(now.plusMillis(i))
                    .build();
        }

        private byte[] certificate(String cn, List<String> sans, KeyPair issuerKey, KeyPair subjectKey,
                String issuerCn, boolean ca) throws Exception {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuerCn
                    + ",O=Bench"), BigInteger.valueOf(serial.incrementAndGet()),
                    Date.from(now.minus(Duration.ofDays(30))), Date.from(now.plus(Duration.ofDays(60))),
                    new X500Name("CN=" + cn + ",O=Bench"), subjectKey.getPublic());
            if (!sans.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.stream()
                        .map(s -> new GeneralName(GeneralName.dNSName, s)).toArray(GeneralName[]::new)));
            }
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate());
            return builder.build(signer).getEncoded();
        }

        private static KeyPair ec() {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"));
                return g.generateKeyPair();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private static KeyPair rsa() {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                return g.generateKeyPair();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * CPU time of this JVM (the consumer, or the streams application) and of the broker's JVM since creation: on a
     * shared, loaded machine wall-clock rates say as much about the neighbours as about the code.
     */
    private static final class Cpu {
        private final long brokerPid;
        private final long jvmStart;
        private final long brokerStart;

        Cpu(long brokerPid) {
            this.brokerPid = brokerPid;
            this.jvmStart = jvmNanos();
            this.brokerStart = brokerNanos();
        }

        String since(long results) {
            double jvm = secs(jvmNanos() - jvmStart);
            double brokerSeconds = secs(brokerNanos() - brokerStart);
            return String.format("this JVM %.1f s (%.0f us/result), broker %.1f s (%.0f us/result)", jvm,
                    jvm * 1e6 / results, brokerSeconds, brokerSeconds * 1e6 / results);
        }

        /** CPU time per thread of this process (native RocksDB and JVM threads included), by thread name. */
        static Map<String, Long> threads() {
            Map<String, Long> out = new HashMap<>();
            try (var tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                                .replaceAll("[0-9]+", "N");
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        out.merge(name + "#" + task.getFileName(), (Long.parseLong(f[11]) + Long.parseLong(f[12]))
                                * 10_000_000L, Long::sum);
                    } catch (Exception e) {
                        // The thread ended meanwhile.
                    }
                }
            } catch (Exception e) {
                return out;
            }
            return out;
        }

        /** Seconds of CPU per thread group since {@code before}, largest first. */
        static String threadsSince(Map<String, Long> before) {
            Map<String, Long> byGroup = new HashMap<>();
            threads().forEach((k, v) -> byGroup.merge(k.substring(0, k.indexOf('#')),
                    v - before.getOrDefault(k, 0L), Long::sum));
            return byGroup.entrySet().stream().filter(e -> e.getValue() >= 100_000_000L)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
                    .map(e -> String.format("%s %.1f s", e.getKey(), secs(e.getValue())))
                    .collect(Collectors.joining(", "));
        }

        private static long jvmNanos() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
        }

        /** utime + stime of /proc/PID/stat, in clock ticks of 10 ms (USER_HZ is 100 on Linux). */
        private long brokerNanos() {
            try {
                String stat = Files.readString(Path.of("/proc/" + brokerPid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
            } catch (Exception e) {
                return 0;
            }
        }
    }

    private static long percentile(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    /** {@code -Dstreams.client.K=V} system properties: Kafka client settings to try, for (b) and (c) alike. */
    private static Map<String, String> clientOverrides() {
        Map<String, String> out = new HashMap<>();
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("streams.client.")) {
                out.put(k.toString().substring("streams.client.".length()), v.toString());
            }
        });
        if (!out.isEmpty()) {
            print("client settings from system properties: %s", out);
        }
        return out;
    }

    private static int arg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i].replace("_", "")) : fallback;
    }

    private static double secs(long nanos) {
        return nanos / 1e9;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0];
        } catch (Exception e) {
            return "?";
        }
    }

    private static void print(String format, Object... args) {
        // A benchmark's report is its output.
        System.out.println(String.format(format, args));
        System.out.flush();
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // A temp directory left behind is harmless.
        }
    }
}
