package io.memoir.examples;

import io.memoir.store.JvmFlags;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the examples share: default directories, argument defaults, Python's bytes repr, child JVMs. */
final class ExampleSupport {
    private ExampleSupport() {
    }

    /**
     * Where a multi-process example keeps its file or store when no path is given, so that two
     * terminals running the two sides with no arguments meet: {@code <tmpdir>/memoir-examples/<name>}.
     */
    static Path defaultPath(final String name) {
        return Path.of(System.getProperty("java.io.tmpdir"), "memoir-examples", name);
    }

    /** {@code args[i]}, or {@code fallback} if there are fewer arguments or it is "-". */
    static String arg(final String[] args, final int i, final String fallback) {
        return args.length > i && !"-".equals(args[i]) ? args[i] : fallback;
    }

    /** {@code args[i]} as an int, or {@code fallback}. */
    static int intArg(final String[] args, final int i, final int fallback) {
        return Integer.parseInt(arg(args, i, Integer.toString(fallback)));
    }

    /** Prints the usage lines to stderr and exits with status 2 (a usage error). */
    static void usage(final String... lines) {
        for (String line : lines) {
            System.err.println(line);
        }
        System.exit(2);
    }

    /**
     * Python's {@code repr(b)} of a bytes object, e.g. {@code b'Hello Python!\n'}, so an example
     * prints what the seed's {@code print(mm.readline())} printed.
     */
    static String pyRepr(final byte[] b) {
        boolean single = false;
        boolean dbl = false;
        for (byte x : b) {
            single |= x == '\'';
            dbl |= x == '"';
        }
        final char quote = single && !dbl ? '"' : '\'';
        final StringBuilder sb = new StringBuilder(b.length + 3).append('b').append(quote);
        for (byte x : b) {
            final int c = x & 0xff;
            if (c == quote || c == '\\') {
                sb.append('\\').append((char) c);
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c < 0x20 || c >= 0x7f) {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.append((char) c);
            }
        }
        return sb.append(quote).toString();
    }

    /** The bytes without their NUL bytes, as text: the seeds' {@code s.replace(b'\x00', b'')}. */
    static String withoutNuls(final byte[] b) {
        final StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            if (x != 0) {
                sb.append((char) (x & 0xff));
            }
        }
        return sb.toString();
    }

    /**
     * Starts {@code main} of {@code mainClass} in a new JVM: the same java, classpath and Memoir's JVM
     * flags ({@link JvmFlags}), so the user never types them.
     *
     * @param inheritIo true to let the child print straight to this process's stdout and stderr;
     *                  false to read its output (stderr merged) from {@link Process#getInputStream()}
     */
    static Process startJvm(final Class<?> mainClass, final boolean inheritIo, final String... args) {
        final List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(JvmFlags.required());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        final ProcessBuilder pb = new ProcessBuilder(cmd);
        if (inheritIo) {
            pb.inheritIO();
        } else {
            pb.redirectErrorStream(true);
        }
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a JVM for " + mainClass.getName() + ": " + e.getMessage(), e);
        }
    }
}
