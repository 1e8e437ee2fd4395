package io.tlsxtractor.localstack;

import io.tlsxtractor.localstack.internal.KafkaNode;
import io.tlsxtractor.localstack.internal.KafkaProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft broker inside this JVM, for tests. A fatal broker fault halts the whole
 * JVM, so user-facing runs use {@link KafkaBrokerProcess} instead.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final KafkaNode.Layout layout;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, KafkaNode.Layout layout) {
        this.server = server;
        this.layout = layout;
    }

    /**
     * Starts a broker whose data lives in {@code dataDir}: formats it on first use, picks free
     * loopback ports (reusing the recorded ones on a formatted directory), and returns once the
     * broker serves clients.
     */
    public static EmbeddedKafkaBroker start(Path dataDir) {
        KafkaNode.Layout layout = KafkaNode.prepare(dataDir, 0, 0);
        KafkaNode.formatIfNeeded(layout.serverProperties(), layout.clusterId());
        Properties props = KafkaNode.load(layout.serverProperties());
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, layout);
        boolean ready = false;
        try {
            server.startup();
            ready = KafkaProbe.awaitReady(layout.port(), Instant.now().plus(START_TIMEOUT), () -> true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!ready) {
                broker.close();
            }
        }
        if (!ready) {
            throw new IllegalStateException("The embedded Kafka broker in " + layout.dataDir()
                    + " did not serve clients on " + layout.bootstrapServers() + " within " + START_TIMEOUT);
        }
        LOG.info("Embedded Kafka broker ready on {} (data {})", layout.bootstrapServers(), layout.dataDir());
        return broker;
    }

    /** {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return layout.bootstrapServers();
    }

    /** The cluster id of the formatted data directory. */
    public String clusterId() {
        return layout.clusterId();
    }

    public Path dataDir() {
        return layout.dataDir();
    }

    /** Shuts the broker down and waits until it has stopped. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        LOG.info("Embedded Kafka broker on {} stopped", layout.bootstrapServers());
    }
}
