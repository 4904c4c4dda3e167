package io.memoir.store;

import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * A store's journal: every mutation of every region, in order. Thread-safe: each method uses its
 * own tailer.
 */
public final class Journal {
    private final SingleChronicleQueue queue;
    private final String where;

    Journal(final SingleChronicleQueue queue, final String where) {
        this.queue = queue;
        this.where = where;
    }

    /**
     * A reader positioned at the first entry.
     *
     * @return a new reader; close it when done
     */
    public JournalReader reader() {
        return new JournalReader(queue, where);
    }

    /**
     * A reader positioned at {@code index}, or at the start when {@code index} is before the first
     * entry.
     *
     * @param index the first index to read
     * @return a new reader; close it when done
     * @throws IllegalArgumentException if there is no entry at {@code index} and it is not before the
     *                                  first or right after the last
     */
    public JournalReader readerFrom(final long index) {
        final JournalReader reader = reader();
        if (index <= queue.firstIndex()) {
            return reader;
        }
        if (index > queue.lastIndex()) {
            reader.toEnd();
            return reader;
        }
        if (!reader.moveToIndex(index)) {
            reader.close();
            throw new IllegalArgumentException("no journal entry at index=0x" + Long.toHexString(index)
                + " in journal=" + where);
        }
        return reader;
    }

    /**
     * The index of the first entry, or {@link Long#MAX_VALUE} when the journal is empty.
     *
     * @return the first index
     */
    public long firstIndex() {
        return queue.firstIndex();
    }

    /**
     * The index of the last entry, or -1 when the journal is empty.
     *
     * @return the last index
     */
    public long lastIndex() {
        return queue.lastIndex();
    }

    /**
     * Every entry of one tag, oldest first.
     *
     * @param tag the region's tag
     * @return its entries; empty if the tag never existed
     */
    public List<JournalEntry> history(final String tag) {
        Tags.check(tag);
        final List<JournalEntry> out = new ArrayList<>();
        try (JournalReader r = reader()) {
            for (JournalEntry e = r.next(); e != null; e = r.next()) {
                if (e.tag().equals(tag)) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /**
     * The index of the last entry made at or before {@code epochNanos}, or -1 if none. The journal
     * has no time index: this reads entries from the start.
     *
     * @param epochNanos a time, epoch nanoseconds
     * @return the last index at or before that time, or -1
     */
    public long lastIndexAtOrBefore(final long epochNanos) {
        long last = -1;
        try (JournalReader r = reader()) {
            for (JournalEntry e = r.next(); e != null && e.time() <= epochNanos; e = r.next()) {
                last = e.index();
            }
        }
        return last;
    }

    /**
     * Counts the entries.
     *
     * @return the number of entries in the journal
     */
    public long entryCount() {
        return queue.entryCount();
    }

    @Override
    public String toString() {
        return "Journal{" + where + "}";
    }
}
