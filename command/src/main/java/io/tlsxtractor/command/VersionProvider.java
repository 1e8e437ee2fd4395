package io.tlsxtractor.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version} prints {@code tlsxtractor <version>}, the line 1.x printed; the version comes from the build. */
public final class VersionProvider implements IVersionProvider {

    /** The version this jar was built as, e.g. {@code 2.0.0}. */
    public static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("/tlsxtractor-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("tlsxtractor-version.properties is missing from the jar: the build is broken");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"tlsxtractor " + version()};
    }
}
