package io.tlsxtractor.worker.internal;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets may be committed: per partition, the records taken in offset order, and the
 * position after the longest run of completed ones from the oldest. A record completed out of order
 * waits until every earlier one of its partition is complete, so a commit never covers a record
 * whose results are not all acknowledged. Offsets need not be contiguous numbers (compaction,
 * transaction markers): order is the order of {@link #track}.
 *
 * <p>Not thread-safe: used by the consumer thread only.
 */
public final class OffsetTracker {

    private static final class Partition {
        final ArrayDeque<Long> pending = new ArrayDeque<>();
        final Set<Long> completed = new HashSet<>();
        long committable = -1;
    }

    private final Map<TopicPartition, Partition> partitions = new HashMap<>();

    /**
     * Records that the consumer handed out {@code offset}; must be called in offset order per partition.
     *
     * @throws IllegalStateException when {@code offset} is not after the last one tracked
     */
    public void track(TopicPartition tp, long offset) {
        Partition p = partitions.computeIfAbsent(tp, k -> new Partition());
        Long last = p.pending.peekLast();
        if (last != null && offset <= last || offset < p.committable) {
            throw new IllegalStateException(tp + ": offset " + offset + " tracked after " + (last != null ? last : p.committable));
        }
        p.pending.addLast(offset);
    }

    /** Marks a tracked offset done; ignored for a partition or offset no longer tracked (revoked, rewound). */
    public void complete(TopicPartition tp, long offset) {
        Partition p = partitions.get(tp);
        if (p == null || p.pending.isEmpty() || offset < p.pending.peekFirst()) {
            return;
        }
        p.completed.add(offset);
        while (!p.pending.isEmpty() && p.completed.remove(p.pending.peekFirst())) {
            p.committable = p.pending.removeFirst() + 1;
        }
    }

    /** The offset to commit (the next one to read after the completed run), empty when nothing completed yet. */
    public OptionalLong committable(TopicPartition tp) {
        Partition p = partitions.get(tp);
        return p == null || p.committable < 0 ? OptionalLong.empty() : OptionalLong.of(p.committable);
    }

    /** The oldest tracked offset not completed yet: where a new owner starts reading again. */
    public OptionalLong firstPending(TopicPartition tp) {
        Partition p = partitions.get(tp);
        return p == null || p.pending.isEmpty() ? OptionalLong.empty() : OptionalLong.of(p.pending.peekFirst());
    }

    /** Records tracked and not yet committable, over every partition. */
    public int pendingCount() {
        return partitions.values().stream().mapToInt(p -> p.pending.size()).sum();
    }

    /** The partitions tracked. */
    public Set<TopicPartition> partitions() {
        return Set.copyOf(partitions.keySet());
    }

    /** Forgets a partition (revoked, lost, or rewound to its first pending offset). */
    public void forget(TopicPartition tp) {
        partitions.remove(tp);
    }
}
