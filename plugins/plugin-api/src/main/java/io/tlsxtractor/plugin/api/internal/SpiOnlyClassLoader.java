package io.tlsxtractor.plugin.api.internal;

import java.io.IOException;
import java.net.URL;
import java.util.Enumeration;
import java.util.List;

/**
 * The parent of every plugin class loader. It lets a plugin see the JDK, the SPI and SLF4J from
 * the application, and nothing else of it: a plugin brings its own libraries, in the versions it
 * wants, without clashing with the application's or another plugin's (Trino's model).
 */
public final class SpiOnlyClassLoader extends ClassLoader {
    /** Packages shared with the application: same {@code Class} objects on both sides. */
    public static final List<String> SHARED_PACKAGE_PREFIXES =
            List.of("java.", "javax.", "io.tlsxtractor.plugin.api.", "org.slf4j.");

    private static final List<String> SHARED_RESOURCE_PREFIXES =
            SHARED_PACKAGE_PREFIXES.stream().map(p -> p.replace('.', '/')).toList();

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader application;

    public SpiOnlyClassLoader(ClassLoader application) {
        // The platform loader as parent gives the JDK's own non-java packages (org.w3c.dom, ...).
        super("tlsxtractor-plugin-spi", ClassLoader.getPlatformClassLoader());
        this.application = application;
    }

    public static boolean isShared(String className) {
        for (String prefix : SHARED_PACKAGE_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (isShared(name)) {
            return application.loadClass(name);
        }
        return super.loadClass(name, resolve);
    }

    // Resources follow classes; in particular the application's META-INF/services files must stay
    // invisible, or every plugin directory would rediscover the class path's plugins.
    @Override
    public URL getResource(String name) {
        return isSharedResource(name) ? application.getResource(name) : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return isSharedResource(name) ? application.getResources(name) : super.getResources(name);
    }

    private static boolean isSharedResource(String name) {
        for (String prefix : SHARED_RESOURCE_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
