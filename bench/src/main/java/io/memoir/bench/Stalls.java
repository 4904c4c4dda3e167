package io.memoir.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * The moments a polling thread was not polling: each gap of more than {@value #GAP_NANOS} ns between
 * two consecutive polls (descheduled, stopped by the JVM, or inside one slow poll, e.g. a region read
 * waiting for a preempted writer). Used to tell why a change was seen late: because the watcher was
 * not polling, or in spite of it polling.
 */
final class Stalls {
    static final long GAP_NANOS = 20_000;
    private static final int MAX = 1 << 20;

    private final long[] starts;
    private final long[] ends;
    private int count;
    private long last = System.nanoTime();

    private Stalls(final long[] starts, final long[] ends, final int count) {
        this.starts = starts;
        this.ends = ends;
        this.count = count;
    }

    /** An empty record, for the polling thread. */
    static Stalls recorder() {
        return new Stalls(new long[MAX], new long[MAX], 0);
    }

    /**
     * Call before each poll: notes a gap since the previous call.
     *
     * @return the time now
     */
    long tick() {
        final long now = System.nanoTime();
        if (now - last > GAP_NANOS && count < MAX) {
            starts[count] = last;
            ends[count++] = now;
        }
        last = now;
        return now;
    }

    /** Whether the thread was not running at some time between {@code from} and {@code to}. */
    boolean stalledBetween(final long from, final long to) {
        int i = Arrays.binarySearch(ends, 0, count, from);
        i = i < 0 ? -i - 1 : i;
        return i < count && starts[i] < to;
    }

    void writeTo(final DataOutputStream out) throws IOException {
        out.writeInt(count);
        for (int i = 0; i < count; i++) {
            out.writeLong(starts[i]);
            out.writeLong(ends[i]);
        }
    }

    static Stalls readFrom(final DataInputStream in) throws IOException {
        final int count = in.readInt();
        final long[] starts = new long[count];
        final long[] ends = new long[count];
        for (int i = 0; i < count; i++) {
            starts[i] = in.readLong();
            ends[i] = in.readLong();
        }
        return new Stalls(starts, ends, count);
    }
}
