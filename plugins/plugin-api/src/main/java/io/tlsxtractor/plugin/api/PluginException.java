package io.tlsxtractor.plugin.api;

import java.util.List;

/**
 * A plugin could not be found, loaded, configured or started. The message says which plugin and
 * what was wrong; {@link #problems()} lists each problem on its own when there were several.
 */
public class PluginException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public PluginException(String message) {
        this(message, (Throwable) null);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of(message);
    }

    /** One exception for several problems, so that a user can fix all of them in one go. */
    public PluginException(String summary, List<String> problems) {
        super(summary + formatList(problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem on its own, in the order found. */
    public List<String> problems() {
        return problems;
    }

    private static String formatList(List<String> problems) {
        StringBuilder sb = new StringBuilder();
        for (String p : problems) {
            sb.append(System.lineSeparator()).append("  - ").append(p);
        }
        return sb.toString();
    }
}
