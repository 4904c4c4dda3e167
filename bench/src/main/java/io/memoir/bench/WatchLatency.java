package io.memoir.bench;

import io.memoir.store.Backoff;
import io.memoir.store.JvmFlags;
import io.memoir.store.Region;
import io.memoir.store.Store;
import io.memoir.store.Watcher;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.HdrHistogram.Histogram;

/**
 * Cross-JVM watch latency: this JVM writes {@code (sequence, System.nanoTime())} into a region every
 * {@code intervalMicros} (busy-paced; or, with pacing {@code park}, sleeping at least that long before
 * each change, as a publisher that writes now and then does); a watcher in a child JVM ({@link WatchChild}) notes when it
 * first learns of each change. The latency of a change is that moment minus the time its write began
 * (one monotonic clock for every process of the machine), for every change, in an HdrHistogram; the
 * first 20 % warm up: the writer waits until the watcher has seen them, and they are not counted.
 *
 * <p>Modes, run side by side: {@code await} ({@link Store#await}, the version in shared memory) and
 * {@code journal} (a {@link Watcher} tailing the journal), busy-spinning, and {@code await-default} /
 * {@code journal-default} with {@link Backoff#DEFAULT}; and {@code queue}, without Memoir: a Chronicle
 * Queue appender here and a busy-spinning tailer in the child (default {@code binary(dir)} queue), the
 * floor under {@code journal}; and {@code subscribe}, what a low-latency subscriber does: a
 * busy-spinning {@link Store#subscribe} (its thread bound to the watcher's CPU when there is one), whose
 * polls are Memoir's own, so it has no "late", "missed" or "while both ran" columns. {@code await} conflates: a wake-up that reads
 * sequence {@code s} learns of every change up to {@code s} at once, and each of them gets that time.
 * "per wake" is the latency of the newest change at each wake-up only: what a benchmark that records
 * one sample per wake-up shows, blind to the time the watcher was not running.
 *
 * <p>Why changes were late: "cpu wait" is the share of the run the watcher (writer) thread was
 * runnable but had no CPU ({@code /proc/thread-self/schedstat}). For busy-spinning modes, "late"
 * counts the changes seen more than 50 µs after their write began, and "missed" those for which a
 * poll that began after the write had returned found nothing new: a delay in the mechanism itself
 * rather than in the scheduler. "while both ran" gives the latency of the changes during which the
 * watcher never stopped polling (no gap over 20 µs) and the write was quick (at most 20 µs).
 *
 * <p>Placement: {@code shared} (the default) leaves both threads to the scheduler, on a machine shared
 * with whatever else runs. {@code watcher-cpu=N} is a low-latency deployment: the watcher thread is
 * bound to CPU {@code N}, which nothing else may use ({@code bench/watch-latency-isolated.sh} moves
 * every other task of the machine off it first and starts this JVM outside it), and the writer thread
 * runs at nice −20, ahead of the machine's background threads ({@link Placement}).
 *
 * <pre>mvn -q -pl bench exec:exec -Dbench.main=io.memoir.bench.WatchLatency -Dbench.args="100000 20 [modes] [spin|park] [shared|watcher-cpu=N]"</pre>
 */
public final class WatchLatency {
    private static final List<String> MODES = List.of("await", "journal", "await-default", "journal-default", "queue",
        WatchChild.SUBSCRIBE);
    private static final long LATE_NANOS = 50_000;
    private static final String WATCHER_CPU = "watcher-cpu=";
    private static final int WRITER_NICE = -20;

    private WatchLatency() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args number of changes (100,000), interval in µs (20), modes (all, comma-separated), pacing
     *             ({@code spin}: the writer busy-waits for each change's time, two spinning threads; or
     *             {@code park}: it sleeps the interval before each change, as a publisher that writes now
     *             and then does, and leaves its CPU to others meanwhile), placement ({@code shared}, or
     *             {@code watcher-cpu=N}: the watcher alone on CPU {@code N}, the writer at nice −20)
     * @throws Exception if a run fails
     */
    public static void main(final String[] args) throws Exception {
        final int samples = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        final int intervalMicros = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        final List<String> modes = args.length > 2 ? List.of(args[2].split(",")) : MODES;
        final boolean park = args.length > 3 && args[3].equals("park");
        if (args.length > 3 && !park && !args[3].equals("spin")) {
            throw new IllegalArgumentException("unknown pacing: pacing=" + args[3] + " (use spin or park)");
        }
        final int watcherCpu = watcherCpu(args.length > 4 ? args[4] : "shared");
        if (samples < 10 || intervalMicros < 1) {
            throw new IllegalArgumentException("need at least 10 changes and an interval of 1 us or more: changes="
                + samples + ", intervalMicros=" + intervalMicros);
        }
        for (String mode : modes) {
            if (!MODES.contains(mode)) {
                throw new IllegalArgumentException("unknown mode: mode=" + mode + " (use " + String.join(",", MODES) + ")");
            }
        }
        if (watcherCpu >= 0) {
            Placement.checkKeepsOff(watcherCpu);
            Placement.reniceThisThread(WRITER_NICE);
        }
        System.out.printf("cross-JVM watch latency: %,d changes, %s %d us, first 20%% discarded; %s; load %s%n",
            samples, park ? "the writer sleeping" : "one every", intervalMicros, watcherCpu < 0
                ? "threads placed by the scheduler" : "the watcher alone on cpu " + watcherCpu + ", the writer at nice "
                + WRITER_NICE, CpuTime.loadAverage());
        System.out.printf("%-16s %-45s %7s | %-17s | %-15s | %s%n", "", "per change, us", "", "per wake, us",
            "cpu wait", "changes       | while both ran, us");
        System.out.printf("%-16s %8s %8s %8s %8s %9s %7s | %8s %8s | %7s %7s | %6s %6s | %7s %7s %7s%n", "mode", "p50",
            "p90", "p99", "p99.9", "max", "wakes", "p50", "p99", "watcher", "writer", "late", "missed", "p50", "p99",
            "changes");
        for (String mode : modes) {
            final Path dir = Files.createTempDirectory("memoir-watch-");
            try {
                System.out.println(run(dir, mode, samples, intervalMicros, park, watcherCpu));
            } finally {
                deleteTree(dir);
            }
        }
    }

