package io.tlsxtractor.localstack.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;

/**
 * The on-disk layout and configuration of the single-node KRaft broker (STACK.md): one process is
 * broker and controller, everything on 127.0.0.1, replication factor 1 for the internal topics.
 */
public final class KafkaNode {

    public static final String SERVER_PROPERTIES = "server.properties";
    /** Ports and cluster id chosen at the first start, so that later starts reuse the formatted directory. */
    public static final String STATE_FILE = "tlsxtractor-broker.properties";
    public static final String LOG_DIR = "logs";

    private static final String CLUSTER_ID = "cluster.id";
    private static final String PORT = "port";
    private static final String CONTROLLER_PORT = "controller.port";

    /** Where a node lives and how it is reached. */
    public record Layout(Path dataDir, Path serverProperties, String clusterId, int port, int controllerPort) {
        public String bootstrapServers() {
            return Ports.LOOPBACK_HOST + ":" + port;
        }
    }

    private KafkaNode() {
    }

    /**
     * Chooses ports and the cluster id for {@code dataDir} (reusing what an earlier start recorded),
     * checks the ports are free, and writes {@code server.properties} and the state file.
     *
     * @param requestedPort the client port, 0 for the recorded one or a free one
     * @param requestedControllerPort the controller port, 0 for the recorded one or a free one
     */
    public static Layout prepare(Path dataDir, int requestedPort, int requestedControllerPort) {
        Path dir = dataDir.toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("Kafka data directory " + dir + " exists but is not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the Kafka data directory " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException("Kafka data directory " + dir + " is not writable");
        }
        Properties state = load(dir.resolve(STATE_FILE));
        String clusterId = state.getProperty(CLUSTER_ID);
        if (clusterId == null) {
            clusterId = isFormatted(dir) ? formattedClusterId(dir) : Uuid.randomUuid().toString();
        }

        int controllerPort;
        String recordedController = state.getProperty(CONTROLLER_PORT);
        if (recordedController != null) {
            controllerPort = Integer.parseInt(recordedController);
            if (requestedControllerPort != 0 && requestedControllerPort != controllerPort && isFormatted(dir)) {
                // The controller's endpoint is part of the formatted quorum: it cannot move.
                throw new IllegalArgumentException("Kafka data directory " + dir + " was formatted with controller port "
                        + controllerPort + "; it cannot be started with controller port " + requestedControllerPort);
            }
        } else {
            controllerPort = requestedControllerPort != 0 ? requestedControllerPort : Ports.freeLoopbackPort();
        }

        int port;
        String recordedPort = state.getProperty(PORT);
        if (requestedPort != 0) {
            port = requestedPort;
        } else if (recordedPort != null && Ports.isFree(Integer.parseInt(recordedPort))) {
            port = Integer.parseInt(recordedPort);
        } else {
            port = Ports.freeLoopbackPort();
        }
        while (port == controllerPort) {
            port = Ports.freeLoopbackPort();
        }
        Ports.requireFree(port, "Kafka broker listener for " + dir);
        Ports.requireFree(controllerPort, "Kafka controller listener for " + dir);

        Path serverProperties = dir.resolve(SERVER_PROPERTIES);
        store(serverProperties(dir, port, controllerPort), serverProperties,
                "Written by TLSXtractor's local stack at each start: edits are overwritten.");
        Properties newState = new Properties();
        newState.setProperty(CLUSTER_ID, clusterId);
        newState.setProperty(PORT, Integer.toString(port));
        newState.setProperty(CONTROLLER_PORT, Integer.toString(controllerPort));
        store(newState, dir.resolve(STATE_FILE), "Chosen at the first start of this data directory.");
        return new Layout(dir, serverProperties, clusterId, port, controllerPort);
    }

    /** The configuration of a one-node broker+controller in {@code dataDir}. */
    public static Properties serverProperties(Path dataDir, int port, int controllerPort) {
        String host = Ports.LOOPBACK_HOST;
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.bootstrap.servers", host + ":" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.setProperty("log.dirs", dataDir.resolve(LOG_DIR).toString());
        p.setProperty("num.partitions", "1");
        // Every partition is a log the broker opens at each start (~10 ms each on this machine's disks), and a scan
        // waits for that: one node needs no more than a few coordinator partitions. Applies when the topic is first
        // created, so data directories formatted earlier keep theirs.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "2");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "2");
        // The log cleaner allocates its dedupe buffer (128 MiB by default) when the broker starts, which costs about
        // half a second on a fresh heap; 16 MiB still dedupes ~700,000 keys per pass, far beyond a local broker's needs.
        p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // The project declares every topic in its catalog; a typo must not create a topic.
        p.setProperty("auto.create.topics.enable", "false");
        return p;
    }

    /** The cluster id {@link #prepare} recorded for {@code dataDir}. */
    public static String recordedClusterId(Path dataDir) {
        String id = load(dataDir.resolve(STATE_FILE)).getProperty(CLUSTER_ID);
        if (id == null) {
            throw new IllegalStateException("No " + CLUSTER_ID + " in " + dataDir.resolve(STATE_FILE));
        }
        return id;
    }

    public static boolean isFormatted(Path dataDir) {
        return Files.isRegularFile(dataDir.resolve(LOG_DIR).resolve("meta.properties"));
    }

    /** The cluster id written into {@code meta.properties} by the format step. */
    public static String formattedClusterId(Path dataDir) {
        String id = load(dataDir.resolve(LOG_DIR).resolve("meta.properties")).getProperty("cluster.id");
        if (id == null) {
            throw new IllegalStateException("No cluster.id in " + dataDir.resolve(LOG_DIR).resolve("meta.properties"));
        }
        return id;
    }

    /** Formats the storage (as {@code kafka-storage.sh format --standalone}) unless it is formatted already. */
    public static void formatIfNeeded(Path serverProperties, String clusterId) {
        Path dataDir = serverProperties.toAbsolutePath().getParent();
        if (isFormatted(dataDir)) {
            return;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exit = StorageTool.execute(new String[] {
                "format", "-t", clusterId, "-c", serverProperties.toString(), "--standalone"}, out);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Formatting the Kafka storage in " + dataDir + " failed: " + e.getMessage()
                    + System.lineSeparator() + output.toString(StandardCharsets.UTF_8), e);
        }
        if (exit != 0 || !isFormatted(dataDir)) {
            throw new IllegalStateException("Formatting the Kafka storage in " + dataDir + " failed (exit " + exit + "): "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }

    public static Properties load(Path file) {
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return p;
    }

    public static void store(Properties p, Path file, String comment) {
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(writer, comment);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
