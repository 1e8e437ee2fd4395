package io.tlsxtractor.plugins.core.filter;

import io.tlsxtractor.plugin.api.ConfigOption;
import io.tlsxtractor.plugin.api.ConfigSchema;
import io.tlsxtractor.plugin.api.DomainFilter;
import io.tlsxtractor.plugin.api.FilterContext;
import io.tlsxtractor.plugin.api.FilterDecision;
import io.tlsxtractor.plugin.api.OptionType;
import io.tlsxtractor.plugin.api.PluginContext;
import io.tlsxtractor.plugin.api.PluginException;
import io.tlsxtractor.plugins.core.CorePlugins;
import io.tlsxtractor.plugins.core.internal.ListFile;
import io.tlsxtractor.plugins.core.names.DomainSuffixSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code domain-list-filter}: 1.x {@code --include-domains} and {@code --exclude-domains}. With
 * {@code exclude}, a name under a listed domain is dropped; with {@code include}, a name under no
 * listed domain is dropped. The two cannot be combined. With neither, every name is kept.
 *
 * <p>Each setting is a comma-separated list whose items are domains or files. An item naming an
 * existing file is read as a list file (one domain per line, {@code #} comments, blank lines
 * skipped); an item containing a path separator, or ending in {@code .txt}, {@code .csv},
 * {@code .list} or {@code .lst}, that names no file is an error; any other item is a domain. So
 * the 1.x forms, a CSV string ({@code a.com,b.org}) or a file path, both work. A domain
 * {@code example.com} covers itself and its subdomains, {@code *.example.com} its subdomains only;
 * case and a trailing dot are ignored, matching is label-wise.
 */
public final class DomainListFilter implements DomainFilter {
    static final String INCLUDE = "include";
    static final String EXCLUDE = "exclude";

    private static final Set<String> LIST_FILE_SUFFIXES = Set.of(".txt", ".csv", ".list", ".lst");

    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            ConfigOption.optional(INCLUDE, OptionType.LIST, "",
                    "Keep only names under these domains (1.x --include-domains): comma-separated domains"
                            + " and/or list files, one domain per line with # comments. Not with exclude."),
            ConfigOption.optional(EXCLUDE, OptionType.LIST, "",
                    "Drop names under these domains (1.x --exclude-domains): comma-separated domains"
                            + " and/or list files, one domain per line with # comments. Not with include."));

    private enum Mode { KEEP_ALL, INCLUDE, EXCLUDE }

    private record State(Mode mode, DomainSuffixSet rules) {
    }

    private volatile State state = new State(Mode.KEEP_ALL, DomainSuffixSet.empty());

    @Override
    public String name() {
        return CorePlugins.DOMAIN_LIST_FILTER;
    }

    @Override
    public String version() {
        return CorePlugins.VERSION;
    }

    @Override
    public ConfigSchema configSchema() {
        return SCHEMA;
    }

    /**
     * Reads the lists.
     *
     * @throws PluginException when both lists are given, a file cannot be read, an entry is not
     *     a domain (naming file and line), or a given list holds no domain at all
     */
    @Override
    public void start(PluginContext context) {
        List<String> include = context.settings().getList(INCLUDE);
        List<String> exclude = context.settings().getList(EXCLUDE);
        if (!include.isEmpty() && !exclude.isEmpty()) {
            throw new PluginException("plugin " + name() + ": include and exclude cannot be used together"
                    + " (1.x --include-domains and --exclude-domains are mutually exclusive): give only one;"
                    + " include=" + include + ", exclude=" + exclude);
        }
        if (include.isEmpty() && exclude.isEmpty()) {
            state = new State(Mode.KEEP_ALL, DomainSuffixSet.empty());
            context.logger().info("No include or exclude list given: every name is kept");
            return;
        }
        String key = include.isEmpty() ? EXCLUDE : INCLUDE;
        DomainSuffixSet rules = readRules(key, include.isEmpty() ? exclude : include);
        state = new State(include.isEmpty() ? Mode.EXCLUDE : Mode.INCLUDE, rules);
        context.logger().info("Domain list filter: {} {} rules", key, rules.size());
    }

    @Override
    public FilterDecision decide(String domain, FilterContext context) {
        State s = state;
        switch (s.mode()) {
            case EXCLUDE:
                return s.rules().match(domain)
                        .map(rule -> FilterDecision.drop("excluded by " + rule.describe()))
                        .orElse(FilterDecision.keep());
            case INCLUDE:
                return s.rules().matches(domain) ? FilterDecision.keep()
                        : FilterDecision.drop("not under any of the " + s.rules().size() + " include rules");
            default:
                return FilterDecision.keep();
        }
    }

    private DomainSuffixSet readRules(String key, List<String> items) {
        List<String> problems = new ArrayList<>();
        DomainSuffixSet.Builder builder = DomainSuffixSet.builder();
        int added = 0;
        for (String item : items) {
            Path file = asExistingFile(item);
            if (file != null) {
                List<ListFile.Entry> entries;
                try {
                    entries = ListFile.read(file);
                } catch (IOException | RuntimeException e) {
                    problems.add(problem(key, "cannot read list file " + file + ": " + e));
                    continue;
                }
                if (entries.isEmpty()) {
                    problems.add(problem(key, "list file " + file + " holds no domain"));
                }
                for (ListFile.Entry e : entries) {
                    added += add(builder, e.value(), file + ":" + e.line(), key, problems);
                }
            } else if (looksLikeFile(item)) {
                problems.add(problem(key, "list file " + item + " does not exist (working directory "
                        + Path.of("").toAbsolutePath() + ")"));
            } else {
                added += add(builder, item, key, key, problems);
            }
        }
        if (problems.isEmpty() && added == 0) {
            problems.add(problem(key, "no domain given"));
        }
        if (problems.size() == 1) {
            throw new PluginException(problems.get(0));
        }
        if (!problems.isEmpty()) {
            throw new PluginException("invalid settings of plugin " + name() + ":", problems);
        }
        return builder.build();
    }

    private int add(DomainSuffixSet.Builder builder, String rule, String origin, String key, List<String> problems) {
        try {
            builder.add(rule, origin);
            return 1;
        } catch (IllegalArgumentException e) {
            problems.add(problem(key, e.getMessage()));
            return 0;
        }
    }

    private static Path asExistingFile(String item) {
        try {
            Path p = Path.of(item);
            return Files.isRegularFile(p) ? p : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static boolean looksLikeFile(String item) {
        if (item.indexOf('/') >= 0 || item.indexOf('\\') >= 0) {
            return true;
        }
        String lower = item.toLowerCase(Locale.ROOT);
        return LIST_FILE_SUFFIXES.stream().anyMatch(lower::endsWith);
    }

    private String problem(String key, String message) {
        return "plugin " + name() + ": " + key + ": " + message;
    }
}
