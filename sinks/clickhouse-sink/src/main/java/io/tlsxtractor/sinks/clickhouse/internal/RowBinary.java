package io.tlsxtractor.sinks.clickhouse.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * A growable buffer of rows in ClickHouse's RowBinary format: what the connector sends in one INSERT. Written by
 * hand rather than through POJO serialisation because the mapping from Avro is explicit anyway and this keeps
 * the task path free of reflection (see the benchmark).
 */
public final class RowBinary {

    private byte[] bytes;
    private int size;

    public RowBinary(int initialCapacity) {
        bytes = new byte[Math.max(64, initialCapacity)];
    }

    public int size() {
        return size;
    }

    public byte[] array() {
        return bytes;
    }

    /** Drops everything after {@code mark} (a previous {@link #size()}): used to discard a half-written row. */
    public void truncate(int mark) {
        size = mark;
    }

    public void clear() {
        size = 0;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    public RowBinary uint8(int v) {
        ensure(1);
        bytes[size++] = (byte) v;
        return this;
    }

    public RowBinary bool(boolean v) {
        return uint8(v ? 1 : 0);
    }

    public RowBinary uint16(int v) {
        ensure(2);
        bytes[size++] = (byte) v;
        bytes[size++] = (byte) (v >>> 8);
        return this;
    }

    public RowBinary uint32(long v) {
        ensure(4);
        for (int i = 0; i < 4; i++) {
            bytes[size++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    public RowBinary int64(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            bytes[size++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    public RowBinary float64(double v) {
        return int64(Double.doubleToRawLongBits(v));
    }

    /** DateTime64(3): milliseconds since the epoch as Int64. */
    public RowBinary dateTime64Millis(long epochMillis) {
        return int64(epochMillis);
    }

    private void varint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        bytes[size++] = (byte) v;
    }

    public RowBinary string(String v) {
        byte[] utf8 = v.getBytes(StandardCharsets.UTF_8);
        return bytes(utf8);
    }

    public RowBinary bytes(byte[] v) {
        varint(v.length);
        ensure(v.length);
        System.arraycopy(v, 0, bytes, size, v.length);
        size += v.length;
        return this;
    }

    /** IPv6: 16 bytes in network order. */
    public RowBinary ipv6(byte[] address16) {
        ensure(16);
        System.arraycopy(address16, 0, bytes, size, 16);
        size += 16;
        return this;
    }

    /** IPv4: the address as a little-endian UInt32. */
    public RowBinary ipv4(byte[] address4) {
        long v = ((address4[0] & 0xFFL) << 24) | ((address4[1] & 0xFFL) << 16) | ((address4[2] & 0xFFL) << 8)
                | (address4[3] & 0xFFL);
        return uint32(v);
    }

    /** Writes the Nullable marker; returns true when the value must follow. */
    public boolean nullMarker(Object v) {
        uint8(v == null ? 1 : 0);
        return v != null;
    }

    public RowBinary nullableString(CharSequence v) {
        if (nullMarker(v)) {
            string(v.toString());
        }
        return this;
    }

    public RowBinary nullableDateTime64Millis(Long v) {
        if (nullMarker(v)) {
            int64(v);
        }
        return this;
    }

    public RowBinary nullableUInt16(Integer v) {
        if (nullMarker(v)) {
            uint16(v);
        }
        return this;
    }

    public RowBinary nullableUInt32(Long v) {
        if (nullMarker(v)) {
            uint32(v);
        }
        return this;
    }

    public RowBinary nullableBool(Boolean v) {
        if (nullMarker(v)) {
            bool(v);
        }
        return this;
    }

    public RowBinary stringArray(Collection<? extends CharSequence> values) {
        varint(values.size());
        for (CharSequence v : values) {
            string(v.toString());
        }
        return this;
    }

    public RowBinary stringMap(Map<? extends CharSequence, ? extends CharSequence> map) {
        varint(map.size());
        for (Map.Entry<? extends CharSequence, ? extends CharSequence> e : map.entrySet()) {
            string(e.getKey().toString());
            string(e.getValue().toString());
        }
        return this;
    }

    public RowBinary stringToUInt64Map(Map<? extends CharSequence, Long> map) {
        varint(map.size());
        for (Map.Entry<? extends CharSequence, Long> e : map.entrySet()) {
            string(e.getKey().toString());
            int64(e.getValue() == null ? 0 : e.getValue());
        }
        return this;
    }
}
