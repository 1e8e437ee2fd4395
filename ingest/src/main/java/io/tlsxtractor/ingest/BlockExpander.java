package io.tlsxtractor.ingest;

import io.tlsxtractor.ingest.internal.IpAddresses;
import io.tlsxtractor.schemas.avro.AddressRange;
import io.tlsxtractor.schemas.avro.BlockTarget;
import io.tlsxtractor.schemas.avro.TargetBlock;
import io.tlsxtractor.schemas.avro.TargetType;
import java.io.InputStream;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * Turns a scan's inputs into {@link TargetBlock}s, lazily: it pulls targets from a {@link TargetStream}, applies the
 * scope policy, resolves hostnames, and hands out blocks one at a time, so memory stays flat whatever the input
 * (the caller's pace is the backpressure).
 *
 * <p>Block shapes: the hosts of a network or range become {@link AddressRange} blocks of at most
 * {@link Settings#rangeBlockSize()} addresses (the scan's ports each); single addresses, {@code ip:port}, URLs and
 * resolved hostnames become explicit lists of at most {@link Settings#listBlockSize()} targets. A range block is never
 * mixed with a list: pending list targets are flushed first, so blocks follow the input's order.
 *
 * <p>Ids are {@code scanId:sequence}, sequences counting from 0. Every block carries the {@link Checkpoint} after it;
 * opening the expander again at that checkpoint produces exactly the blocks that followed it, with the same ids and
 * contents (hostnames are resolved again, so their addresses may differ if DNS changed in between).
 *
 * <p>Hostnames: with {@link Settings#pipeline()} resolution runs ahead of block production in a sliding window of
 * {@link Settings#resolveAhead()} targets, so blocks flow while later names are still resolving (1.x
 * {@code --pipeline}); without it, names are resolved a window at a time and production waits for the whole window.
 * Either way results are used in input order. Not thread-safe: one thread pulls.
 */
public final class BlockExpander implements Iterator<Emission>, AutoCloseable {

    /**
     * How blocks are cut.
     *
     * @param rangeBlockSize addresses per range block
     * @param listBlockSize targets per explicit-list block
     * @param pipeline resolve hostnames while producing blocks
     * @param resolveAhead targets read ahead of production for resolution
     */
    public record Settings(int rangeBlockSize, int listBlockSize, boolean pipeline, int resolveAhead) {
        public Settings {
            if (rangeBlockSize < 1 || rangeBlockSize > 1 << 20) {
                throw new IllegalArgumentException("range block size must be 1-" + (1 << 20) + ", not " + rangeBlockSize);
            }
            if (listBlockSize < 1 || listBlockSize > 1000) {
                throw new IllegalArgumentException("list block size must be 1-1000 (a block is a few hundred targets), not " + listBlockSize);
            }
            if (resolveAhead < 1) {
                throw new IllegalArgumentException("resolve-ahead must be at least 1, not " + resolveAhead);
            }
        }

        /** 256 addresses per range block, 256 targets per list, pipelined resolution 64 ahead. */
        public static Settings defaults() {
            return new Settings(256, 256, true, 64);
        }
    }

    private record Pending(TargetStream.Item item, CompletableFuture<Resolution> resolution) {
    }

    private final ExpansionJob job;
    private final Settings settings;
    private final HostResolver resolver;
    private final ScopeReport report;
    private final Consumer<ParseProblem> problems;
    private final Clock clock;
    private final TargetStream stream;
    private final Cursor resumeCursor;
    private final ArrayDeque<Pending> ahead = new ArrayDeque<>();
    private final ArrayDeque<Emission> out = new ArrayDeque<>();
    private final List<Integer> ports;

    private long sequence;
    private long targetsEmitted;
    private long unresolved;
    private Checkpoint boundary;

    private final List<BlockTarget> list = new ArrayList<>();
    private long listTargets;
    private Cursor listEnd;

    // The range being cut into blocks.
    private TargetStream.Item rangeItem;
    private List<IpRange> segments;
    private int segmentIndex;
    private BigInteger position;

    private boolean finished;

    private BlockExpander(ExpansionJob job, Checkpoint from, Settings settings, HostResolver resolver, ScopeReport report,
            Consumer<ParseProblem> problems, InputStream stdin, ScanInputs.Opener uploads, Clock clock) {
        this.job = Objects.requireNonNull(job, "job");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.report = Objects.requireNonNull(report, "report");
        this.problems = Objects.requireNonNull(problems, "problems");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ports = job.ports();
        this.resumeCursor = from.cursor();
        this.sequence = from.nextSequence();
        this.targetsEmitted = from.targetsEmitted();
        this.unresolved = from.unresolved();
        this.boundary = from;
        this.stream = TargetParser.open(job.inputs(), from.cursor(), stdin, uploads, problems);
    }

    /**
     * An expander of {@code job} from {@code from} ({@link Checkpoint#START} for a new scan).
     *
     * @param report where scope refusals are counted
     * @param problems where invalid lines and oversized inputs are reported
     * @param stdin what {@code -} reads
     */
    public static BlockExpander open(ExpansionJob job, Checkpoint from, Settings settings, HostResolver resolver,
            ScopeReport report, Consumer<ParseProblem> problems, InputStream stdin, Clock clock) {
        return new BlockExpander(job, from, settings, resolver, report, problems, stdin, null, clock);
    }

    /** Like {@link #open(ExpansionJob, Checkpoint, Settings, HostResolver, ScopeReport, Consumer, InputStream, Clock)},
     * reading the job's uploaded files through {@code uploads}. */
    public static BlockExpander open(ExpansionJob job, Checkpoint from, Settings settings, HostResolver resolver,
            ScopeReport report, Consumer<ParseProblem> problems, InputStream stdin, ScanInputs.Opener uploads,
            Clock clock) {
        return new BlockExpander(job, from, settings, resolver, report, problems, stdin, uploads, clock);
    }

    /** The checkpoint after everything emitted so far. */
    public Checkpoint checkpoint() {
        return boundary;
    }

    @Override
    public boolean hasNext() {
        while (out.isEmpty() && !finished) {
            step();
        }
        return !out.isEmpty();
    }

    @Override
    public Emission next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return out.poll();
    }

    /** Produces at least one emission, or finishes. */
    private void step() {
        if (rangeItem != null) {
            cutRange();
            return;
        }
        Pending pending = take();
        if (pending == null) {
            flushList();
            finished = true;
            return;
        }
        TargetStream.Item item = pending.item();
        long skip = item.input() == resumeCursor.input() && item.line() == resumeCursor.line() ? resumeCursor.offset() : 0;
        if (item.target() instanceof ParsedTarget.Addresses addresses) {
            String tooLarge = job.policy().sizeProblem(addresses.range());
            if (tooLarge != null) {
                problems.accept(new ParseProblem(item.source(), item.line(), addresses.text(), tooLarge));
                return;
            }
            boolean asRange = addresses.type() == TargetType.CIDR || addresses.type() == TargetType.RANGE;
            List<IpRange> allowed = job.policy().allowed(addresses.range(), report);
            if (asRange) {
                startRange(item, allowed, skip);
            } else if (!allowed.isEmpty() && skip == 0) {
                addToList(target(addresses.range().firstText(), addresses.port(), null, addresses.url()),
                        addresses.port() != null ? 1 : ports.size(), new Cursor(item.input(), item.line(), 1));
            }
        } else {
            ParsedTarget.Host host = (ParsedTarget.Host) item.target();
            Resolution resolution = join(pending.resolution());
            if (!resolution.succeeded()) {
                unresolved++;
                out.add(new Emission.Unresolved(host, resolution, host.port() != null ? host.port() : ports.get(0),
                        boundary));
                return;
            }
            List<String> addresses = resolution.addresses();
            for (int i = (int) Math.min(skip, addresses.size()); i < addresses.size(); i++) {
                IpAddresses.Literal literal = IpAddresses.parse(addresses.get(i));
                if (literal == null || job.policy().allowed(IpRange.single(literal.version(), literal.value()), report).isEmpty()) {
                    continue;
                }
                addToList(target(addresses.get(i), host.port(), host.hostname(), host.url()),
                        host.port() != null ? 1 : ports.size(), new Cursor(item.input(), item.line(), i + 1L));
            }
        }
    }

    private static BlockTarget target(String address, Integer port, String hostname, String url) {
        return BlockTarget.newBuilder().setAddress(address).setPort(port).setHostname(hostname).setUrl(url).build();
    }

    private void addToList(BlockTarget target, long targets, Cursor after) {
        list.add(target);
        listTargets += targets;
        listEnd = after;
        if (list.size() >= settings.listBlockSize()) {
            flushList();
        }
    }

    private void flushList() {
        if (list.isEmpty()) {
            return;
        }
        TargetBlock block = block(null, new ArrayList<>(list));
        emitBlock(block, listTargets, listEnd);
        list.clear();
        listTargets = 0;
    }

    private void startRange(TargetStream.Item item, List<IpRange> allowed, long skip) {
        flushList();
        IpRange whole = ((ParsedTarget.Addresses) item.target()).range();
        BigInteger resumeAt = whole.first().add(BigInteger.valueOf(skip));
        List<IpRange> remaining = new ArrayList<>(allowed.size());
        for (IpRange segment : allowed) {
            if (segment.last().compareTo(resumeAt) < 0) {
                continue;
            }
            remaining.add(segment.first().compareTo(resumeAt) >= 0 ? segment
                    : new IpRange(segment.version(), resumeAt, segment.last()));
        }
        if (remaining.isEmpty()) {
            return;
        }
        rangeItem = item;
        segments = remaining;
        segmentIndex = 0;
        position = remaining.get(0).first();
    }

    private void cutRange() {
        IpRange segment = segments.get(segmentIndex);
        BigInteger end = position.add(BigInteger.valueOf(settings.rangeBlockSize() - 1L)).min(segment.last());
        IpRange piece = new IpRange(segment.version(), position, end);
        long count = end.subtract(position).longValueExact() + 1;
        AddressRange range = AddressRange.newBuilder().setFirst(piece.firstText()).setLast(piece.lastText())
                .setCount(count).build();
        IpRange whole = ((ParsedTarget.Addresses) rangeItem.target()).range();
        long nextOffset = end.subtract(whole.first()).longValueExact() + 1;
        Cursor after = new Cursor(rangeItem.input(), rangeItem.line(), nextOffset);
        emitBlock(block(range, List.of()), count * ports.size(), after);
        if (end.equals(segment.last())) {
            segmentIndex++;
            if (segmentIndex >= segments.size()) {
                rangeItem = null;
                segments = null;
                return;
            }
            position = segments.get(segmentIndex).first();
        } else {
            position = end.add(BigInteger.ONE);
        }
    }

    private TargetBlock block(AddressRange range, List<BlockTarget> targets) {
        return TargetBlock.newBuilder()
                .setBlockId(blockId(job.scanId(), sequence))
                .setScanId(job.scanId())
                .setSequence(sequence)
                .setRange(range)
                .setTargets(targets)
                .setPorts(ports)
                .setSniHints(job.sniHints())
                .setOptions(job.options())
                .setAttempt(1)
                .setCreatedAt(clock.instant())
                .build();
    }

    private void emitBlock(TargetBlock block, long targets, Cursor after) {
        sequence++;
        targetsEmitted += targets;
        boundary = new Checkpoint(sequence, after, targetsEmitted, unresolved);
        out.add(new Emission.Block(block, targets, boundary));
    }

    /** The id of block {@code sequence} of {@code scanId}: deterministic, so a re-produced block is recognisable. */
    public static String blockId(String scanId, long sequence) {
        return scanId + ":" + sequence;
    }

    /** The next target with its resolution under way, keeping the look-ahead window full. */
    private Pending take() {
        if (ahead.isEmpty() || settings.pipeline()) {
            fill();
        }
        if (!settings.pipeline() && !ahead.isEmpty()) {
            for (Pending pending : ahead) {
                if (pending.resolution() != null) {
                    join(pending.resolution());
                }
            }
        }
        return ahead.poll();
    }

    private void fill() {
        while (ahead.size() < settings.resolveAhead() && stream.hasNext()) {
            TargetStream.Item item = stream.next();
            if (item.target() instanceof ParsedTarget.Host host) {
                if (!job.policy().allowsHost(host.hostname(), report)) {
                    continue;
                }
                ahead.add(new Pending(item, resolver.resolve(host.hostname(), job.ipv6())));
            } else {
                ahead.add(new Pending(item, null));
            }
        }
    }

    private static Resolution join(CompletableFuture<Resolution> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a DNS lookup", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("A host resolver broke its contract and failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        ahead.forEach(pending -> {
            if (pending.resolution() != null) {
                pending.resolution().cancel(false);
            }
        });
        ahead.clear();
        stream.close();
    }
}
