package io.tlsxtractor.config;

import java.util.List;
import java.util.stream.Collectors;

/** The configuration is invalid; {@link #problems()} lists every problem found, not just the first. */
public class ConfigException extends RuntimeException {

    private final transient List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, in the order found (file syntax and unknown keys first, then key by key). */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String describe(List<ConfigProblem> problems) {
        String header = problems.size() == 1
                ? "Invalid configuration (1 problem):"
                : "Invalid configuration (" + problems.size() + " problems):";
        return problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n", header + "\n", ""));
    }
}
