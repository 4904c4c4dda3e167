package io.memoir.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The JVM options Memoir needs on JDK 17 ({@code --add-exports}/{@code --add-opens} for Chronicle, and
 * the system properties that keep Chronicle quiet and offline), for programs that start child JVMs.
 * The list comes from the build (the root pom's {@code memoir.jvm.flags}), so there is one source.
 */
public final class JvmFlags {
    private static final List<String> FLAGS = load();

    private JvmFlags() {
    }

    /**
     * The options, one per element, to put before the main class of a child JVM.
     *
     * @return an immutable list of options
     */
    public static List<String> required() {
        return FLAGS;
    }

    /**
     * Whether this JVM runs with the module options Memoir needs.
     *
     * @return true if {@code java.lang} is open to Memoir's module
     */
    public static boolean present() {
        return Object.class.getModule().isOpen("java.lang", JvmFlags.class.getModule());
    }

    private static List<String> load() {
        final Properties p = new Properties();
        try (InputStream in = JvmFlags.class.getResourceAsStream("jvm.properties")) {
            if (in == null) {
                throw new IllegalStateException("jvm.properties missing from the memoir-store jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(Arrays.asList(p.getProperty("flags").trim().split("\\s+")));
    }
}
