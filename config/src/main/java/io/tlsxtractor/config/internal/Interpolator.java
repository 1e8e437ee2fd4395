package io.tlsxtractor.config.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in configuration file values with environment
 * variables, so that secrets need not be written into the file. {@code ${VAR:-default}} uses the
 * default when the variable is unset or empty (as the shell does); {@code $${} writes a literal
 * {@code ${}. Defaults cannot contain {@code }} or further references.
 */
public final class Interpolator {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The interpolated text, or the problems that prevented it. */
    public record Result(String value, List<String> problems) {

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private Interpolator() {
    }

    /** {@code text} with every reference replaced from {@code environment}. */
    public static Result interpolate(String text, Map<String, String> environment) {
        if (!text.contains("${")) {
            return new Result(text, List.of());
        }
        StringBuilder out = new StringBuilder(text.length());
        List<String> problems = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
                continue;
            }
            if (!text.startsWith("${", i)) {
                out.append(text.charAt(i++));
                continue;
            }
            int close = text.indexOf('}', i + 2);
            if (close < 0) {
                problems.add("unterminated ${ at character " + (i + 1) + " (write $${ for a literal ${)");
                break;
            }
            String reference = text.substring(i + 2, close);
            int sep = reference.indexOf(":-");
            String name = sep < 0 ? reference : reference.substring(0, sep);
            String fallback = sep < 0 ? null : reference.substring(sep + 2);
            if (!NAME.matcher(name).matches()) {
                problems.add("invalid variable reference ${" + reference + "}: expected ${NAME} or ${NAME:-default}");
            } else {
                String value = environment.get(name);
                if (value != null && !(fallback != null && value.isEmpty())) {
                    out.append(value);
                } else if (fallback != null) {
                    out.append(fallback);
                } else {
                    problems.add("environment variable " + name + " is not set (referenced as ${" + name
                            + "}; write ${" + name + ":-default} to give a default)");
                }
            }
            i = close + 1;
        }
        return new Result(out.toString(), List.copyOf(problems));
    }
}
