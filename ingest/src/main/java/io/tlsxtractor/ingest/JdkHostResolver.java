package io.tlsxtractor.ingest;

import io.tlsxtractor.ingest.internal.IpAddresses;
import io.tlsxtractor.schemas.avro.ErrorCode;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The system resolver ({@link InetAddress#getAllByName}: {@code /etc/hosts}, then DNS) on a fixed pool of threads,
 * because the JDK call blocks; each lookup has a deadline, after which it reports {@code DNS_TEMPORARY_FAILURE} (the
 * blocked thread finishes on its own; the pool bounds how many can hang).
 */
public final class JdkHostResolver implements HostResolver {

    private final ExecutorService executor;
    private final Duration timeout;

    /**
     * @param threads concurrent lookups
     * @param timeout deadline of one lookup
     */
    public JdkHostResolver(int threads, Duration timeout) {
        if (threads < 1) {
            throw new IllegalArgumentException("resolver threads must be at least 1, not " + threads);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("resolver timeout must be positive, not " + timeout);
        }
        AtomicInteger count = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "tlsx-resolver-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.timeout = timeout;
    }

    @Override
    public CompletableFuture<Resolution> resolve(String hostname, boolean ipv6) {
        return CompletableFuture.supplyAsync(() -> lookup(hostname, ipv6), executor)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(error -> {
                    Throwable cause = error.getCause() != null ? error.getCause() : error;
                    if (cause instanceof TimeoutException) {
                        return Resolution.failed(hostname, ErrorCode.DNS_TEMPORARY_FAILURE,
                                "DNS lookup of " + hostname + " timed out after " + timeout.toMillis() + " ms");
                    }
                    return Resolution.failed(hostname, ErrorCode.DNS_RESOLUTION_FAILED,
                            "DNS lookup of " + hostname + " failed: " + cause);
                });
    }

    private static Resolution lookup(String hostname, boolean ipv6) {
        InetAddress[] found;
        try {
            found = InetAddress.getAllByName(hostname);
        } catch (UnknownHostException e) {
            return Resolution.failed(hostname, ErrorCode.DNS_NAME_NOT_FOUND, "no such host: " + hostname);
        } catch (SecurityException e) {
            return Resolution.failed(hostname, ErrorCode.DNS_RESOLUTION_FAILED, "lookup of " + hostname + " refused: " + e.getMessage());
        }
        return fromAddresses(hostname, List.of(found), ipv6);
    }

    /** The resolution of {@code hostname} to {@code found}, IPv6 dropped unless {@code ipv6}, sorted. */
    static Resolution fromAddresses(String hostname, List<InetAddress> found, boolean ipv6) {
        Set<IpAddresses.Literal> literals = new LinkedHashSet<>();
        for (InetAddress address : found) {
            boolean v4 = address instanceof Inet4Address;
            if (v4 || ipv6) {
                literals.add(new IpAddresses.Literal(v4 ? 4 : 6, new BigInteger(1, address.getAddress())));
            }
        }
        if (literals.isEmpty()) {
            return Resolution.failed(hostname, ErrorCode.DNS_NO_DATA,
                    hostname + " has no " + (ipv6 ? "A or AAAA" : "A") + " record");
        }
        List<IpAddresses.Literal> sorted = new ArrayList<>(literals);
        sorted.sort(Comparator.comparingInt(IpAddresses.Literal::version).thenComparing(IpAddresses.Literal::value));
        return Resolution.of(hostname, sorted.stream().map(l -> IpAddresses.format(l.version(), l.value())).toList());
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
