package io.tlsxtractor.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.tlsxtractor.bench.internal.Args;
import io.tlsxtractor.bench.internal.ProcessStats;
import io.tlsxtractor.bench.internal.ScanGuard;
import io.tlsxtractor.probe.ErrorCode;
import io.tlsxtractor.probe.ProbeEngine;
import io.tlsxtractor.probe.ProbeSettings;
import io.tlsxtractor.probe.ProbeTarget;
import io.tlsxtractor.probe.extractors.CertificateNameExtractor;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.List;

/**
 * Scan rate and memory of the probe engine on an Internet-like lab: a range in a network namespace
 * (set up by {@code scan-lab.sh}) where, by the last octet of the address, hosts answer TLS
 * (octet &lt; {@code --tls-below}), refuse with a TCP RST (&lt; {@code --refuse-below}) or silently drop
 * every packet (the rest), 50 ms away. Because the layout is deterministic, every outcome is checked:
 * each TLS host must come back SUCCESS.
 *
 * <p>Reference in the same run: a minimal Netty connector (connect, close; same in-flight limit and
 * timeout) over the same targets, and the in-flight bound {@code maxInFlight / (silent share × timeout)}.
 */
public final class InternetScanBench {
    private static final double GOAL_PER_HOUR = 10_000_000;
    private static final long GOAL_RSS = 1L << 30;

    private static final int PENDING = 0;
    private static final int SUCCESS = 1;
    private static final int REFUSED = 2;
    private static final int TIMEOUT = 3;
    private static final int OTHER = 4;
    private static final String[] NAMES = {"pending", "SUCCESS", "refused", "timeout", "other"};

    private InternetScanBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args("InternetScanBench", argv, Map.of("range", "198.18.0.0/16", "port", "443", "timeout-ms", "2000",
                "max-in-flight", "18000", "tls-below", "13", "refuse-below", "26", "interface", "tlsxb0",
                "io-threads", "0", "reference", "raw", "warmup", "1"));
        String[] cidr = args.string("range").split("/");
        long first = toLong(InetAddress.getByName(cidr[0]));
        int prefix = Integer.parseInt(cidr[1]);
        ScanGuard.check(first, prefix, args.string("interface"));
        int port = args.integer("port");
        int tlsBelow = args.integer("tls-below");
        int refuseBelow = args.integer("refuse-below");
        int maxInFlight = args.integer("max-in-flight");
        Duration timeout = Duration.ofMillis(args.integer("timeout-ms"));
        int count = 1 << (32 - prefix);

        // A fixed shuffle: real scanners spread their probes, and the lab's layout repeats every 256 addresses.
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Random random = new Random(2544);
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int tlsHosts = 0;
        for (int i = 0; i < count; i++) {
            if (expected(first + i, tlsBelow, refuseBelow) == SUCCESS) {
                tlsHosts++;
            }
        }
        System.out.printf("Scan of %s/%d port %d: %d targets, %d answer TLS (last octet < %d), %d refuse (< %d), %d drop silently;"
                        + " timeout %d ms, retries 0, max in flight %d; load average %s%n",
                ScanGuard.format(first), prefix, port, count, tlsHosts, tlsBelow, count / 256 * (refuseBelow - tlsBelow), refuseBelow,
                count - tlsHosts - count / 256 * (refuseBelow - tlsBelow), timeout.toMillis(), maxInFlight, loadAverage());

