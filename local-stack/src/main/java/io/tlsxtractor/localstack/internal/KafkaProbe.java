package io.tlsxtractor.localstack.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;

/** Asks a broker whether it serves clients: the listener accepts and the cluster has a live broker. */
public final class KafkaProbe {

    private static final long POLL_MS = 20;

    private KafkaProbe() {
    }

    /**
     * Waits until the broker on 127.0.0.1:{@code port} answers {@code describeCluster} with at least
     * one broker. Returns false when {@code deadline} passes or {@code alive} turns false first.
     */
    public static boolean awaitReady(int port, Instant deadline, BooleanSupplier alive) throws InterruptedException {
        // Waiting for the socket first keeps the Admin client from logging a warning per failed connect. A refused
        // connect on loopback costs microseconds, and every scan of the embedded pipeline waits here: poll often.
        while (!Ports.accepts(port, 500)) {
            if (!alive.getAsBoolean() || Instant.now().isAfter(deadline)) {
                return false;
            }
            Thread.sleep(POLL_MS);
        }
        try (Admin admin = Admin.create(adminProperties(Ports.LOOPBACK_HOST + ":" + port))) {
            while (alive.getAsBoolean() && Instant.now().isBefore(deadline)) {
                if (hasBroker(admin, Duration.ofSeconds(3))) {
                    return true;
                }
                Thread.sleep(POLL_MS);
            }
        }
        return false;
    }

    /** One quick check, for status reports. */
    public static boolean answers(int port, Duration timeout) {
        if (!Ports.accepts(port, (int) Math.min(timeout.toMillis(), 2000))) {
            return false;
        }
        try (Admin admin = Admin.create(adminProperties(Ports.LOOPBACK_HOST + ":" + port))) {
            return hasBroker(admin, timeout);
        }
    }

    private static boolean hasBroker(Admin admin, Duration timeout) {
        try {
            Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
            return !nodes.isEmpty();
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Properties adminProperties(String bootstrapServers) {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "tlsxtractor-local-stack-probe");
        p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        p.setProperty(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        p.setProperty(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, Long.toString(POLL_MS));
        p.setProperty(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "200");
        return p;
    }
}
