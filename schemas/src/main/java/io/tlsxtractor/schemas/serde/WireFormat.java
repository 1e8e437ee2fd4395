package io.tlsxtractor.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/** The Confluent wire format framing: {@code 0x00}, a 4-byte big-endian schema id, then the Avro binary body. */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** Subject of a topic's keys or values under the topic-name strategy. */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    /** Writes the 5-byte header for {@code schemaId} into the start of {@code target}. */
    public static void writeHeader(byte[] target, int schemaId) {
        target[0] = MAGIC_BYTE;
        target[1] = (byte) (schemaId >>> 24);
        target[2] = (byte) (schemaId >>> 16);
        target[3] = (byte) (schemaId >>> 8);
        target[4] = (byte) schemaId;
    }

    /**
     * The schema id in a framed payload.
     *
     * @throws SerializationException naming {@code topic} when the payload is too short or the magic byte is wrong
     */
    public static int schemaId(String topic, byte[] payload) {
        if (payload.length < HEADER_SIZE) {
            throw new SerializationException("Cannot read Avro record from topic '" + topic + "': payload of "
                    + payload.length + " byte(s) is shorter than the " + HEADER_SIZE
                    + "-byte Confluent wire-format header");
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new SerializationException("Cannot read Avro record from topic '" + topic + "': unknown magic byte 0x"
                    + String.format("%02x", payload[0] & 0xff) + " (expected 0x00: the Confluent wire format)");
        }
        return ((payload[1] & 0xff) << 24) | ((payload[2] & 0xff) << 16) | ((payload[3] & 0xff) << 8)
                | (payload[4] & 0xff);
    }
}
