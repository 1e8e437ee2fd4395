package io.tlsxtractor.command.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Samples, every 250 ms, the CPU time used by this JVM and by its child processes (the embedded broker), so that a phase
 * of the bench can say where its CPU went: the pipeline's cost per result is mostly CPU on a 2-core machine, and the
 * broker's share is invisible to a profiler of this JVM.
 */
final class CpuSampler implements AutoCloseable {

    /** {@code threads}: per live thread id, its pool name ("probe-io-N") and CPU nanoseconds. */
    private record Sample(long ownNanos, long childNanos, Map<Long, Map.Entry<String, Long>> threads, long gcMillis,
            long jitMillis) {
    }

    private final ConcurrentSkipListMap<Long, Sample> samples = new ConcurrentSkipListMap<>();
    private final Thread thread;
    private volatile boolean stop;

    private CpuSampler() {
        thread = new Thread(this::run, "bench-cpu-sampler");
        thread.setDaemon(true);
    }

    static CpuSampler start() {
        CpuSampler sampler = new CpuSampler();
        sampler.thread.start();
        return sampler;
    }

    private void run() {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        while (!stop) {
            // Descendants that already exited drop out of the sum: a phase is measured while its broker runs.
            long children = ProcessHandle.current().descendants()
                    .mapToLong(h -> h.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
            Map<Long, Map.Entry<String, Long>> byThread = new HashMap<>();
            long[] ids = threads.getAllThreadIds();
            ThreadInfo[] infos = threads.getThreadInfo(ids);
            for (int i = 0; i < ids.length; i++) {
                ThreadInfo info = infos[i];
                long cpu = threads.getThreadCpuTime(ids[i]);
                if (info != null && cpu > 0) {
                    // Threads of one pool count together: "probe-io-3" and "probe-io-4" are "probe-io-N".
                    byThread.put(ids[i], Map.entry(info.getThreadName().replaceAll("\\d+", "N"), cpu));
                }
            }
            long gc = ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
            long jit = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            samples.put(System.nanoTime(), new Sample(os.getProcessCpuTime(), children, byThread, gc, jit));
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** CPU used between two {@link System#nanoTime()} instants (the nearest samples), per item and in total. */
    String between(long from, long to, int items) {
        var a = samples.floorEntry(from);
        var b = samples.ceilingEntry(to);
        if (b == null) {
            b = samples.lastEntry();
        }
        if (a == null || b == null) {
            return "CPU unknown";
        }
        double own = (b.getValue().ownNanos() - a.getValue().ownNanos()) / 1e9;
        double children = Math.max(0, b.getValue().childNanos() - a.getValue().childNanos()) / 1e9;
        double wall = (b.getKey() - a.getKey()) / 1e9;
        // Per thread id, so that a pool whose threads come and go (each scan's probe engine) is counted right; a thread
        // that ended within the window loses its share, which the JVM total above still has.
        Map<Long, Map.Entry<String, Long>> before = a.getValue().threads();
        Map<String, Long> byPool = new HashMap<>();
        b.getValue().threads().forEach((id, t) -> {
            Map.Entry<String, Long> earlier = before.get(id);
            byPool.merge(t.getKey(), t.getValue() - (earlier == null ? 0L : earlier.getValue()), Long::sum);
        });
        StringBuilder top = new StringBuilder();
        byPool.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .forEach(e -> top.append(String.format("%n      %6.0f µs/target  %s", e.getValue() / 1e3 / items, e.getKey())));
        long gc = b.getValue().gcMillis() - a.getValue().gcMillis();
        long jit = b.getValue().jitMillis() - a.getValue().jitMillis();
        return String.format("CPU %.2f s in this JVM + %.2f s in child processes over %.2f s (%.0f + %.0f µs per target);"
                + " this JVM's collector %d ms, JIT %d ms; its threads:%s", own, children, wall, own * 1e6 / items,
                children * 1e6 / items, gc, jit, top);
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
    }
}
