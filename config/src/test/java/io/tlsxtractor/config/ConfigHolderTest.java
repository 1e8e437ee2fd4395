package io.tlsxtractor.config;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The seam for configuration updates: current value, listeners, ordering. */
class ConfigHolderTest {

    private static TlsxConfig withThreads(int threads) {
        return ConfigLoader.create().environment(Map.of())
                .override("scanning.threads", Integer.toString(threads)).load();
    }

    @Test
    void updateReplacesTheCurrentConfigurationAndNotifiesListeners() {
        TlsxConfig initial = withThreads(10);
        ConfigHolder holder = new ConfigHolder(initial);
        List<String> seen = new ArrayList<>();
        holder.subscribe((previous, current) ->
                seen.add(previous.scanning().threads() + "->" + current.scanning().threads()));

        assertThat(holder.update(withThreads(20))).isTrue();
        assertThat(holder.current().scanning().threads()).isEqualTo(20);
        assertThat(seen).containsExactly("10->20");
    }

    @Test
    void equalConfigurationNotifiesNobody() {
        ConfigHolder holder = new ConfigHolder(withThreads(10));
        List<TlsxConfig> seen = new ArrayList<>();
        holder.subscribe((previous, current) -> seen.add(current));
        assertThat(holder.update(withThreads(10))).isFalse();
        assertThat(seen).isEmpty();
    }

    @Test
    void closedSubscriptionIsNotNotified() {
        ConfigHolder holder = new ConfigHolder(withThreads(10));
        List<TlsxConfig> seen = new ArrayList<>();
        ConfigHolder.Subscription subscription = holder.subscribe((previous, current) -> seen.add(current));
        subscription.close();
        holder.update(withThreads(11));
        assertThat(seen).isEmpty();
    }

    @Test
    void failingListenerDoesNotStopTheOthers() {
        ConfigHolder holder = new ConfigHolder(withThreads(10));
        List<Integer> seen = new ArrayList<>();
        holder.subscribe((previous, current) -> {
            throw new IllegalStateException("listener bug");
        });
        holder.subscribe((previous, current) -> seen.add(current.scanning().threads()));
        holder.update(withThreads(12));
        assertThat(seen).containsExactly(12);
        assertThat(holder.current().scanning().threads()).isEqualTo(12);
    }

    @Test
    void concurrentUpdatesReachListenersAsAnUnbrokenChain() throws Exception {
        TlsxConfig initial = withThreads(1);
        ConfigHolder holder = new ConfigHolder(initial);
        List<TlsxConfig[]> changes = new CopyOnWriteArrayList<>();
        holder.subscribe((previous, current) -> changes.add(new TlsxConfig[] {previous, current}));
        List<TlsxConfig> candidates = new ArrayList<>();
        for (int i = 2; i <= 41; i++) {
            candidates.add(withThreads(i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (TlsxConfig candidate : candidates) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return holder.update(candidate);
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(changes).hasSize(candidates.size());
        TlsxConfig expectedPrevious = initial;
        for (TlsxConfig[] change : changes) {
            assertThat(change[0]).isSameAs(expectedPrevious);
            expectedPrevious = change[1];
        }
        assertThat(holder.current()).isSameAs(expectedPrevious);
    }
}
