package io.memoir.bench;

import io.memoir.store.Backoff;
import io.memoir.store.JournalEntry;
import io.memoir.store.JvmFlags;
import io.memoir.store.Region;
import io.memoir.store.Store;
import io.memoir.store.Watch;
import io.memoir.store.Watcher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Cross-JVM watch latency: this JVM writes a timestamp into a region every {@code intervalMicros};
 * a watcher in a child JVM wakes up on each change and records {@code System.nanoTime()} minus the
 * timestamp (one monotonic clock for every process on the machine) in an HdrHistogram.
 *
 * <p>Modes, run side by side: {@code await} ({@link Store#await} polling the version in shared
 * memory), {@code journal} (a {@link Watcher} tailing the journal), each with a busy-spinning watcher,
 * and {@code await-default} with {@link Backoff#DEFAULT}.
 *
 * <pre>mvn -q -pl bench exec:exec -Dbench.main=io.memoir.bench.WatchLatency -Dbench.args="100000 20 [modes]"</pre>
 */
public final class WatchLatency {
    private static final String TAG = "tick";

    private WatchLatency() {
    }

    public static void main(final String[] args) throws Exception {
        final int samples = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        final int intervalMicros = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        System.out.printf("cross-JVM watch latency: %,d changes, one every %d us, first 20%% discarded%n",
            samples, intervalMicros);
        System.out.printf("%-14s %10s %10s %10s %10s %10s %9s%n", "mode", "p50 us", "p90 us", "p99 us", "p99.9 us",
            "max us", "seen");
        final List<String> modes = args.length > 2 ? List.of(args[2].split(",")) : List.of("await", "journal",
            "await-default");
        for (String mode : modes) {
            final Path dir = Files.createTempDirectory("memoir-watch-");
            try {
                System.out.println(run(dir, mode, samples, intervalMicros));
            } finally {
                deleteTree(dir);
            }
        }
    }

    private static String run(final Path dir, final String mode, final int samples, final int intervalMicros)
        throws Exception {
        try (Store store = Store.open(dir)) {
            final Region region = store.region(TAG, 16);
            final List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.addAll(JvmFlags.required());
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName(), dir.toString(), mode,
                Integer.toString(samples)));
            final Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
                String line = out.readLine();
                while (line != null && !line.equals("READY")) {
                    line = out.readLine();
                }
                final ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
                final long interval = intervalMicros * 1_000L;
                long next = System.nanoTime();
                for (int i = 1; i <= samples; i++) {
                    while (System.nanoTime() < next) {
                        Thread.onSpinWait();
                    }
                    b.putLong(0, i).putLong(8, System.nanoTime());
                    region.write(0, b.array());
                    next += interval;
                }
                final String result = out.readLine();
                child.waitFor();
                return String.format("%-14s %s", mode, result);
            } finally {
                child.destroyForcibly();
            }
        }
    }

    /** The watcher JVM: prints READY, then one line of percentiles after the last change. */
    public static final class Child {
        public static void main(final String[] args) {
            final String mode = args[1];
            final int samples = Integer.parseInt(args[2]);
            final Histogram h = new Histogram(10_000_000_000L, 3);
            final int warmup = samples / 5;
            final byte[] buf = new byte[16];
            final ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());
            long seen = 0;
            try (Store store = Store.open(Path.of(args[0]))) {
                final Region region = store.region(TAG);
                final Backoff backoff = mode.equals("await-default") ? Backoff.DEFAULT : Backoff.busySpin();
                try (Watcher w = store.watch(Watch.tag(TAG).backoff(backoff))) {
                    System.out.println("READY");
                    System.out.flush();
                    long seq = 0;
                    long version = region.version();
                    while (seq < samples) {
                        if (mode.equals("journal")) {
                            final JournalEntry e = w.next(Duration.ofSeconds(30));
                            if (e == null) {
                                break;
                            }
                            System.arraycopy(e.data(), 0, buf, 0, 16);
                        } else {
                            final long v = store.await(TAG, version, Duration.ofSeconds(30), backoff);
                            if (v <= version) {
                                break;
                            }
                            version = v;
                            region.read(0, buf, 0, 16);
                        }
                        final long now = System.nanoTime();
                        seq = b.getLong(0);
                        seen++;
                        if (seq > warmup) {
                            h.recordValue(Math.max(0, now - b.getLong(8)));
                        }
                    }
                }
            }
            System.out.printf("%10.1f %10.1f %10.1f %10.1f %10.1f %9d%n", h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(90) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3,
                h.getMaxValue() / 1e3, seen);
        }
    }

    static void deleteTree(final Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
