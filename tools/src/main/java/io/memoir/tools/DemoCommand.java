package io.memoir.tools;

import io.memoir.store.JournalEntry;
import io.memoir.store.Store;
import io.memoir.store.VerifyReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code memoir demo}: a master JVM writes a region, two follower JVMs print each update as it arrives
 * with its latency; then the region's history and a verify of the store. Ends by itself.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Show it working: a master JVM writes, two follower JVMs print each update live.",
        "Runs on a temporary store unless --store. Followers print each update with its latency; "
        + "then the region's history and a verify of the store are printed. Ends by itself in a few "
        + "seconds."})
public final class DemoCommand implements Callable<Integer> {
    /** The region the demo writes. */
    static final String TAG = "ticker";
    private static final int LENGTH = 64;
    private static final int FOLLOWERS = 2;
    private static final long START_TIMEOUT_SECONDS = 30;
    private static final long RUN_TIMEOUT_SECONDS = 40;

    @Spec
    CommandSpec spec;

    @Option(names = {"-s", "--store"}, paramLabel = "DIR", description = "Use this store (default: a temporary one, deleted at the end).")
    Path store;

    @Option(names = "--updates", defaultValue = "10", paramLabel = "N", description = "How many updates (default ${DEFAULT-VALUE}).")
    int updates;

    @Option(names = "--interval-ms", defaultValue = "200", paramLabel = "MS", description = "Time between updates (default ${DEFAULT-VALUE}).")
    long intervalMillis;

    @Option(names = {"-v", "--verbose"}, description = "Show stack traces of errors.")
    boolean verbose;

    private final Object lock = new Object();

    /**
     * Now, from the OS clock (microsecond resolution on Linux), as epoch nanoseconds: what the demo's
     * JVMs compare to measure latency. The journal's times come from Chronicle's clock, whose offset
     * from the OS clock is calibrated per JVM to about a millisecond, too coarse for this.
     *
     * @return epoch nanoseconds
     */
    static long nowNanos() {
        final Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (updates < 1 || updates > 10_000 || intervalMillis < 0 || intervalMillis > 10_000) {
            throw new UsageException("--updates must be 1..10000 and --interval-ms 0..10000: updates=" + updates
                + ", intervalMillis=" + intervalMillis);
        }
        final boolean temporary = store == null;
        final Path dir = temporary ? Files.createTempDirectory("memoir-demo-") : store.toAbsolutePath().normalize();
        final PrintWriter out = spec.commandLine().getOut();
        out.println("memoir demo: store=" + dir + (temporary ? " (temporary)" : "") + "; 1 master and " + FOLLOWERS
            + " follower JVMs; " + updates + " updates to region '" + TAG + "', every " + intervalMillis + " ms");
        out.flush();
        try (Store s = Store.open(dir)) {
            if (s.exists(TAG) && s.region(TAG).length() < LENGTH) {
                throw new UsageException("region " + TAG + " exists in store=" + dir + " with length="
                    + s.region(TAG).length() + ", the demo needs " + LENGTH + ": give another --store");
            }
            s.region(TAG, LENGTH);
        }
        final List<Process> children = new ArrayList<>();
        try {
            final CountDownLatch ready = new CountDownLatch(FOLLOWERS);
            final List<Thread> pumps = new ArrayList<>();
            for (int i = 1; i <= FOLLOWERS; i++) {
                final Process p = ChildProcesses.start(List.of("demo-follower", "--store=" + dir, "--tag=" + TAG));
                children.add(p);
                pumps.add(pump("follower-" + i, p, ready));
            }
            if (!ready.await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the followers did not start within " + START_TIMEOUT_SECONDS + " s");
            }
            final Process master = ChildProcesses.start(List.of("demo-master", "--store=" + dir, "--tag=" + TAG,
                "--updates=" + updates, "--interval-ms=" + intervalMillis));
            children.add(master);
            pumps.add(pump("master    ", master, null));
            for (Process p : children) {
                if (!p.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("a demo JVM did not end within " + RUN_TIMEOUT_SECONDS + " s: pid="
                        + p.pid());
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException("a demo JVM failed: pid=" + p.pid() + ", exit=" + p.exitValue());
                }
            }
            for (Thread t : pumps) {
                t.join(TimeUnit.SECONDS.toMillis(5));
            }
            return summary(out, dir);
        } finally {
            children.forEach(Process::destroyForcibly);
            if (temporary) {
                Dirs.deleteRecursively(dir);
            }
        }
    }

    private int summary(final PrintWriter out, final Path dir) {
        try (Store s = Store.builder().readOnly(true).open(dir)) {
            out.println();
            out.println("history of '" + TAG + "' (memoir history " + TAG + "):");
            for (JournalEntry e : s.history(TAG)) {
                out.println("  " + Formats.text(e));
            }
            out.println();
            final VerifyReport report = s.verify();
            out.print("verify (memoir verify): ");
            VerifyCommand.print(out, report);
            out.flush();
            return report.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }

    private Thread pump(final String name, final Process p, final CountDownLatch ready) {
        final PrintWriter out = spec.commandLine().getOut();
        final Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (lock) {
                        out.println("[" + name + "] " + line);
                        out.flush();
                    }
                    if (ready != null && line.startsWith(DemoFollowerCommand.READY)) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "demo-" + name.strip());
        t.setDaemon(true);
        t.start();
        return t;
    }
}
