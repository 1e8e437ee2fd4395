package io.tlsxtractor.localstack;

import io.tlsxtractor.localstack.internal.KafkaNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the broker's own JVM ({@link KafkaBrokerProcess}): formats the data directory on
 * first use, then runs Kafka's server main, which stops the broker cleanly on SIGTERM.
 */
public final class KafkaBrokerMain {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerMain.class);

    private KafkaBrokerMain() {
    }

    /** {@code KafkaBrokerMain <server.properties>}, written by {@link KafkaBrokerProcess}. */
    public static void main(String[] args) {
        if (args.length != 1 || !Files.isRegularFile(Path.of(args[0]))) {
            LOG.error("Usage: KafkaBrokerMain <server.properties> (an existing file written by KafkaBrokerProcess)");
            System.exit(2);
        }
        Path serverProperties = Path.of(args[0]).toAbsolutePath();
        try {
            KafkaNode.formatIfNeeded(serverProperties, KafkaNode.recordedClusterId(serverProperties.getParent()));
        } catch (RuntimeException e) {
            LOG.error("Cannot prepare the Kafka data directory {}", serverProperties.getParent(), e);
            System.exit(1);
        }
        kafka.Kafka.main(new String[] {serverProperties.toString()});
    }
}
