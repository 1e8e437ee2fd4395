package io.tlsxtractor.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlsxtractor.ingest.Checkpoint;
import io.tlsxtractor.ingest.Cursor;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AckTrackerTest {

    private static Checkpoint at(long sequence) {
        return new Checkpoint(sequence, new Cursor(0, 1, sequence), sequence, 0);
    }

    @Test
    void theSafeCheckpointOnlyMovesOverContiguousAcknowledgements() throws Exception {
        AckTracker tracker = new AckTracker(10, Checkpoint.START);
        long a = tracker.register(at(1));
        long b = tracker.register(at(2));
        long c = tracker.register(at(3));

        tracker.complete(c, null);
        assertThat(tracker.safe()).isEqualTo(Checkpoint.START);
        tracker.complete(a, null);
        assertThat(tracker.safe()).isEqualTo(at(1));
        tracker.complete(b, null);
        assertThat(tracker.safe()).isEqualTo(at(3));
        tracker.awaitAll(Duration.ofSeconds(1));
    }

    @Test
    void aFullWindowMakesTheSenderWait() throws Exception {
        AckTracker tracker = new AckTracker(2, Checkpoint.START);
        long first = tracker.register(at(1));
        tracker.register(at(2));
        CompletableFuture<Long> third = CompletableFuture.supplyAsync(() -> {
            try {
                return tracker.register(at(3));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertThat(third).as("waits while two sends are in flight").isNotDone();
        tracker.complete(first, null);
        assertThat(third.get(5, TimeUnit.SECONDS)).isEqualTo(2);
    }

    @Test
    void aFailedSendIsReportedToTheSender() throws Exception {
        AckTracker tracker = new AckTracker(4, Checkpoint.START);
        long ticket = tracker.register(at(1));
        tracker.complete(ticket, new IllegalStateException("broker gone"));
        assertThatThrownBy(() -> tracker.awaitAll(Duration.ofSeconds(1))).isInstanceOf(AckTracker.SendFailedException.class)
                .hasMessageContaining("broker gone");
        assertThatThrownBy(() -> tracker.register(at(2))).isInstanceOf(AckTracker.SendFailedException.class);
    }
}
