package io.tlsxtractor.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the catalog's topics that are missing, with their configs, and reports existing topics whose partition
 * count, replication factor or configs differ from the catalog. It never alters an existing topic: changing
 * partitions moves keys between partitions and changing a cleanup policy can delete data, so that is an
 * operator's decision, made from the report.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    /**
     * How topics are created.
     *
     * @param replicationFactor replicas per partition; null = the broker's {@code default.replication.factor}
     * @param partitionsOverride partitions for every topic instead of the catalog's; null = the catalog's
     * @param timeout deadline of each admin call
     * @param checkExisting whether topics that exist already are described and their drift reported
     */
    public record Options(Short replicationFactor, Integer partitionsOverride, Duration timeout, boolean checkExisting) {
        public Options {
            if (replicationFactor != null && replicationFactor < 1) {
                throw new IllegalArgumentException("replication factor must be at least 1, got " + replicationFactor);
            }
            if (partitionsOverride != null && partitionsOverride < 1) {
                throw new IllegalArgumentException("partitions must be at least 1, got " + partitionsOverride);
            }
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
        }

        /** Broker default replication, catalog partitions, 30 s per call. */
        public static Options defaults() {
            return new Options(null, null, Duration.ofSeconds(30), true);
        }

        public Options withReplicationFactor(short factor) {
            return new Options(factor, partitionsOverride, timeout, checkExisting);
        }

        public Options withPartitions(int partitions) {
            return new Options(replicationFactor, partitions, timeout, checkExisting);
        }

        public Options withTimeout(Duration newTimeout) {
            return new Options(replicationFactor, partitionsOverride, newTimeout, checkExisting);
        }

        /**
         * Creates the missing topics only: existing ones are neither described nor reported. For a broker whose topics
         * only this code creates (the embedded one), where the check would cost round trips at every start and
         * report nothing but partition counts chosen by an earlier version.
         */
        public Options withoutExistingCheck() {
            return new Options(replicationFactor, partitionsOverride, timeout, false);
        }
    }

    /** One setting of an existing topic that is not what the catalog says. */
    public record Drift(String topic, String setting, String expected, String actual) {
        @Override
        public String toString() {
            return topic + ": " + setting + " is " + actual + ", catalog says " + expected;
        }
    }

    /** What a provisioning run did and found. */
    public record Report(List<String> created, List<String> existing, List<Drift> drift) {
        public Report {
            created = List.copyOf(created);
            existing = List.copyOf(existing);
            drift = List.copyOf(drift);
        }

        public boolean hasDrift() {
            return !drift.isEmpty();
        }
    }

    /** The broker could not be reached or refused a call. */
    public static final class ProvisioningException extends RuntimeException {
        public ProvisioningException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Admin admin;
    private final String bootstrapServers;
    private final Options options;

    /**
     * @param bootstrapServers the servers {@code admin} was built for, named in error messages
     */
    public TopicProvisioner(Admin admin, String bootstrapServers, Options options) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** An admin client whose calls give up within {@code timeout} (the default would retry for a minute). */
    public static Admin createAdmin(String bootstrapServers, Duration timeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "tlsx-topic-provisioner");
        return Admin.create(props);
    }

    /** Provisions every catalog topic and its dead-letter topic. */
    public Report provisionCatalog() {
        return provision(Topics.allWithDeadLetters());
    }

    /** Creates the missing ones of {@code topics} and reports drift on the others. */
    public Report provision(Collection<? extends TopicSpec<?, ?>> topics) {
        Set<String> present = call("list topics", () -> admin.listTopics(new ListTopicsOptions()
                .timeoutMs(timeoutMs())).names().get(options.timeout().toMillis(), TimeUnit.MILLISECONDS));
        List<String> created = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        Map<String, TopicSpec<?, ?>> toCreate = new LinkedHashMap<>();
        for (TopicSpec<?, ?> spec : topics) {
            if (present.contains(spec.name())) {
                existing.add(spec.name());
            } else {
                toCreate.put(spec.name(), spec);
            }
        }
        if (!toCreate.isEmpty()) {
            List<NewTopic> newTopics = toCreate.values().stream()
                    .map(spec -> new NewTopic(spec.name(), Optional.of(partitions(spec)),
                            Optional.ofNullable(options.replicationFactor())).configs(spec.configs()))
                    .toList();
            CreateTopicsResult result = admin.createTopics(newTopics, new CreateTopicsOptions().timeoutMs(timeoutMs()));
            for (Map.Entry<String, KafkaFuture<Void>> entry : result.values().entrySet()) {
                String name = entry.getKey();
                try {
                    call("create topic " + name, () -> entry.getValue().get(options.timeout().toMillis(), TimeUnit.MILLISECONDS));
                    created.add(name);
                    LOG.info("Created topic {} ({} partitions, {})", name, partitions(toCreate.get(name)),
                            toCreate.get(name).configs());
                } catch (ProvisioningException e) {
                    // Another process provisioning at the same time won the race: treat the topic as existing.
                    if (e.getCause() instanceof TopicExistsException) {
                        existing.add(name);
                    } else {
                        throw e;
                    }
                }
            }
        }
        List<Drift> drift = existing.isEmpty() || !options.checkExisting() ? List.of() : drift(topics, existing);
        drift.forEach(d -> LOG.warn("Topic drift: {}", d));
        return new Report(created, existing, drift);
    }

    private List<Drift> drift(Collection<? extends TopicSpec<?, ?>> topics, List<String> existing) {
        Map<String, TopicDescription> descriptions = callRetrying("describe topics " + existing,
                () -> admin.describeTopics(existing, new DescribeTopicsOptions().timeoutMs(timeoutMs()))
                        .allTopicNames().get(options.timeout().toMillis(), TimeUnit.MILLISECONDS));
        List<ConfigResource> resources = existing.stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
        Map<ConfigResource, Config> configs = callRetrying("describe configs of " + existing,
                () -> admin.describeConfigs(resources, new DescribeConfigsOptions().timeoutMs(timeoutMs()))
                        .all().get(options.timeout().toMillis(), TimeUnit.MILLISECONDS));
        List<Drift> drift = new ArrayList<>();
        for (TopicSpec<?, ?> spec : topics) {
            TopicDescription description = descriptions.get(spec.name());
            if (description == null) {
                continue;
            }
            int actualPartitions = description.partitions().size();
            if (actualPartitions != partitions(spec)) {
                drift.add(new Drift(spec.name(), "partitions", Integer.toString(partitions(spec)),
                        Integer.toString(actualPartitions)));
            }
            if (options.replicationFactor() != null && !description.partitions().isEmpty()) {
                int replicas = description.partitions().get(0).replicas().size();
                if (replicas != options.replicationFactor()) {
                    drift.add(new Drift(spec.name(), "replication.factor", options.replicationFactor().toString(),
                            Integer.toString(replicas)));
                }
            }
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
            for (Map.Entry<String, String> expected : spec.configs().entrySet()) {
                ConfigEntry entry = config == null ? null : config.get(expected.getKey());
                String actual = entry == null ? null : entry.value();
                if (!expected.getValue().equals(actual)) {
                    drift.add(new Drift(spec.name(), expected.getKey(), expected.getValue(), String.valueOf(actual)));
                }
            }
        }
        return drift;
    }

    private int partitions(TopicSpec<?, ?> spec) {
        return options.partitionsOverride() != null ? options.partitionsOverride() : spec.partitions();
    }

    @FunctionalInterface
    private interface AdminCall<T> {
        T run() throws InterruptedException, ExecutionException, TimeoutException;
    }

    /**
     * Like {@link #call}, but retries retriable errors until the timeout: a topic another process has just created
     * is listed before every broker can describe it (UnknownTopicOrPartition for a moment).
     */
    private <T> T callRetrying(String what, AdminCall<T> call) {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        long backoffMs = 100;
        while (true) {
            try {
                return call(what, call);
            } catch (ProvisioningException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() + backoffMs * 1_000_000 > deadline) {
                    throw e;
                }
                LOG.debug("Retrying '{}' after {}", what, e.getCause().toString());
            }
            try {
                Thread.sleep(backoffMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProvisioningException("Interrupted while trying to " + what + " on Kafka at " + bootstrapServers, e);
            }
            backoffMs = Math.min(backoffMs * 2, 2000);
        }
    }

    private <T> T call(String what, AdminCall<T> call) {
        try {
            return call.run();
        } catch (TimeoutException e) {
            throw new ProvisioningException("Cannot " + what + ": Kafka at " + bootstrapServers
                    + " did not answer within " + options.timeout().toMillis() + " ms (is the broker running?)", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw new ProvisioningException("Cannot " + what + ": Kafka at " + bootstrapServers
                        + " did not answer within " + options.timeout().toMillis() + " ms (is the broker running?): "
                        + cause.getMessage(), cause);
            }
            throw new ProvisioningException("Cannot " + what + " on Kafka at " + bootstrapServers + ": "
                    + cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProvisioningException("Interrupted while trying to " + what + " on Kafka at " + bootstrapServers, e);
        }
    }

    private int timeoutMs() {
        return (int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis());
    }
}
