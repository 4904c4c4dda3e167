package io.memoir.tools;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What a soak child JVM ({@code soak-writer}, {@code soak-reader}) shares: its options, when to stop,
 * and the lines it prints for {@code memoir soak} ({@code READY}, {@code PROBLEM ...}, {@code SUMMARY
 * key=value ...}).
 */
final class SoakRun {
    /** The line a child prints once it runs. */
    static final String READY = "READY";
    /** Starts the line of something wrong. */
    static final String PROBLEM = "PROBLEM ";
    /** Starts the line of a child's counts. */
    static final String SUMMARY = "SUMMARY ";
    private static final int MAX_PROBLEMS = 20;
    private static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** The command this is mixed into: where it prints. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--tags", required = true, description = "How many tags.")
    int tags;

    @Option(names = "--stop", required = true, description = "Stop once this file exists.")
    Path stop;

    @Option(names = "--until", required = true, description = "Stop at this time at the latest (epoch ms).")
    long untilMillis;

    @Option(names = "--parent", required = true, description = "Stop if this process is gone.")
    long parent;

    private PrintWriter out;
    private long nextCheck = System.nanoTime();
    private boolean stopped;
    private int problems;

    /**
     * Says the child runs.
     *
     * @return its tags
     */
    List<String> ready() {
        this.out = mixee.commandLine().getOut();
        out.println(READY);
        out.flush();
        return SoakValues.tags(tags);
    }

    /**
     * Whether to stop: the stop file exists, the time is up or {@code memoir soak} is gone. Looks at
     * most every 20 ms.
     *
     * @return true once it is time to stop
     */
    boolean stopRequested() {
        final long now = System.nanoTime();
        if (!stopped && now - nextCheck >= 0) {
            nextCheck = now + CHECK_NANOS;
            stopped = Files.exists(stop) || System.currentTimeMillis() > untilMillis
                || !ProcessHandle.of(parent).map(ProcessHandle::isAlive).orElse(false);
        }
        return stopped;
    }

    /**
     * Reports something wrong (the first 20 only).
     *
     * @param what what, with the tag and values
     */
    void problem(final String what) {
        if (problems++ < MAX_PROBLEMS) {
            out.println(PROBLEM + what);
            out.flush();
        }
    }

    /**
     * Prints the child's counts, its last line.
     *
     * @param counts name to count
     */
    void summary(final Map<String, Long> counts) {
        final StringBuilder sb = new StringBuilder(SUMMARY.strip());
        counts.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        out.println(sb);
        out.flush();
    }
}
