package io.memoir.bench;

import io.memoir.store.Backoff;
import io.memoir.store.JournalEntry;
import io.memoir.store.Region;
import io.memoir.store.Store;
import io.memoir.store.Watch;
import io.memoir.store.Watcher;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The watcher JVM of {@link WatchLatency}: prints READY, notes when it first learns of each change,
 * writes those times (and, when busy-spinning, its own stalls) to {@value #SEEN_FILE}, then prints
 * DONE with its CPU wait. Busy-spinning modes poll in this class's loop ({@link Watcher#poll()}, or
 * {@link Store#await} with a zero timeout, then {@link Thread#onSpinWait()}: what {@code next} and
 * {@code await} do with {@link Backoff#busySpin()}), so that the loop can note its stalls.
 */
public final class WatchChild {
    static final String TAG = "tick";
    static final String SEEN_FILE = "seen.bin";
    private static final Duration GIVE_UP = Duration.ofSeconds(30);

    private final Store store;
    private final long[] seen;
    private final Stalls stalls = Stalls.recorder();
    private final ByteBuffer payload = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
    private int seq;

    private WatchChild(final Store store, final int samples) {
        this.store = store;
        this.seen = new long[samples + 1];
    }

    /**
     * Runs the watcher.
     *
     * @param args store directory, mode, number of changes
     * @throws IOException if the times cannot be written
     */
    public static void main(final String[] args) throws IOException {
        final Path dir = Path.of(args[0]);
        final String mode = args[1];
        final WatchChild child;
        final String cpuWait;
        try (Store store = Store.open(dir)) {
            child = new WatchChild(store, Integer.parseInt(args[2]));
            final boolean busy = !mode.endsWith("-default");
            try (Watcher w = store.watch(Watch.tag(TAG).backoff(busy ? Backoff.busySpin() : Backoff.DEFAULT))) {
                System.out.println("READY");
                System.out.flush();
                final CpuTime cpu = CpuTime.ofThisThread();
                child.watch(mode, w, busy);
                cpuWait = cpu.waitShare();
            }
        }
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
            Files.newOutputStream(dir.resolve(SEEN_FILE))))) {
            for (long t : child.seen) {
                out.writeLong(t);
            }
            child.stalls.writeTo(out);
        }
        System.out.println("DONE " + cpuWait);
    }

    private void watch(final String mode, final Watcher w, final boolean busy) {
        final boolean journal = mode.startsWith("journal");
        final Region region = store.region(TAG);
        long version = region.version();
        long lastNews = System.nanoTime();
        while (seq < seen.length - 1) {
            stalls.tick();
            if (journal) {
                final JournalEntry e = busy ? w.poll() : w.next(GIVE_UP);
                if (e != null) {
                    seenUpTo(payload.clear().put(e.data(), 0, 16));
                    lastNews = System.nanoTime();
                }
            } else {
                final long v = store.await(TAG, version, busy ? Duration.ZERO : GIVE_UP, Backoff.DEFAULT);
                if (v > version) {
                    version = v;
                    region.read(0, payload.array(), 0, 16);
                    seenUpTo(payload);
                    lastNews = System.nanoTime();
                }
            }
            if (System.nanoTime() - lastNews > GIVE_UP.toNanos()) {
                throw new IllegalStateException("no change for " + GIVE_UP + " after sequence " + seq + ", mode=" + mode);
            }
            Thread.onSpinWait();
        }
    }

    /** Every change up to the one in {@code b} is known from now (await conflates: several at once). */
    private void seenUpTo(final ByteBuffer b) {
        final long now = System.nanoTime();
        final int to = (int) b.getLong(0);
        for (int k = seq + 1; k <= to; k++) {
            seen[k] = now;
        }
        seq = Math.max(seq, to);
    }
}