    /** The watcher's CPU of placement {@code watcher-cpu=N}, or -1 for {@code shared}. */
    private static int watcherCpu(final String placement) {
        if (placement.equals("shared")) {
            return -1;
        }
        if (placement.startsWith(WATCHER_CPU)) {
            try {
                final int cpu = Integer.parseInt(placement.substring(WATCHER_CPU.length()));
                if (cpu >= 0) {
                    return cpu;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("unknown placement: placement=" + placement
            + " (use shared, or watcher-cpu=N with N a CPU number)");
    }

    private static String run(final Path dir, final String mode, final int samples, final int intervalMicros,
                              final boolean park, final int watcherCpu) throws Exception {
        final long interval = intervalMicros * 1_000L;
        if (mode.equals("queue")) {
            try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir.resolve(WatchChild.QUEUE_DIR))
                .build()) {
                final ExcerptAppender appender = queue.createAppender();
                append(appender, 0, 0); // the queue's first file exists before the tailer starts
                return measure(dir, mode, samples, interval, park, watcherCpu,
                    (seq, began) -> append(appender, seq, began));
            }
        }
        try (Store store = Store.open(dir)) {
            final Region region = store.region(WatchChild.TAG, 16);
            final ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
            return measure(dir, mode, samples, interval, park, watcherCpu,
                (seq, began) -> region.write(0, b.putLong(0, seq).putLong(8, began).array()));
        }
    }

    private static void append(final ExcerptAppender appender, final long seq, final long began) {
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().writeLong(seq).writeLong(began);
        }
    }

    /** One write of {@code (sequence, began)}. */
    private interface Sink {
        void write(long seq, long began);
    }

