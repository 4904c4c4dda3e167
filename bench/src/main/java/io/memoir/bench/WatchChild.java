package io.memoir.bench;

import io.memoir.store.Backoff;
import io.memoir.store.JournalEntry;
import io.memoir.store.Region;
import io.memoir.store.Store;
import io.memoir.store.Subscription;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The watcher JVM of {@link WatchLatency}: prints READY, notes when it first learns of each change
 * (printing WARM once it has seen the warm-up changes),
 * writes those times, the start of the last poll that found nothing before each sighting, and its
 * own stalls to {@value #SEEN_FILE}, then prints
 * DONE with its CPU wait. Busy-spinning modes poll in this class's loop ({@link Watcher#poll()}, or
 * {@link Store#await} with a zero timeout, then {@link Thread#onSpinWait()}: what {@code next} and
 * {@code await} do with {@link Backoff#busySpin()}), so that the loop can note its stalls; mode
 * {@code queue} tails a plain Chronicle Queue the same way.
 */
public final class WatchChild {
    static final String TAG = "tick";
    static final String SEEN_FILE = "seen.bin";
    static final String QUEUE_DIR = "queue";
    static final String SUBSCRIBE = "subscribe";
    private static final Duration GIVE_UP = Duration.ofSeconds(30);

    private final Store store;
    private final long[] seen;
    private final long[] emptyBefore;
    private final Stalls stalls;
    private final ByteBuffer payload = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
    private int seq;
    private long lastEmpty;

    private WatchChild(final Store store, final long[] seen, final long[] emptyBefore, final Stalls stalls) {
        this.store = store;
        this.seen = seen;
        this.emptyBefore = emptyBefore;
        this.stalls = stalls;
    }

    /**
     * Runs the watcher.
     *
     * @param args store directory, mode, number of changes, the CPU to bind the watching thread to (-1:
     *             wherever the scheduler puts it)
     * @throws IOException if the times cannot be written
     */
    public static void main(final String[] args) throws IOException, InterruptedException {
        final Path dir = Path.of(args[0]);
        final String mode = args[1];
        final int samples = Integer.parseInt(args[2]);
        final int cpu = Integer.parseInt(args[3]);
        if (cpu >= 0 && !mode.equals(SUBSCRIBE)) {
            Placement.bindThisThread(cpu);
        }
        final long[] seen = new long[samples + 1];
        final long[] emptyBefore = new long[samples + 1];
        final Stalls stalls = Stalls.recorder();
        final String cpuWait;
        if (mode.equals("queue")) {
            cpuWait = tailQueue(dir.resolve(QUEUE_DIR), seen, emptyBefore, stalls);
        } else {
            try (Store store = Store.open(dir)) {
                final WatchChild child = new WatchChild(store, seen, emptyBefore, stalls);
                cpuWait = mode.equals(SUBSCRIBE) ? child.subscribe(cpu) : child.watch(mode);
            }
        }
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
            Files.newOutputStream(dir.resolve(SEEN_FILE))))) {
            for (int i = 0; i < seen.length; i++) {
                out.writeLong(seen[i]);
                out.writeLong(emptyBefore[i]);
            }
            stalls.writeTo(out);
        }
        System.out.println("DONE " + cpuWait);
    }

    /** The number of warm-up changes: the first 20 %. */
    static int warmup(final int samples) {
        return samples / 5;
    }

    /** Tells the writer once every warm-up change has been seen. */
    private static void noteWarm(final int seq, final int samples) {
        if (seq == warmup(samples)) {
            System.out.println("WARM");
            System.out.flush();
        }
    }

    private static void ready() {
        System.out.println("READY");
        System.out.flush();
    }

    /** Chronicle Queue alone: a busy-spinning tailer from the queue's start (sequence 0 is a marker). */
    private static String tailQueue(final Path queueDir, final long[] seen, final long[] emptyBefore,
                                    final Stalls stalls) {
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(queueDir).build()) {
            final ExcerptTailer tailer = queue.createTailer();
            ready();
            final CpuTime cpu = CpuTime.ofThisThread();
            long lastNews = System.nanoTime();
            long lastEmpty = 0;
            for (int seq = 0; seq < seen.length - 1; ) {
                final long polled = stalls.tick();
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (dc.isPresent()) {
                        seq = (int) dc.wire().bytes().readLong();
                        seen[seq] = System.nanoTime();
                        emptyBefore[seq] = lastEmpty;
                        lastNews = seen[seq];
                        noteWarm(seq, seen.length - 1);
                    } else {
                        lastEmpty = polled;
                    }
                }
                giveUpAfterSilence(lastNews, seq, "queue");
                Thread.onSpinWait();
            }
            stalls.tick(); // the last poll's own time
            return cpu.waitShare();
        }
    }

    private static void giveUpAfterSilence(final long lastNews, final int seq, final String mode) {
        if (System.nanoTime() - lastNews > GIVE_UP.toNanos()) {
            throw new IllegalStateException("no change for " + GIVE_UP + " after sequence " + seq + ", mode=" + mode);
        }
    }

    private String watch(final String mode) {
        final boolean busy = !mode.endsWith("-default");
        final boolean journal = mode.startsWith("journal");
        final Region region = store.region(TAG);
        try (Watcher w = store.watch(Watch.tag(TAG).backoff(busy ? Backoff.busySpin() : Backoff.DEFAULT))) {
            ready();
            final CpuTime cpu = CpuTime.ofThisThread();
            long version = region.version();
            long lastNews = System.nanoTime();
            while (seq < seen.length - 1) {
                final long polled = stalls.tick();
                boolean news = false;
                if (journal) {
                    final JournalEntry e = busy ? w.poll() : w.next(GIVE_UP);
                    if (e != null) {
                        seenUpTo(payload.clear().put(e.data(), 0, 16));
                        news = true;
                    }
                } else {
                    final long v = store.await(TAG, version, busy ? Duration.ZERO : GIVE_UP, Backoff.DEFAULT);
                    if (v > version) {
                        version = v;
                        region.read(0, payload.array(), 0, 16);
                        seenUpTo(payload);
                        news = true;
                    }
                }
                if (news) {
                    lastNews = System.nanoTime();
                } else {
                    lastEmpty = polled;
                }
                giveUpAfterSilence(lastNews, seq, mode);
                Thread.onSpinWait();
            }
            stalls.tick(); // the last poll's own time
            return cpu.waitShare();
        }
    }

    /**
     * Mode {@code subscribe}: what a user's low-latency subscriber does, a busy-spinning
     * {@link Store#subscribe} whose spec binds its thread to {@code cpu} (if not -1). Its polls are
     * Memoir's own, so no stalls or empty polls are noted; the CPU wait is the subscription thread's,
     * from its first change on.
     */
    private String subscribe(final int cpu) throws InterruptedException {
        final Watch spec = Watch.tag(TAG).backoff(Backoff.busySpin());
        final CountDownLatch done = new CountDownLatch(1);
        final CpuTime[] cpuTime = new CpuTime[1];
        final String[] cpuWait = new String[1];
        final AtomicInteger delivered = new AtomicInteger(); // seq, for this thread
        try (Subscription s = store.subscribe(cpu < 0 ? spec : spec.cpu(cpu), e -> {
            if (cpuTime[0] == null) {
                cpuTime[0] = CpuTime.ofThisThread();
            }
            seenUpTo(payload.clear().put(e.data(), 0, 16));
            delivered.lazySet(seq);
            if (seq == seen.length - 1) {
                cpuWait[0] = cpuTime[0].waitShare();
                done.countDown();
            }
        })) {
            ready();
            int before = -1;
            long lastNews = System.nanoTime();
            while (!done.await(1, TimeUnit.SECONDS)) {
                if (!s.isRunning()) {
                    throw new IllegalStateException("the subscription stopped after sequence " + delivered.get(),
                        s.failure().orElse(null));
                }
                if (delivered.get() != before) {
                    before = delivered.get();
                    lastNews = System.nanoTime();
                }
                giveUpAfterSilence(lastNews, before, SUBSCRIBE);
            }
        }
        return cpuWait[0];
    }

    /** Every change up to the one in {@code b} is known from now (await conflates: several at once). */
    private void seenUpTo(final ByteBuffer b) {
        final long now = System.nanoTime();
        final int to = (int) b.getLong(0);
        for (int k = seq + 1; k <= to; k++) {
            seen[k] = now;
            emptyBefore[k] = lastEmpty;
            noteWarm(k, seen.length - 1);
        }
        seq = Math.max(seq, to);
    }
}