        ProbeSettings settings = ProbeSettings.builder().timeout(timeout).retries(0).connectedTimeoutRetries(1).maxInFlight(maxInFlight)
                .ioThreads(args.integer("io-threads")).build();
        if (args.integer("warmup") > 0) {
            warmUp(first, count, order, port, tlsBelow, refuseBelow, tlsHosts);
        }
        double engineRate;
        long peakRss;
        try (ProbeEngine engine = new ProbeEngine(settings, List.of(new CertificateNameExtractor()))) {
            Result r = scanWithEngine(engine, first, order, port, tlsBelow, refuseBelow, "engine scan");
            peakRss = ProcessStats.peakRssBytes();
            engineRate = count / r.seconds * 3600;
            System.out.println();
            System.out.println("=== Engine scan ===");
            r.print(count);
            System.out.printf("responsive (TLS) hosts found: %d of %d = %.2f%%%n", r.matched[SUCCESS], tlsHosts,
                    100.0 * r.matched[SUCCESS] / tlsHosts);
            Map<Integer, Long> byAttempts = new TreeMap<>();
            r.attempts.forEach((k, v) -> byAttempts.put(k, v.sum()));
            System.out.printf("outcomes by attempts %s; retries after a timeout on an accepted connection: %d%n", byAttempts,
                    engine.counters().get("connected_timeout_retries"));
            System.out.printf("targets/hour: %,.0f  (goal 10,000,000: ratio %.2f)%n", engineRate, engineRate / GOAL_PER_HOUR);
            System.out.printf("peak RSS of the scanning JVM (VmHWM, warm-up included): %s  (goal <= 1 GiB: ratio %.2f of the budget)%n",
                    ProcessStats.mib(peakRss), (double) peakRss / GOAL_RSS);
            System.out.printf("bench JVM CPU during the scan: user %.1f s + sys %.1f s = %.2f cores busy on average%n",
                    r.cpu.userSeconds(), r.cpu.systemSeconds(), r.cpu.totalSeconds() / r.seconds);
        }
        double silentShare = 1 - (double) count / 256 * refuseBelow / count;
        double bound = maxInFlight / (silentShare * timeout.toMillis() / 1000.0) * 3600;
        System.out.printf("in-flight bound (max in flight / (silent share %.3f x timeout)): %,.0f targets/hour; engine at %.2f of it%n",
                silentShare, bound, engineRate / bound);
        if (args.string("reference").equals("raw")) {
            Result raw = scanRaw(first, order, port, tlsBelow, refuseBelow, maxInFlight, timeout);
            double rawRate = count / raw.seconds * 3600;
            System.out.println();
            System.out.println("=== Reference: minimal Netty connector (connect + close, same targets, in-flight limit and timeout) ===");
            raw.print(count);
            System.out.printf("raw connect targets/hour: %,.0f; engine / raw = %.2f%n", rawRate, engineRate / rawRate);
        }
    }

    /**
     * Probes every TLS host once, gently (64 at a time, 60 s timeout), so that the lab has issued each
     * host's certificate before the clock runs: issuing is the lab's start-up cost, not a property of
     * the hosts being scanned. Also warms the JIT of the engine's code.
     */
    private static void warmUp(long first, int count, int[] order, int port, int tlsBelow, int refuseBelow, int tlsHosts)
            throws Exception {
        int[] tlsOnly = new int[tlsHosts];
        for (int i = 0, k = 0; i < count; i++) {
            if (expected(first + order[i], tlsBelow, refuseBelow) == SUCCESS) {
                tlsOnly[k++] = order[i];
            }
        }
        ProbeSettings gentle = ProbeSettings.builder().timeout(Duration.ofSeconds(60)).retries(0).maxInFlight(64).build();
        try (ProbeEngine engine = new ProbeEngine(gentle, List.of(new CertificateNameExtractor()))) {
            Result w = scanWithEngine(engine, first, tlsOnly, port, tlsBelow, refuseBelow, "warm-up (TLS hosts only)");
            System.out.printf("warm-up: %d TLS hosts in %.1f s (64 at a time), %d SUCCESS, codes %s%n", tlsOnly.length, w.seconds,
                    w.matched[SUCCESS], w.codesText());
        }
    }

    /** What a scan gave: outcome per target class, wall time, CPU. */
    private static final class Result {
        final long[] matched = new long[5];
        final Map<String, Long> mismatches = new TreeMap<>();
        final Map<String, LongAdder> codes = new ConcurrentHashMap<>();
        /** Outcomes by their number of attempts (the engine retries a timeout on an accepted connection once). */
        final Map<Integer, LongAdder> attempts = new ConcurrentHashMap<>();
        double seconds;
        ProcessStats.Cpu cpu;
        int peakInFlight;

        void print(int count) {
            System.out.printf("%d targets in %.2f s: %d SUCCESS, %d refused, %d timed out as expected; outcome codes %s%n",
                    count, seconds, matched[SUCCESS], matched[REFUSED], matched[TIMEOUT], codesText());
            System.out.printf("unexpected outcomes: %s; peak in flight %d%n", mismatches.isEmpty() ? "none" : mismatches, peakInFlight);
        }

        String codesText() {
            Map<String, Long> m = new TreeMap<>();
            codes.forEach((k, v) -> m.put(k, v.sum()));
            return m.toString();
        }
    }

    private static Result scanWithEngine(ProbeEngine engine, long first, int[] order, int port, int tlsBelow, int refuseBelow,
                                         String label) throws Exception {
        AtomicIntegerArray got = new AtomicIntegerArray(order.length);
        Result result = new Result();
        CountDownLatch done = new CountDownLatch(order.length);
        Progress progress = new Progress(label, done, order.length, engine::inFlight);
        ProcessStats.Cpu before = ProcessStats.cpu();
        long t0 = System.nanoTime();
        progress.start();
        for (int i = 0; i < order.length; i++) {
            int index = i;
            InetAddress ip = toAddress(first + order[i]);
            engine.probe(ProbeTarget.of(ip, port)).whenComplete((o, e) -> {
                String code = o == null ? "exception" : o.succeeded() ? "SUCCESS" : String.valueOf(o.errorCode());
                result.codes.computeIfAbsent(code, k -> new LongAdder()).increment();
                if (o != null) {
                    result.attempts.computeIfAbsent(o.attempts(), k -> new LongAdder()).increment();
                }
                int kind = o == null ? OTHER : o.succeeded() && !o.names().isEmpty() ? SUCCESS
                        : o.errorCode() == ErrorCode.CONN_REFUSED ? REFUSED
                        : o.errorCode() == ErrorCode.CONN_TIMEOUT ? TIMEOUT : OTHER;
                got.set(index, kind);
                done.countDown();
            });
        }
        done.await();
        result.seconds = (System.nanoTime() - t0) / 1e9;
        result.cpu = ProcessStats.cpu().minus(before);
        result.peakInFlight = progress.finish();
        tally(result, got, first, order, tlsBelow, refuseBelow);
        return result;
    }

    private static Result scanRaw(long first, int[] order, int port, int tlsBelow, int refuseBelow, int maxInFlight,
                                  Duration timeout) throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
        try {
            if (!Epoll.isAvailable()) {
                throw new IllegalStateException("the raw connector reference needs epoll: " + Epoll.unavailabilityCause());
            }
            Bootstrap b = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                    .option(ChannelOption.SO_LINGER, 0)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            // Nothing to read: the reference only opens and closes connections.
                        }
                    });
            Semaphore slots = new Semaphore(maxInFlight);
            AtomicIntegerArray got = new AtomicIntegerArray(order.length);
            Result result = new Result();
            CountDownLatch done = new CountDownLatch(order.length);
            Progress progress = new Progress("raw connector", done, order.length, () -> maxInFlight - slots.availablePermits());
            ProcessStats.Cpu before = ProcessStats.cpu();
            long t0 = System.nanoTime();
            progress.start();
            for (int i = 0; i < order.length; i++) {
                int index = i;
                slots.acquire();
                b.connect(new InetSocketAddress(toAddress(first + order[i]), port)).addListener(f -> {
                    try {
                        Throwable c = f.cause();
                        int kind = f.isSuccess() ? SUCCESS
                                : c instanceof io.netty.channel.ConnectTimeoutException ? TIMEOUT
                                : c instanceof ConnectException ? REFUSED : OTHER;
                        String code = f.isSuccess() ? "connected" : c.getClass().getSimpleName() + ": " + c.getMessage();
                        result.codes.computeIfAbsent(kind == OTHER ? code : NAMES[kind], k -> new LongAdder()).increment();
                        got.set(index, kind);
                        Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
                        if (ch.isRegistered()) {
                            ch.close();
                        }
                    } finally {
                        slots.release();
                        done.countDown();
                    }
                });
            }
            done.await();
            result.seconds = (System.nanoTime() - t0) / 1e9;
            result.cpu = ProcessStats.cpu().minus(before);
            result.peakInFlight = progress.finish();
            tally(result, got, first, order, tlsBelow, refuseBelow);
            return result;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void tally(Result result, AtomicIntegerArray got, long first, int[] order, int tlsBelow, int refuseBelow) {
        for (int i = 0; i < order.length; i++) {
            int want = expected(first + order[i], tlsBelow, refuseBelow);
            int have = got.get(i);
            if (have == want) {
                result.matched[want]++;
            } else {
                result.mismatches.merge(NAMES[want] + "->" + NAMES[have], 1L, Long::sum);
            }
        }
    }

    /** Prints progress every 5 s and records the peak number in flight. */
    private static final class Progress extends Thread {
        private final String label;
        private final CountDownLatch done;
        private final int total;
        private final java.util.function.IntSupplier inFlight;
        private volatile boolean running = true;
        private int peak;

        Progress(String label, CountDownLatch done, int total, java.util.function.IntSupplier inFlight) {
            super("scan-progress");
            setDaemon(true);
            this.label = label;
            this.done = done;
            this.total = total;
            this.inFlight = inFlight;
        }

        @Override
        public void run() {
            long t0 = System.nanoTime();
            long lastPrint = t0;
            while (running) {
                peak = Math.max(peak, inFlight.getAsInt());
                long now = System.nanoTime();
                if (now - lastPrint >= 5_000_000_000L) {
                    lastPrint = now;
                    System.err.printf("  %s: %.0f s, %d/%d done, %d in flight, RSS %s%n", label, (now - t0) / 1e9,
                            total - done.getCount(), total, inFlight.getAsInt(), ProcessStats.mib(ProcessStats.rssBytes()));
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        int finish() throws InterruptedException {
            running = false;
            join();
            return peak;
        }
    }

    private static int expected(long address, int tlsBelow, int refuseBelow) {
        int octet = (int) (address & 0xFF);
        return octet < tlsBelow ? SUCCESS : octet < refuseBelow ? REFUSED : TIMEOUT;
    }

    private static long toLong(InetAddress a) {
        byte[] b = a.getAddress();
        return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
    }

    private static InetAddress toAddress(long v) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an address", e);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