    private static String measure(final Path dir, final String mode, final int samples, final long intervalNanos,
                                  final boolean park, final int watcherCpu, final Sink sink) throws Exception {
        final Process child = startChild(dir, mode, samples, watcherCpu);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
            StandardCharsets.UTF_8))) {
            awaitLine(out, "READY");
            final CpuTime writerCpu = CpuTime.ofThisThread();
            final Writes writes = write(sink, samples, intervalNanos, park, () -> awaitLine(out, "WARM"));
            final String writerWait = writerCpu.waitShare();
            final String watcherWait = awaitLine(out, "DONE").substring("DONE ".length());
            child.waitFor();
            final Sightings seen = readSeen(dir.resolve(WatchChild.SEEN_FILE), samples);
            final boolean busy = !mode.endsWith("-default") && !mode.equals(WatchChild.SUBSCRIBE);
            return String.format("%-16s %s | %7s %7s | %s", mode, latencies(writes, seen.at), watcherWait, writerWait,
                busy ? late(writes, seen) + " | " + whileRunning(writes, seen.at, seen.stalls)
                    : String.format("%6s %6s | %7s %7s %7s", "-", "-", "-", "-", "-"));
        } finally {
            child.destroyForcibly();
        }
    }

    private static Process startChild(final Path dir, final String mode, final int samples, final int watcherCpu)
        throws IOException {
        final List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(JvmFlags.required());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), WatchChild.class.getName(), dir.toString(),
            mode, Integer.toString(samples), Integer.toString(watcherCpu)));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** Reads the child's output up to the line starting with {@code prefix}, failing with its output. */
    private static String awaitLine(final BufferedReader out, final String prefix) throws IOException {
        final StringBuilder before = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(prefix)) {
                return line;
            }
            before.append(line).append('\n');
        }
        throw new IllegalStateException("the watcher JVM ended without " + prefix + "; its output:\n" + before);
    }

    /** When each write began and returned (index = sequence). */
    private record Writes(long[] began, long[] returned) {
    }

    /** Waits for the watcher to have seen every warm-up change. */
    private interface Warm {
        void await() throws IOException;
    }

    /**
     * Writes the warm-up changes (the first 20 %), waits for the watcher to have seen them all (so
     * that no backlog of a cold start is measured), then writes the rest.
     */
    private static Writes write(final Sink sink, final int samples, final long intervalNanos, final boolean park,
                                final Warm warm) throws IOException {
        final Writes w = new Writes(new long[samples + 1], new long[samples + 1]);
        long next = System.nanoTime();
        for (int i = 1; i <= samples; i++) {
            if (i == WatchChild.warmup(samples) + 1) {
                warm.await();
                next = System.nanoTime();
            }
            if (park) {
                LockSupport.parkNanos(intervalNanos); // at least that; a timer's slack more
            }
            while (System.nanoTime() < next) {
                Thread.onSpinWait();
            }
            w.began[i] = System.nanoTime();
            sink.write(i, w.began[i]);
            // the write's last stores may still wait in this CPU's store buffer, and the clock read would
            // not wait for them: "returned" must mean visible to the watcher's CPU, or "missed" miscounts
            VarHandle.fullFence();
            w.returned[i] = System.nanoTime();
            next = park ? 0 : next + intervalNanos;
        }
        return w;
    }

    /**
     * What the watcher noted: when it learnt of each change, the start of its last poll that found
     * nothing before that, and its stalls.
     */
    private record Sightings(long[] at, long[] emptyBefore, Stalls stalls) {
    }

    private static Sightings readSeen(final Path file, final int samples) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            final long[] at = new long[samples + 1];
            final long[] emptyBefore = new long[samples + 1];
            for (int i = 0; i <= samples; i++) {
                at[i] = in.readLong();
                emptyBefore[i] = in.readLong();
            }
            return new Sightings(at, emptyBefore, Stalls.readFrom(in));
        }
    }

    /** Percentiles per change and per wake-up (a wake-up is the last change seen at one moment). */
    private static String latencies(final Writes writes, final long[] seen) {
        final int samples = seen.length - 1;
        final Histogram perChange = new Histogram(100_000_000_000L, 3);
        final Histogram perWake = new Histogram(100_000_000_000L, 3);
        long wakes = 0;
        for (int i = 1; i <= samples; i++) {
            final boolean wake = i == samples || seen[i + 1] != seen[i];
            wakes += wake ? 1 : 0;
            if (i > WatchChild.warmup(samples)) {
                final long latency = Math.max(0, seen[i] - writes.began[i]);
                perChange.recordValue(latency);
                if (wake) {
                    perWake.recordValue(latency);
                }
            }
        }
        return String.format("%8.1f %8.1f %8.1f %8.1f %9.1f %7d | %8.1f %8.1f", micros(perChange, 50),
            micros(perChange, 90), micros(perChange, 99), micros(perChange, 99.9), perChange.getMaxValue() / 1e3, wakes,
            micros(perWake, 50), micros(perWake, 99));
    }

    /**
     * Late changes (seen more than 50 µs after their write began), and missed ones: a poll that began
     * after the change's write had returned found nothing new. A missed change is a delay in the
     * mechanism (the queue, the journal, the version word), whatever the scheduler did.
     */
    private static String late(final Writes writes, final Sightings seen) {
        final int samples = seen.at.length - 1;
        int late = 0;
        int missed = 0;
        long maxMissBy = 0;
        for (int i = WatchChild.warmup(samples) + 1; i <= samples; i++) {
            late += seen.at[i] - writes.began[i] > LATE_NANOS ? 1 : 0;
            if (seen.emptyBefore[i] > writes.returned[i]) {
                missed++;
                maxMissBy = Math.max(maxMissBy, seen.emptyBefore[i] - writes.returned[i]);
            }
        }
        if (missed > 0) { // printed above the mode's row
            System.out.printf("  (missed: the last empty poll began at most %,d ns after the write had returned)%n",
                maxMissBy);
        }
        return String.format("%6d %6d", late, missed);
    }

    /**
     * Latency of the changes during which both sides ran: the write took at most 20 µs and the watcher
     * never stopped polling (no gap over 20 µs from the write's start to the sighting). What the
     * mechanism costs when both threads have a CPU.
     */
    private static String whileRunning(final Writes writes, final long[] seen, final Stalls stalls) {
        final int samples = seen.length - 1;
        final Histogram h = new Histogram(100_000_000_000L, 3);
        for (int i = WatchChild.warmup(samples) + 1; i <= samples; i++) {
            if (writes.returned[i] - writes.began[i] <= Stalls.GAP_NANOS
                && !stalls.stalledBetween(writes.began[i], seen[i])) {
                h.recordValue(Math.max(0, seen[i] - writes.began[i]));
            }
        }
        return String.format("%7.1f %7.1f %7d", micros(h, 50), micros(h, 99), h.getTotalCount());
    }

    private static double micros(final Histogram h, final double percentile) {
        return h.getValueAtPercentile(percentile) / 1e3;
    }

    static void deleteTree(final Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
