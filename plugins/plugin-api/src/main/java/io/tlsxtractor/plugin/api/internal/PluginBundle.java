package io.tlsxtractor.plugin.api.internal;

import io.tlsxtractor.plugin.api.PluginException;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One unit of a plugin directory that gets its own class loader: a sub-directory (all the jars
 * directly in it) or a single jar.
 *
 * @param origin the sub-directory or jar, for messages
 * @param jars the jars to load from
 */
public record PluginBundle(Path origin, List<Path> jars) {

    public PluginBundle {
        jars = List.copyOf(jars);
    }

    /**
     * The bundles of a plugin directory, in name order so that discovery is repeatable. Other
     * files, and sub-directories without jars, are returned in {@code skipped}.
     */
    public static List<PluginBundle> scan(Path directory, List<Path> skipped) {
        if (!Files.isDirectory(directory)) {
            throw new PluginException("plugin directory " + directory.toAbsolutePath()
                    + (Files.exists(directory) ? " is not a directory" : " does not exist"));
        }
        List<PluginBundle> bundles = new ArrayList<>();
        for (Path entry : sortedEntries(directory)) {
            if (Files.isDirectory(entry)) {
                List<Path> jars = sortedEntries(entry).stream().filter(PluginBundle::isJar).toList();
                if (jars.isEmpty()) {
                    skipped.add(entry);
                } else {
                    bundles.add(new PluginBundle(entry, jars));
                }
            } else if (isJar(entry)) {
                bundles.add(new PluginBundle(entry, List.of(entry)));
            } else {
                skipped.add(entry);
            }
        }
        return bundles;
    }

    public URL[] urls() {
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new PluginException("plugin jar " + jars.get(i) + " has no usable URL: " + e.getMessage(), e);
            }
        }
        return urls;
    }

    private static boolean isJar(Path p) {
        return Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar");
    }

    private static List<Path> sortedEntries(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(Path::toAbsolutePath).sorted().toList();
        } catch (IOException e) {
            throw new PluginException("cannot list plugin directory " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }
}
