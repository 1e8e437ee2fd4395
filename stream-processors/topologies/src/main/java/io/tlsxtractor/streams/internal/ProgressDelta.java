package io.tlsxtractor.streams.internal;

import io.tlsxtractor.schemas.avro.ScanState;
import org.apache.kafka.common.serialization.Serde;

/**
 * One fact about a scan, on its way (keyed by scan id) to the processor that owns the scan's progress: a target
 * that got a result, a domain found in it, or the totals the ingest service reported.
 *
 * @param kind which fact
 * @param scanId the scan
 * @param member the target ({@code ip:port|sni}) or the domain; null for totals
 * @param succeeded for a target: whether the probe succeeded
 * @param errorCategory for a failed target: the 1.x category (lower case), if known
 * @param errorCode for a failed target: the 1.x code, if known
 * @param attempt for a succeeded target: the attempt that succeeded (0 = unknown)
 * @param time when the fact happened (epoch milliseconds)
 * @param state for totals: the state ingest reported
 * @param totalTargets for totals: the target count
 * @param expansionComplete for totals: whether the count is final
 * @param message for totals: why the scan failed, if it did
 * @param startedAt for totals: when probing started (epoch ms; 0 = unknown)
 * @param finishedAt for totals: when the scan ended (epoch ms; 0 = not ended)
 */
public record ProgressDelta(Kind kind, String scanId, String member, boolean succeeded, String errorCategory,
        String errorCode, int attempt, long time, ScanState state, long totalTargets, boolean expansionComplete,
        String message, long startedAt, long finishedAt) {

    /** Which fact a delta carries. */
    public enum Kind { TARGET, DOMAIN, TOTALS }

    private static final int VERSION = 1;

    public static ProgressDelta target(String scanId, String target, boolean succeeded, String category, String code,
            int attempt, long time) {
        return new ProgressDelta(Kind.TARGET, scanId, target, succeeded, category, code, attempt, time,
                ScanState.UNKNOWN, 0, false, null, 0, 0);
    }

    public static ProgressDelta domain(String scanId, String domain, long time) {
        return new ProgressDelta(Kind.DOMAIN, scanId, domain, false, null, null, 0, time, ScanState.UNKNOWN, 0, false,
                null, 0, 0);
    }

    public static ProgressDelta totals(String scanId, ScanState state, long totalTargets, boolean complete,
            String message, long startedAt, long finishedAt, long time) {
        return new ProgressDelta(Kind.TOTALS, scanId, null, false, null, null, 0, time, state, totalTargets, complete,
                message, startedAt, finishedAt);
    }

    public static Serde<ProgressDelta> serde() {
        return BinaryCodec.serde("scan progress delta", VERSION, (v, out) -> {
            out.writeByte(v.kind.ordinal());
            out.writeUTF(v.scanId);
            BinaryCodec.writeNullable(out, v.member);
            out.writeBoolean(v.succeeded);
            BinaryCodec.writeNullable(out, v.errorCategory);
            BinaryCodec.writeNullable(out, v.errorCode);
            out.writeInt(v.attempt);
            out.writeLong(v.time);
            out.writeUTF(v.state.name());
            out.writeLong(v.totalTargets);
            out.writeBoolean(v.expansionComplete);
            BinaryCodec.writeNullable(out, v.message);
            out.writeLong(v.startedAt);
            out.writeLong(v.finishedAt);
        }, in -> new ProgressDelta(Kind.values()[in.readUnsignedByte()], in.readUTF(), BinaryCodec.readNullable(in),
                in.readBoolean(), BinaryCodec.readNullable(in), BinaryCodec.readNullable(in), in.readInt(),
                in.readLong(), ScanState.valueOf(in.readUTF()), in.readLong(), in.readBoolean(),
                BinaryCodec.readNullable(in), in.readLong(), in.readLong()));
    }
}
