package io.tlsxtractor.sinks.clickhouse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The RowBinary encodings ClickHouse documents: little-endian numbers, LEB128 lengths, a null byte before Nullable. */
class RowBinaryTest {

    private static byte[] bytes(RowBinary out) {
        return Arrays.copyOf(out.array(), out.size());
    }

    @Test
    void encodesNumbersLittleEndianAndStringsWithVarintLengths() {
        RowBinary out = new RowBinary(0);
        out.uint16(0x0102).uint32(0x01020304L).int64(1L).string("é");
        assertThat(bytes(out)).containsExactly(0x02, 0x01, 0x04, 0x03, 0x02, 0x01, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0xC3, 0xA9);
        RowBinary longString = new RowBinary(0).string("x".repeat(300));
        assertThat(Arrays.copyOf(longString.array(), 2)).containsExactly(0xAC, 0x02);
    }

    @Test
    void encodesNullablesArraysMapsAndIpv4() {
        RowBinary out = new RowBinary(0);
        out.nullableString(null).nullableString("a").stringArray(List.of("b", "c")).stringMap(Map.of("k", "v"))
                .ipv4(new byte[] {10, 0, 0, 1});
        assertThat(bytes(out)).containsExactly(1, 0, 1, 'a', 2, 1, 'b', 1, 'c', 1, 1, 'k', 1, 'v', 1, 0, 0, 10);
    }

    @Test
    void truncateDropsAHalfWrittenRow() {
        RowBinary out = new RowBinary(0).string("kept");
        int mark = out.size();
        out.string("dropped");
        out.truncate(mark);
        assertThat(out.size()).isEqualTo(5);
    }
}
