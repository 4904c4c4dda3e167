package io.memoir.store;

import java.time.Duration;
import java.util.Objects;

/**
 * Delivers the changes a {@link Watch} asks for, in journal order, as they are made by any JVM:
 * {@link #poll()} without waiting, {@link #next(Duration)} waiting with the watch's {@link Backoff}.
 * Reads the journal (a Chronicle Queue tailer), so nothing is missed or conflated: every matching
 * entry comes once. Not thread-safe: one thread uses a watcher; close it when done.
 */
public final class Watcher implements AutoCloseable {
    private final Watch watch;
    private final JournalReader reader;
    private final Cursor cursor;
    private final Backoff.Idler idler;
    private long skipUpTo;
    private long lastIndex = -1;

    Watcher(final Watch watch, final JournalReader reader, final long skipUpTo, final Cursor cursor) {
        this.watch = watch;
        this.reader = reader;
        this.skipUpTo = skipUpTo;
        this.cursor = cursor;
        this.idler = watch.backoff.idler();
    }

    /**
     * The next matching change, if one has been made.
     *
     * @return the change, or null if there is none yet
     */
    public JournalEntry poll() {
        while (true) {
            final JournalEntry e = reader.next();
            if (e == null) {
                return null;
            }
            if (e.index() <= skipUpTo || !watch.matches(e)) {
                continue;
            }
            skipUpTo = e.index();
            lastIndex = e.index();
            return e;
        }
    }

    /**
     * The next matching change, waiting for it up to {@code timeout}.
     *
     * @param timeout how long to wait at most
     * @return the change, or null if none came in time (or the thread was interrupted)
     */
    public JournalEntry next(final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        idler.reset();
        while (true) {
            final JournalEntry e = poll();
            if (e != null || System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                return e;
            }
            idler.idle();
        }
    }

    /**
     * Acknowledges {@code change} and everything before it to the watch's durable cursor.
     *
     * @param change a change this watcher delivered
     * @throws IllegalStateException if the watch has no cursor
     */
    public void ack(final JournalEntry change) {
        Objects.requireNonNull(change, "change");
        if (cursor == null) {
            throw new IllegalStateException("this watch has no cursor to acknowledge to: " + watch
                + " (use Watch.cursor(name))");
        }
        cursor.ack(change.index());
    }

    /**
     * The journal index of the last change delivered.
     *
     * @return the index, or -1 if none yet
     */
    public long lastIndex() {
        return lastIndex;
    }

    /**
     * The durable cursor of this watch.
     *
     * @return the cursor, or null if the watch has none
     */
    public Cursor cursor() {
        return cursor;
    }

    void handOver() {
        reader.handOver();
    }

    Backoff backoff() {
        return watch.backoff;
    }

    @Override
    public void close() {
        reader.close();
    }

    @Override
    public String toString() {
        return "Watcher{" + watch + ", lastIndex=0x" + Long.toHexString(lastIndex) + "}";
    }
}
