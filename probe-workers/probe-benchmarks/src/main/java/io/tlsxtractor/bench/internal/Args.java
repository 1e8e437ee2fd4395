package io.tlsxtractor.bench.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} command-line options with defaults; unknown names are refused. */
public final class Args {
    private final Map<String, String> values = new HashMap<>();
    private final String program;

    public Args(String program, String[] args, Map<String, String> defaults) {
        this.program = program;
        values.putAll(defaults);
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("--") || !defaults.containsKey(name.substring(2))) {
                throw new IllegalArgumentException(program + ": unknown option '" + name + "'; known: " + options(defaults.keySet()));
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(program + ": option " + name + " needs a value");
            }
            values.put(name.substring(2), args[++i]);
        }
    }

    private static String options(Set<String> names) {
        return names.stream().sorted().map(n -> "--" + n).reduce((a, b) -> a + " " + b).orElse("");
    }

    public String string(String name) {
        return values.get(name);
    }

    public int integer(String name) {
        try {
            return Integer.parseInt(values.get(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(program + ": --" + name + " must be a whole number, got '" + values.get(name) + "'");
        }
    }
}
