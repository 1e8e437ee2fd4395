package io.tlsxtractor.streams;

/**
 * Thrown by a processor for a record whose content cannot be used (a probe result without a scan id, certificate
 * bytes that are not DER...). {@link DeadLetterProcessingHandler} sends the record to its topic's dead-letter topic
 * with this message as the reason, and processing goes on. Any other exception is a bug and stops the application.
 */
public final class BadRecordException extends RuntimeException {

    public BadRecordException(String reason) {
        super(reason);
    }
}
