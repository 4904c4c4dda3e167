package io.memoir.store.testing;

import io.memoir.store.JvmFlags;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real child JVM running a {@code main} class from the test classpath with Memoir's JVM flags, its
 * output lines collected as they arrive. Used by every multi-process test.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();
    private final String name;
    private final Thread pump;

    private ChildJvm(final String name, final Process process) {
        this.name = name;
        this.process = process;
        this.pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("!! " + e);
            }
        }, "child-" + name);
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Starts {@code main} of {@code mainClass} in a new JVM (stderr merged into stdout).
     *
     * @param mainClass the class to run
     * @param args      its arguments
     * @return the running child
     */
    public static ChildJvm start(final Class<?> mainClass, final String... args) {
        try {
            return new ChildJvm(mainClass.getSimpleName(),
                new ProcessBuilder(javaCommand(mainClass, args)).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The command line {@link #start(Class, String...)} runs: this JVM's java, Memoir's flags, the test
     * classpath, the class and its arguments (for running it under another program, such as strace).
     *
     * @param mainClass the class to run
     * @param args      its arguments
     * @return the command
     */
    public static List<String> javaCommand(final Class<?> mainClass, final String... args) {
        final List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(JvmFlags.required());
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        // A crashing child says so on its output (which tests read); its report goes to the temp dir, not the
        // module directory.
        cmd.add("-XX:ErrorFile=" + Path.of(System.getProperty("java.io.tmpdir"), "memoir-child-hs_err_%p.log"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Starts any command, such as the {@code memoir} launcher, as a child whose output lines are
     * collected the same way (stderr merged into stdout).
     *
     * @param name    a name for messages
     * @param command the command and its arguments
     * @return the running child
     */
    public static ChildJvm exec(final String name, final List<String> command) {
        try {
            return new ChildJvm(name, new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits for the next output line matching {@code match}; the lines before it are kept in {@link #lines()}.
     *
     * @param match   what to wait for
     * @param timeout how long at most
     * @return the matching line
     * @throws AssertionError if the child ends or the time runs out first
     */
    public String await(final Predicate<String> match, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            final long left = deadline - System.nanoTime();
            final String line = lines.poll(Math.max(0, Math.min(left, 100_000_000L)), TimeUnit.NANOSECONDS);
            if (line != null) {
                all.add(line);
                if (match.test(line)) {
                    return line;
                }
            } else if (!process.isAlive() && lines.isEmpty()) {
                throw new AssertionError(name + " ended (exit " + process.exitValue() + ") before a matching line; output:\n"
                    + String.join("\n", all));
            } else if (left <= 0) {
                throw new AssertionError(name + " printed no matching line within " + timeout + "; output:\n"
                    + String.join("\n", all));
            }
        }
    }

    /**
     * Waits for the child to end and returns all its output lines.
     *
     * @param timeout how long at most
     * @return every line it printed
     */
    public List<String> finish(final Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not end within " + timeout + "; output so far:\n" + String.join("\n", drain()));
        }
        return drain();
    }

    /**
     * The exit code, once ended.
     *
     * @return the exit code
     */
    public int exitCode() {
        return process.exitValue();
    }

    /**
     * The child's process id.
     *
     * @return the pid
     */
    public long pid() {
        return process.pid();
    }

    /**
     * The child's thread dump ({@code jstack}), for a failure message when it seems stuck.
     *
     * @return the dump, or why there is none
     */
    public String threadDump() {
        try {
            final Path jstack = Path.of(System.getProperty("java.home"), "bin", "jstack");
            final Process p = new ProcessBuilder(jstack.toString(), Long.toString(process.pid())).redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "no thread dump of " + name + ": " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no thread dump of " + name + ": interrupted";
        }
    }

    /**
     * Asks the child to end with SIGTERM (plain {@code kill}, what a service manager sends first): its
     * shutdown hooks run while its other threads go on. Does not wait.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** Kills the child with SIGKILL (kill -9) and waits for it to be gone. */
    public void kill9() throws InterruptedException {
        // Through the handle: Process.destroyForcibly() also closes our end of the pipe, losing the lines
        // the child wrote but the pump had not read yet. The handle only sends the signal.
        process.toHandle().destroyForcibly();
        process.waitFor();
    }

    private List<String> drain() throws InterruptedException {
        // The pump thread ends at EOF; take what it has, waiting briefly for the last lines.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            final String line = lines.poll(50, TimeUnit.MILLISECONDS);
            if (line != null) {
                all.add(line);
            } else if (!process.isAlive()) {
                break;
            }
        }
        // A dead child's last lines may still be in the pipe: the pump reads them up to EOF.
        pump.join(TimeUnit.SECONDS.toMillis(5));
        lines.drainTo(all);
        return List.copyOf(all);
    }

    /**
     * The lines seen so far.
     *
     * @return a copy
     */
    public List<String> lines() {
        return List.copyOf(all);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
