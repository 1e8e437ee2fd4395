package io.tlsxtractor.ingest;

import java.util.Objects;

/**
 * Where the bytes of an uploaded file of targets are: chunks on one partition of {@code tlsx.scan-inputs.v1}, between
 * two offsets, carrying the upload's id (other records in that range belong to other uploads). This is the value of a
 * scan request's target of type {@code UPLOAD}: {@code <topic>/<partition>/<first>-<last>/<upload id>/<file name>}.
 *
 * <p>Why: an ingest on another machine cannot read the submitter's file, and a request carrying a million lines would
 * exceed what a Kafka record may hold. The chunks are the file's bytes unchanged, so the ingest reads an upload exactly
 * as it reads a file (line numbers, comments, CRLF, a byte-order mark, binary detection, resuming at a line).
 *
 * @param topic the topic holding the chunks
 * @param partition its partition
 * @param firstOffset offset of the first chunk
 * @param lastOffset offset of the last chunk
 * @param uploadId the id in every chunk's {@link ScanInputs#UPLOAD_ID_HEADER}
 * @param fileName the uploaded file's name as the submitter gave it (for messages only)
 */
public record UploadedInput(String topic, int partition, long firstOffset, long lastOffset, String uploadId,
        String fileName) {

    public UploadedInput {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(uploadId, "uploadId");
        fileName = fileName == null ? "" : fileName;
        if (topic.isEmpty() || topic.contains("/")) {
            throw new IllegalArgumentException("not a topic name: '" + topic + "'");
        }
        if (partition < 0 || firstOffset < 0 || lastOffset < firstOffset) {
            throw new IllegalArgumentException("partition " + partition + ", offsets " + firstOffset + "-" + lastOffset
                    + " do not name a run of records");
        }
        if (uploadId.isEmpty() || uploadId.contains("/")) {
            throw new IllegalArgumentException("not an upload id: '" + uploadId + "'");
        }
    }

    /** The scan request's target value for this upload. */
    public String specValue() {
        return topic + "/" + partition + "/" + firstOffset + "-" + lastOffset + "/" + uploadId + "/" + fileName;
    }

    /**
     * Reads a target value written by {@link #specValue()}.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static UploadedInput parse(String value) {
        String[] parts = value == null ? new String[0] : value.strip().split("/", 5);
        String shape = "expected <topic>/<partition>/<first offset>-<last offset>/<upload id>/<file name>";
        if (parts.length != 5) {
            throw new IllegalArgumentException("'" + value + "' is not an uploaded input: " + shape);
        }
        int dash = parts[2].indexOf('-');
        try {
            if (dash < 0) {
                throw new NumberFormatException("no '-' between the offsets");
            }
            return new UploadedInput(parts[0], Integer.parseInt(parts[1]), Long.parseLong(parts[2].substring(0, dash)),
                    Long.parseLong(parts[2].substring(dash + 1)), parts[3], parts[4]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not an uploaded input (" + e.getMessage() + "): "
                    + shape, e);
        }
    }

    /** How the upload is named in problems: the file's name and where its bytes are. */
    public String sourceName() {
        return (fileName.isEmpty() ? "uploaded file" : fileName) + " (uploaded to " + topic + "-" + partition + "@"
                + firstOffset + ")";
    }
}
