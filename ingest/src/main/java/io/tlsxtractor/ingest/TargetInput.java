package io.tlsxtractor.ingest;

import io.tlsxtractor.schemas.avro.TargetSpec;
import io.tlsxtractor.schemas.avro.TargetType;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One input of a scan: a target typed directly (its type declared or detected), a file of targets, or standard
 * input.
 *
 * @param kind what {@code value} is
 * @param value the target text, or the file path; {@code -} for standard input
 * @param type the declared type of a {@link Kind#TARGET}; {@link TargetType#UNKNOWN} = detect it
 */
public record TargetInput(Kind kind, String value, TargetType type) {

    /** What an input is. */
    public enum Kind {
        /** One target as text. */
        TARGET,
        /** A file of targets, one per line, each line's type detected. */
        FILE,
        /** Standard input, read like a file. */
        STDIN,
        /** A file uploaded to {@code tlsx.scan-inputs.v1}, read like a file; the value is an {@link UploadedInput}'s. */
        UPLOAD
    }

    /** The name standard input goes by on the command line and in problems. */
    public static final String STDIN_NAME = "-";

    public TargetInput {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        type = type == null ? TargetType.UNKNOWN : type;
    }

    /** A target whose type is detected from its text. */
    public static TargetInput target(String text) {
        return new TargetInput(Kind.TARGET, text, TargetType.UNKNOWN);
    }

    /** A target that must be of {@code type} (e.g. what {@code --cidr} was given). */
    public static TargetInput typed(TargetType type, String text) {
        return new TargetInput(Kind.TARGET, text, type);
    }

    public static TargetInput file(Path path) {
        return new TargetInput(Kind.FILE, path.toString(), TargetType.FILE);
    }

    public static TargetInput stdin() {
        return new TargetInput(Kind.STDIN, STDIN_NAME, TargetType.FILE);
    }

    /** An uploaded file of targets. */
    public static TargetInput upload(UploadedInput upload) {
        return new TargetInput(Kind.UPLOAD, upload.specValue(), TargetType.UPLOAD);
    }

    /**
     * The input a scan request's target spec stands for: FILE specs name a file readable by ingest, or {@code -};
     * UPLOAD specs an {@link UploadedInput} (checked when it is read).
     */
    public static TargetInput of(TargetSpec spec) {
        String value = spec.getValue() == null ? "" : spec.getValue().trim();
        if (spec.getType() == TargetType.FILE) {
            return STDIN_NAME.equals(value) ? stdin() : new TargetInput(Kind.FILE, value, TargetType.FILE);
        }
        if (spec.getType() == TargetType.UPLOAD) {
            return new TargetInput(Kind.UPLOAD, value, TargetType.UPLOAD);
        }
        return typed(spec.getType(), value);
    }

    /** How the input is named in problems and messages. */
    public String sourceName() {
        if (kind == Kind.UPLOAD) {
            try {
                return UploadedInput.parse(value).sourceName();
            } catch (IllegalArgumentException e) {
                return value;
            }
        }
        return kind == Kind.TARGET ? "target" : value;
    }
}
