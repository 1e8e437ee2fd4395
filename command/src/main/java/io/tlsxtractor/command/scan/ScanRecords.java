package io.tlsxtractor.command.scan;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command lines of the scans started on this machine, kept under {@code local.data_dir/scans} so that
 * {@code --resume <scan id or output file>} can run an interrupted scan again with the same input and options. One
 * small properties file per scan: its arguments (paths made absolute, so that a resume from another directory reads
 * and writes the same files), its output file and when it started.
 */
public final class ScanRecords {

    private static final String DIR = "scans";
    private static final Pattern SCAN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");
    /** The document's {@code metadata} comes first, so the scan id is within its first bytes. */
    private static final Pattern DOCUMENT_SCAN_ID = Pattern.compile("\"scan_id\"\\s*:\\s*\"([^\"]+)\"");
    private static final int DOCUMENT_HEAD = 64 * 1024;
    /** Options whose value is a path, made absolute when a scan is recorded. */
    private static final Set<String> PATH_OPTIONS = Set.of("-o", "--output", "-f", "--file", "--config", "--log-file");

    /**
     * One recorded scan.
     *
     * @param scanId the scan id
     * @param args the command line it ran with (without {@code --resume})
     * @param output the absolute output path
     * @param started when it was recorded
     */
    public record Entry(String scanId, List<String> args, Path output, Instant started) {
    }

    private ScanRecords() {
    }

    /** Records a scan's command line; replaces an earlier record of the same id. */
    public static void save(Path dataDir, String scanId, List<String> args, Path output, Instant started) {
        Path dir = dataDir.resolve(DIR);
        Properties p = new Properties();
        p.setProperty("scan_id", scanId);
        p.setProperty("output", output.toAbsolutePath().normalize().toString());
        p.setProperty("started", started.toString());
        p.setProperty("args", Integer.toString(args.size()));
        for (int i = 0; i < args.size(); i++) {
            p.setProperty("arg." + i, args.get(i));
        }
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + scanId, ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "tlsxtractor scan " + scanId + ": the command line that --resume runs again");
            }
            Files.move(tmp, dir.resolve(scanId + ".properties"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record scan " + scanId + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The scan that {@code idOrFile} names: a scan id, or an output file. A 1.x JSON document names its scan in
     * {@code metadata.parameters.scan_id}; any other file (a partial JSONL or CSV) is matched against the recorded
     * output paths, the newest scan first.
     *
     * @throws IllegalArgumentException with what was looked for and where, when no recorded scan matches
     */
    public static Entry find(Path dataDir, String idOrFile) {
        Path dir = dataDir.resolve(DIR);
        Path asFile = Path.of(idOrFile).toAbsolutePath().normalize();
        if (Files.isRegularFile(asFile)) {
            String id = scanIdInDocument(asFile);
            if (id != null) {
                Entry e = load(dir.resolve(id + ".properties"));
                if (e == null) {
                    throw new IllegalArgumentException(asFile + " is the output of scan " + id + ", which is not recorded in "
                            + dir + " (was it started with another local.data_dir, or on another machine?)");
                }
                return e;
            }
            Entry newest = null;
            for (Entry e : all(dir)) {
                if (e.output().equals(asFile) && (newest == null || e.started().isAfter(newest.started()))) {
                    newest = e;
                }
            }
            if (newest == null) {
                throw new IllegalArgumentException("no scan recorded in " + dir + " wrote " + asFile
                        + "; give the scan id that the interrupted scan printed");
            }
            return newest;
        }
        if (!SCAN_ID.matcher(idOrFile).matches()) {
            throw new IllegalArgumentException("'" + idOrFile + "' is neither an existing output file nor a scan id");
        }
        Entry e = load(dir.resolve(idOrFile + ".properties"));
        if (e == null) {
            throw new IllegalArgumentException("no scan " + idOrFile + " is recorded in " + dir
                    + " (nor is it an existing file)");
        }
        return e;
    }

    /** {@code args} with the values of path options made absolute against the current directory. */
    public static List<String> absolutize(List<String> args) {
        List<String> out = new ArrayList<>(args.size());
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            int eq = a.indexOf('=');
            if (a.startsWith("-") && eq > 0 && PATH_OPTIONS.contains(a.substring(0, eq))) {
                out.add(a.substring(0, eq + 1) + absolute(a.substring(eq + 1)));
            } else if (PATH_OPTIONS.contains(a) && i + 1 < args.size()) {
                out.add(a);
                out.add(absolute(args.get(++i)));
            } else {
                out.add(a);
            }
        }
        return out;
    }

    private static String absolute(String path) {
        // Standard input has no path to keep.
        return "-".equals(path) ? path : Path.of(path).toAbsolutePath().normalize().toString();
    }

    private static String scanIdInDocument(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            String head = new String(in.readNBytes(DOCUMENT_HEAD), java.nio.charset.StandardCharsets.UTF_8);
            if (!head.stripLeading().startsWith("{\n") && !head.stripLeading().startsWith("{\r")) {
                // JSONL (one result per line) or CSV: matched by the recorded output path instead.
                return null;
            }
            Matcher m = DOCUMENT_SCAN_ID.matcher(head);
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static List<Entry> all(Path dir) {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return entries;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.properties")) {
            for (Path f : files) {
                Entry e = load(f);
                if (e != null) {
                    entries.add(e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the recorded scans in " + dir + ": " + e.getMessage(), e);
        }
        return entries;
    }

    private static Entry load(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
            int n = Integer.parseInt(p.getProperty("args", "0"));
            List<String> args = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                args.add(p.getProperty("arg." + i, ""));
            }
            return new Entry(p.getProperty("scan_id"), List.copyOf(args), Path.of(p.getProperty("output")),
                    Instant.parse(p.getProperty("started")));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the scan record " + file + " cannot be read: " + e.getMessage(), e);
        }
    }
}
