package io.tlsxtractor.worker.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tlsxtractor.probe.ProbeOutcome;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * The worker's meters in a Prometheus registry: probes by status and error category, handshake and
 * total latency histograms, the in-flight gauge, blocks done, results written, dead letters.
 */
public final class WorkerMetrics {
    public static final String IN_FLIGHT = "tlsx.worker.in.flight";
    public static final String PROBES = "tlsx.worker.probes";
    public static final String HANDSHAKE = "tlsx.worker.handshake";
    public static final String PROBE_TOTAL = "tlsx.worker.probe.duration";
    public static final String BLOCKS = "tlsx.worker.blocks";
    public static final String RESULTS = "tlsx.worker.results";
    public static final String DEAD_LETTERS = "tlsx.worker.dead.letters";
    public static final String PAUSES = "tlsx.worker.pauses";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer handshake;
    private final Timer total;
    private final Counter blocks;
    private final Counter results;
    private final Counter deadLetters;
    private final Counter pauses;

    public WorkerMetrics(String workerId, IntSupplier inFlight, int budget) {
        registry.config().commonTags("worker", workerId);
        Gauge.builder(IN_FLIGHT, inFlight::getAsInt).description("Endpoints being probed now").register(registry);
        Gauge.builder("tlsx.worker.in.flight.max", () -> budget).description("The in-flight budget").register(registry);
        handshake = Timer.builder(HANDSHAKE).description("TLS handshake time of completed handshakes")
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(2)).register(registry);
        total = Timer.builder(PROBE_TOTAL).description("Time per probe, attempts and back-off included")
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(5)).register(registry);
        blocks = Counter.builder(BLOCKS).description("Target blocks whose results are all acknowledged").register(registry);
        results = Counter.builder(RESULTS).description("Probe results acknowledged by the broker").register(registry);
        deadLetters = Counter.builder(DEAD_LETTERS).description("Target records sent to the dead-letter topic").register(registry);
        pauses = Counter.builder(PAUSES).description("Times fetching paused because the budget was full").register(registry);
    }

    /** Counts one finished probe. */
    public void probe(ProbeOutcome o) {
        Counter.builder(PROBES).description("Probes finished")
                .tag("status", o.status().wireName())
                .tag("error_category", o.error() == null ? "none" : o.error().category().wireName())
                .register(registry).increment();
        if (o.timings().handshakeMs() >= 0 && o.succeeded()) {
            handshake.record(Duration.ofMillis(o.timings().handshakeMs()));
        }
        if (o.timings().totalMs() >= 0) {
            total.record(Duration.ofMillis(o.timings().totalMs()));
        }
    }

    public void blockDone() {
        blocks.increment();
    }

    public void resultWritten() {
        results.increment();
    }

    public void deadLetter() {
        deadLetters.increment();
    }

    public void paused() {
        pauses.increment();
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }
}
