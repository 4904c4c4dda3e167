package io.memoir.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** One child JVM of {@code memoir soak}: its process and what it printed ({@link SoakRun}'s lines). */
final class SoakChild {
    final String name;
    final Process process;
    /** A writer's acknowledgement file; null for a reader. */
    final Path acks;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread pump;
    private volatile String summary;
    private volatile boolean killed;

    /**
     * Starts {@code memoir ARGS} in a new JVM.
     *
     * @param name how to call it in messages
     * @param args its memoir arguments
     * @param acks its acknowledgement file, or null
     * @param problems gets each problem it reports, prefixed with its name
     * @param other    gets any other output (warnings, such as the repairs it made), prefixed with its name
     */
    SoakChild(final String name, final List<String> args, final Path acks, final Consumer<String> problems,
              final Consumer<String> other) {
        this.name = name;
        this.acks = acks;
        this.process = ChildProcesses.start(args);
        this.pump = new Thread(() -> pump(problems, other), "soak-" + name);
        pump.setDaemon(true);
        pump.start();
    }

    private void pump(final Consumer<String> problems, final Consumer<String> other) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.equals(SoakRun.READY)) {
                    ready.countDown();
                } else if (line.startsWith(SoakRun.SUMMARY.strip())) {
                    summary = line;
                } else if (line.startsWith(SoakRun.PROBLEM)) {
                    problems.accept("[" + name + "] " + line.substring(SoakRun.PROBLEM.length()));
                } else {
                    other.accept("[" + name + "] " + line);
                }
            }
        } catch (IOException e) {
            problems.accept("[" + name + "] cannot read its output: " + e.getMessage());
        }
    }

    boolean awaitReady(final Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isReady() {
        return ready.getCount() == 0;
    }

    boolean wasKilled() {
        return killed;
    }

    /** kill -9, and wait for it to be gone. */
    void kill() throws InterruptedException {
        killed = true;
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * Waits for the child to end by itself.
     *
     * @param timeout how long at most
     * @return true if it ended and its output was read to the end
     */
    boolean finish(final Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        pump.join(TimeUnit.SECONDS.toMillis(10));
        return !pump.isAlive();
    }

    /**
     * The counts of its {@code SUMMARY} line.
     *
     * @return name to count; empty if it printed none (killed, or failed)
     */
    Map<String, Long> counts() {
        final Map<String, Long> counts = new LinkedHashMap<>();
        final String s = summary;
        if (s != null && s.length() > SoakRun.SUMMARY.length()) {
            for (String kv : s.substring(SoakRun.SUMMARY.length()).split(" ")) {
                final int eq = kv.indexOf('=');
                counts.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
            }
        }
        return counts;
    }

    boolean hasSummary() {
        return summary != null;
    }
}
