package io.tlsxtractor.streams.internal;

import io.tlsxtractor.schemas.avro.EventType;
import io.tlsxtractor.schemas.avro.ScanState;
import io.tlsxtractor.schemas.avro.ScanStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the progress of every scan (keyed by scan id): distinct targets done (a replayed result is a member already
 * counted), successes, failures by category and code, distinct domains found, and the totals and state the ingest
 * service reported. Writes the merged {@link ScanStatus} (marked with {@link #ORIGIN_HEADER} so that reading the
 * status topic back ignores it) and events:
 * <ul>
 *   <li>{@code scan.progress} and the status of every scan that changed, from a wall-clock punctuator: at most one of
 *   each per scan per interval, however fast results arrive;</li>
 *   <li>{@code scan.completed} at once when the last target gets its result: the stored state is COMPLETED from then
 *   on, so it is emitted exactly once (state and output commit together under exactly-once).</li>
 * </ul>
 * Once a scan has ended its target count is final: its member sets are deleted (they would otherwise grow forever,
 * one entry per target and domain of every scan ever run) and later results of it (replays) are ignored. Domains
 * found in the last results can still arrive after the end (they take one more hop, through the inventory); they are
 * counted without a member entry, as the inventory announces a domain once per scan.
 */
public final class ScanProgressProcessor implements Processor<String, ProgressDelta, String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(ScanProgressProcessor.class);

    /** Header on the statuses this processor writes; its value is the application id. */
    public static final String ORIGIN_HEADER = "tlsx.origin";
    public static final byte[] ORIGIN_VALUE = "streams".getBytes(StandardCharsets.UTF_8);

    private final String statusStoreName;
    private final String membersStoreName;
    private final Duration interval;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, ScanStatus> statuses;
    private KeyValueStore<String, String> members;
    private final Set<String> dirty = new LinkedHashSet<>();
    private final Map<String, long[]> lastRate = new HashMap<>();

    public ScanProgressProcessor(String statusStoreName, String membersStoreName, Duration interval) {
        this.statusStoreName = statusStoreName;
        this.membersStoreName = membersStoreName;
        this.interval = interval;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.statuses = context.getStateStore(statusStoreName);
        this.members = context.getStateStore(membersStoreName);
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::report);
    }

    @Override
    public void process(Record<String, ProgressDelta> record) {
        ProgressDelta d = record.value();
        if (d == null) {
            return;
        }
        String scanId = d.scanId();
        ScanStatus stored = statuses.get(scanId);
        boolean wasTerminal = stored != null && terminal(stored.getState());
        // store.get() deserialised a record nobody else holds: update it in place (one per probe result).
        ScanStatus s = stored == null ? fresh(scanId, d.time()) : stored;
        if (wasTerminal && d.kind() == ProgressDelta.Kind.TARGET) {
            return;
        }
        boolean changed = switch (d.kind()) {
            case TARGET -> target(s, d);
            case DOMAIN -> domain(s, d);
            case TOTALS -> totals(s, d);
        };
        if (!changed) {
            return;
        }
        if (!terminal(s.getState()) && s.getState() != ScanState.RUNNING) {
            s.setState(ScanState.RUNNING);
        }
        if (!terminal(s.getState()) && s.getExpansionComplete() && s.getTotalTargets() > 0
                && s.getDone() >= s.getTotalTargets()) {
            s.setState(ScanState.COMPLETED);
            s.setFinishedAt(Instant.ofEpochMilli(Math.max(d.time(), s.getStartedAt() == null ? 0
                    : s.getStartedAt().toEpochMilli())));
        }
        long now = context.currentSystemTimeMs();
        if (!wasTerminal && terminal(s.getState())) {
            s.setUpdatedAt(Instant.ofEpochMilli(now));
            statuses.put(scanId, s);
            dirty.remove(scanId);
            forgetMembers(scanId);
            emitStatus(s, now);
            if (s.getState() == ScanState.COMPLETED) {
                context.forward(new Record<>(scanId, Events.once(EventType.SCAN_COMPLETED, scanId, scanId, now,
                        scanId, summary(s)), now));
                LOG.info("Scan {} completed: {} targets, {} succeeded, {} failed, {} domains", scanId, s.getDone(),
                        s.getSucceeded(), s.getFailed(), s.getDomainsFound());
            }
            return;
        }
        statuses.put(scanId, s);
        dirty.add(scanId);
    }

    /** Deletes the scan's member sets: with its counts final, nothing needs them any more. */
    private void forgetMembers(String scanId) {
        int deleted = 0;
        for (String kind : new String[] {"t", "d"}) {
            List<String> keys = new ArrayList<>();
            try (KeyValueIterator<String, String> it = members.prefixScan(memberPrefix(kind, scanId),
                    new StringSerializer())) {
                it.forEachRemaining(kv -> keys.add(kv.key));
            }
            keys.forEach(members::delete);
            deleted += keys.size();
        }
        LOG.debug("Scan {} ended: {} member entries deleted", scanId, deleted);
    }

    private static String memberPrefix(String kind, String scanId) {
        return kind + "\u0000" + scanId + "\u0000";
    }

    private boolean target(ScanStatus s, ProgressDelta d) {
        String key = memberPrefix("t", d.scanId()) + d.member();
        if (members.get(key) != null) {
            return false;
        }
        members.put(key, "");
        s.setDone(s.getDone() + 1);
        if (d.succeeded()) {
            s.setSucceeded(s.getSucceeded() + 1);
            if (d.attempt() > 0) {
                increment(s.getRetrySuccessDistribution(), Integer.toString(d.attempt()));
            }
        } else {
            s.setFailed(s.getFailed() + 1);
            increment(s.getErrorsByCategory(), d.errorCategory() == null ? "unknown" : d.errorCategory());
            if (d.errorCode() != null) {
                increment(s.getErrorsByCode(), d.errorCode());
            }
        }
        if (s.getStartedAt() == null || s.getStartedAt().toEpochMilli() > d.time()) {
            s.setStartedAt(Instant.ofEpochMilli(d.time()));
        }
        return true;
    }

    private boolean domain(ScanStatus s, ProgressDelta d) {
        if (terminal(s.getState())) {
            s.setDomainsFound(s.getDomainsFound() + 1);
            return true;
        }
        String key = memberPrefix("d", d.scanId()) + d.member();
        if (members.get(key) != null) {
            return false;
        }
        members.put(key, "");
        s.setDomainsFound(s.getDomainsFound() + 1);
        return true;
    }

    /** Ingest's totals grow while it expands and are final once {@code expansionComplete}; a final count stays. */
    private boolean totals(ScanStatus s, ProgressDelta d) {
        boolean changed = false;
        if (!s.getExpansionComplete() && (d.expansionComplete() || d.totalTargets() > s.getTotalTargets())) {
            s.setTotalTargets(d.totalTargets());
            s.setExpansionComplete(d.expansionComplete());
            changed = true;
        }
        if ((d.state() == ScanState.FAILED || d.state() == ScanState.CANCELLED) && !terminal(s.getState())) {
            s.setState(d.state());
            s.setMessage(d.message());
            s.setFinishedAt(Instant.ofEpochMilli(d.finishedAt() > 0 ? d.finishedAt() : d.time()));
            changed = true;
        }
        if (d.startedAt() > 0 && (s.getStartedAt() == null || s.getStartedAt().toEpochMilli() > d.startedAt())) {
            s.setStartedAt(Instant.ofEpochMilli(d.startedAt()));
            changed = true;
        }
        return changed;
    }

    private void report(long now) {
        if (dirty.isEmpty()) {
            return;
        }
        for (String scanId : dirty) {
            ScanStatus stored = statuses.get(scanId);
            if (stored == null) {
                continue;
            }
            ScanStatus s = ScanStatus.newBuilder(stored).setUpdatedAt(Instant.ofEpochMilli(now)).build();
            long[] last = lastRate.get(scanId);
            double rate;
            if (last != null && now > last[1]) {
                rate = (s.getDone() - last[0]) * 1000.0 / (now - last[1]);
            } else {
                long since = s.getStartedAt() == null ? now : s.getStartedAt().toEpochMilli();
                rate = now > since ? s.getDone() * 1000.0 / (now - since) : 0.0;
            }
            lastRate.put(scanId, new long[] {s.getDone(), now});
            s.setRatePerSecond(rate);
            statuses.put(scanId, s);
            emitStatus(s, now);
            if (!terminal(s.getState())) {
                context.forward(new Record<>(scanId, Events.unique(EventType.SCAN_PROGRESS, scanId, scanId, now,
                        summary(s)), now));
            } else {
                lastRate.remove(scanId);
            }
        }
        dirty.clear();
    }

    private void emitStatus(ScanStatus s, long now) {
        Headers headers = new RecordHeaders();
        headers.add(ORIGIN_HEADER, ORIGIN_VALUE);
        context.forward(new Record<>(s.getScanId(), s, now, headers));
    }

    private static Map<String, String> summary(ScanStatus s) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("state", s.getState().name().toLowerCase(java.util.Locale.ROOT));
        data.put("total", Long.toString(s.getTotalTargets()));
        data.put("done", Long.toString(s.getDone()));
        data.put("succeeded", Long.toString(s.getSucceeded()));
        data.put("failed", Long.toString(s.getFailed()));
        data.put("domainsFound", Long.toString(s.getDomainsFound()));
        data.put("ratePerSecond", String.format(java.util.Locale.ROOT, "%.1f", s.getRatePerSecond()));
        if (s.getTotalTargets() > 0) {
            data.put("percent", String.format(java.util.Locale.ROOT, "%.1f",
                    Math.min(100.0, s.getDone() * 100.0 / s.getTotalTargets())));
        }
        return data;
    }

    private static void increment(Map<String, Long> map, String key) {
        map.merge(key, 1L, Long::sum);
    }

    private static ScanStatus fresh(String scanId, long time) {
        return ScanStatus.newBuilder()
                .setScanId(scanId)
                .setState(ScanState.UNKNOWN)
                .setErrorsByCategory(new HashMap<>())
                .setErrorsByCode(new HashMap<>())
                .setRetrySuccessDistribution(new HashMap<>())
                .setUpdatedAt(Instant.ofEpochMilli(time))
                .build();
    }

    static boolean terminal(ScanState state) {
        return state == ScanState.COMPLETED || state == ScanState.FAILED || state == ScanState.CANCELLED;
    }
}
