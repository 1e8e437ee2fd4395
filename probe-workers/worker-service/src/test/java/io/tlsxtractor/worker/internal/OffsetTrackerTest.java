package io.tlsxtractor.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The per-partition contiguous-commit tracker. */
class OffsetTrackerTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    @Test
    void outOfOrderCompletionsCommitOnlyTheContiguousRun() {
        OffsetTracker t = new OffsetTracker();
        for (long o = 10; o <= 14; o++) {
            t.track(P0, o);
        }
        assertThat(t.committable(P0)).isEmpty();
        t.complete(P0, 12);
        t.complete(P0, 14);
        assertThat(t.committable(P0)).as("10 and 11 are not done").isEmpty();
        assertThat(t.firstPending(P0)).hasValue(10);
        t.complete(P0, 10);
        assertThat(t.committable(P0)).hasValue(11);
        t.complete(P0, 11);
        assertThat(t.committable(P0)).as("12 was already done").hasValue(13);
        assertThat(t.firstPending(P0)).hasValue(13);
        t.complete(P0, 13);
        assertThat(t.committable(P0)).hasValue(15);
        assertThat(t.firstPending(P0)).isEmpty();
        assertThat(t.pendingCount()).isZero();
    }

    @Test
    void gapsInOffsetsFollowTheOrderOfTracking() {
        OffsetTracker t = new OffsetTracker();
        t.track(P0, 5);
        t.track(P0, 9);
        t.track(P0, 20);
        t.complete(P0, 9);
        t.complete(P0, 5);
        assertThat(t.committable(P0)).as("the commit points after the last completed record").hasValue(10);
        t.complete(P0, 20);
        assertThat(t.committable(P0)).hasValue(21);
    }

    @Test
    void partitionsAreIndependent() {
        OffsetTracker t = new OffsetTracker();
        t.track(P0, 0);
        t.track(P0, 1);
        t.track(P1, 0);
        t.complete(P1, 0);
        t.complete(P0, 1);
        assertThat(t.committable(P1)).hasValue(1);
        assertThat(t.committable(P0)).isEmpty();
        assertThat(t.pendingCount()).isEqualTo(2);
    }

    @Test
    void forgottenPartitionIgnoresLateCompletionsAndCanStartAgain() {
        OffsetTracker t = new OffsetTracker();
        t.track(P0, 3);
        t.track(P0, 4);
        t.complete(P0, 3);
        t.forget(P0);
        t.complete(P0, 4);
        assertThat(t.committable(P0)).isEmpty();
        assertThat(t.partitions()).isEmpty();
        t.track(P0, 4);
        t.complete(P0, 4);
        assertThat(t.committable(P0)).hasValue(5);
    }

    @Test
    void completingAnUntrackedOrRepeatedOffsetChangesNothing() {
        OffsetTracker t = new OffsetTracker();
        t.track(P0, 7);
        t.complete(P0, 6);
        t.complete(P1, 7);
        assertThat(t.committable(P0)).isEqualTo(OptionalLong.empty());
        t.complete(P0, 7);
        t.complete(P0, 7);
        assertThat(t.committable(P0)).hasValue(8);
    }

    @Test
    void trackingOutOfOrderIsABug() {
        OffsetTracker t = new OffsetTracker();
        t.track(P0, 7);
        assertThatThrownBy(() -> t.track(P0, 7)).isInstanceOf(IllegalStateException.class).hasMessageContaining("t-0");
    }
}
