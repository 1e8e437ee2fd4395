package io.tlsxtractor.ingest.bench;

import io.tlsxtractor.ingest.BlockExpander;
import io.tlsxtractor.ingest.Checkpoint;
import io.tlsxtractor.ingest.Emission;
import io.tlsxtractor.ingest.ExpansionJob;
import io.tlsxtractor.ingest.HostResolver;
import io.tlsxtractor.ingest.ScopePolicy;
import io.tlsxtractor.ingest.ScopeReport;
import io.tlsxtractor.ingest.TargetInput;
import io.tlsxtractor.schemas.avro.ProbeOptions;
import io.tlsxtractor.schemas.avro.TargetType;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Expands a /8 (16,777,214 hosts) into target blocks without Kafka and prints targets per second and the heap
 * before and after, against a reference measured in the same run: a plain loop over the same 16.7M integers into a
 * sink that keeps nothing. Not a test: it times, it asserts nothing. Run it as {@code ingest/README.md} says.
 * Arguments: [network, default 11.0.0.0/8] [range block size, default 256] [rounds, default 5].
 */
public final class ExpansionBench {

    private static volatile long sink;

    private ExpansionBench() {
    }

    public static void main(String[] args) {
        String network = args.length > 0 ? args[0] : "11.0.0.0/8";
        int blockSize = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        HostResolver noDns = (host, ipv6) -> CompletableFuture.failedFuture(new IllegalStateException("no DNS in the bench"));
        ExpansionJob job = new ExpansionJob("bench", List.of(TargetInput.typed(TargetType.CIDR, network)), List.of(443),
                List.of(), ProbeOptions.newBuilder().build(), false, ScopePolicy.create(ScopePolicy.Settings.defaults()));
        BlockExpander.Settings settings = new BlockExpander.Settings(blockSize, 256, true, 64);
        long expected = job.totalTargets().orElseThrow();

        long heapBefore = usedHeap();
        double bestExpansion = 0;
        double bestReference = 0;
        long heapPeakAfterRound = 0;
        for (int round = 1; round <= rounds; round++) {
            long start = System.nanoTime();
            long targets = 0;
            long blocks = 0;
            try (BlockExpander expander = BlockExpander.open(job, Checkpoint.START, settings, noDns, new ScopeReport(),
                    problem -> { }, null, Clock.systemUTC())) {
                while (expander.hasNext()) {
                    Emission.Block block = (Emission.Block) expander.next();
                    targets += block.targets();
                    blocks++;
                }
            }
            double expansionRate = targets / ((System.nanoTime() - start) / 1e9);
            if (targets != expected) {
                throw new IllegalStateException("expanded " + targets + " targets, expected " + expected);
            }

            start = System.nanoTime();
            long acc = 0;
            for (long i = 1; i <= expected; i++) {
                acc += i ^ (i >>> 7);
            }
            sink = acc;
            double referenceRate = expected / ((System.nanoTime() - start) / 1e9);

            bestExpansion = Math.max(bestExpansion, expansionRate);
            bestReference = Math.max(bestReference, referenceRate);
            heapPeakAfterRound = Math.max(heapPeakAfterRound, usedHeap());
            print(String.format(Locale.ROOT, "round %d: %,d targets in %,d blocks: expansion %,.0f targets/s, reference loop %,.0f /s",
                    round, targets, blocks, expansionRate, referenceRate));
        }
        long heapAfter = usedHeap();
        print(String.format(Locale.ROOT, "best: expansion %,.0f targets/s, reference %,.0f /s, ratio expansion/reference %.4f",
                bestExpansion, bestReference, bestExpansion / bestReference));
        print(String.format(Locale.ROOT, "heap used: before %,d KiB, after %,d KiB, largest after a round %,d KiB",
                heapBefore / 1024, heapAfter / 1024, heapPeakAfterRound / 1024));
        print(bestExpansion >= 1_000_000 ? "goal met: >= 1M targets/s" : "goal NOT met: < 1M targets/s");
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static void print(String line) {
        // A bench command prints its measurements: that is its output, not logging.
        System.out.println(line);
    }
}
