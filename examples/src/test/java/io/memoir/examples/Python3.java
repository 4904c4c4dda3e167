package io.memoir.examples;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the seed programs (ported to Python 3, in {@code src/test/python}) with the {@code python3} on PATH. */
final class Python3 {
    /** Where the programs are, relative to the module (Failsafe's working directory). */
    static final Path PROGRAMS = Path.of("src", "test", "python");
    private static final boolean AVAILABLE = probe();

    private Python3() {
    }

    /** Skips the calling test, saying why, if there is no usable {@code python3}. */
    static void assumeAvailable() {
        assumeTrue(AVAILABLE, "python3 is not on PATH (or does not run): skipping the variant where one side "
            + "is the seed's original Python program");
    }

    /** Starts {@code python3 src/test/python/<program> args...}, stderr merged into stdout. */
    static Process start(final String program, final String... args) {
        final List<String> cmd = new ArrayList<>(List.of("python3", PROGRAMS.resolve(program).toString()));
        cmd.addAll(List.of(args));
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the program to end and returns its output lines; fails if it does not end in time. */
    static List<String> finish(final Process p, final Duration timeout) throws InterruptedException, IOException {
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("python3 did not end within " + timeout);
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }

    private static boolean probe() {
        try {
            final Process p = new ProcessBuilder("python3", "-c", "import mmap").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
