package io.tlsxtractor.command;

/** Turns an exception that ended a command into the one line a user reads after {@code Error: }. */
final class CliErrors {

    private CliErrors() {
    }

    /**
     * The exception's own message, which the modules write for users (what was wrong, where); the class name only when
     * there is no message, because then the message alone would say nothing.
     */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getName();
    }
}
