package io.memoir.store;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.WireIn;

/**
 * Reads journal entries in order, from any index, and sees entries appended by any process as soon
 * as they are complete. Never blocks: {@link #next()} returns null when there is nothing more yet.
 * Not thread-safe; close it when done.
 */
public final class JournalReader implements AutoCloseable {
    private final ExcerptTailer tailer;
    private final String where;
    private final Bytes<?> scratch = Bytes.allocateElasticOnHeap(256);
    private final JournalFields.Checksum crc = new JournalFields.Checksum();
    private JournalEntryDecoder fast = new JournalEntryDecoder();
    /** How many entries the fast path left to Chronicle Wire (for tests). */
    long byName;

    JournalReader(final ExcerptTailer tailer, final String where) {
        this.tailer = tailer;
        this.where = where;
    }

    /**
     * The next entry, or null if there is none yet.
     *
     * @return the entry, or null
     * @throws MemoirException.CorruptStoreException if the entry cannot be decoded
     */
    public JournalEntry next() {
        while (true) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return null;
                }
                if (dc.isMetaData()) {
                    continue;
                }
                return decode(dc.index(), dc.wire());
            }
        }
    }

    /** For tests: decode every entry through Chronicle Wire by field name, as before the fast path. */
    JournalReader byNameOnly() {
        fast = null;
        return this;
    }

    private JournalEntry decode(final long index, final WireIn wire) {
        if (fast == null) {
            return decodeByName(index, wire);
        }
        try {
            final JournalEntry entry = fast.decode(index, wire.bytes());
            if (fast.hasCrc) {
                checkCrc(entry, fast.crc);
            }
            return entry;
        } catch (JournalEntryDecoder.Unexpected e) {
            byName++;
            return decodeByName(index, wire); // not in the form Memoir writes today: Chronicle Wire reads it
        }
    }

    private JournalEntry decodeByName(final long index, final WireIn wire) {
        try {
            final long time = wire.read(JournalFields.TIME).int64();
            final String tag = wire.read(JournalFields.TAG).text();
            final String op = wire.read(JournalFields.OP).text();
            final long version = wire.read(JournalFields.VERSION).int64();
            final long offset = wire.read(JournalFields.OFFSET).int64();
            final int length = wire.read(JournalFields.LENGTH).int32();
            final int writer = wire.read(JournalFields.WRITER).int32();
            scratch.clear();
            wire.read(JournalFields.DATA).bytes(scratch);
            if (tag == null || op == null) {
                throw new IllegalStateException("missing tag or op");
            }
            final JournalEntry entry = new JournalEntry(index, time, tag, Op.valueOf(op), version, offset, length,
                writer, scratch.toByteArray());
            if (wire.bytes().readRemaining() > 0) {
                checkCrc(entry, wire.read(JournalFields.CRC).int32());
            }
            return entry;
        } catch (MemoirException.CorruptStoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MemoirException.CorruptStoreException("cannot decode journal entry: journal=" + where
                + ", index=0x" + Long.toHexString(index) + ": " + e, e);
        }
    }

    private void checkCrc(final JournalEntry e, final int stored) {
        final int computed = crc.of(e.time(), e.tag(), e.op(), e.version(), e.offset(), e.length(),
            e.writer(), e.data(), 0, e.data().length);
        if (computed != stored) {
            throw new MemoirException.CorruptStoreException("journal entry is damaged (checksum mismatch): journal="
                + where + ", index=0x" + Long.toHexString(e.index()) + ", tag=" + e.tag() + ", crc=0x"
                + Integer.toHexString(stored) + ", computed=0x" + Integer.toHexString(computed));
        }
    }

    /**
     * Positions the reader so that {@link #next()} returns the entry at {@code index}.
     *
     * @param index a journal index
     * @return false if there is no entry at that index (the position is then unchanged)
     */
    public boolean moveToIndex(final long index) {
        return tailer.moveToIndex(index);
    }

    /** Positions the reader after the last entry: {@link #next()} returns only new entries. */
    public void toEnd() {
        tailer.toEnd();
    }

    /**
     * The index of the entry {@link #next()} reads next.
     *
     * @return the index
     */
    public long index() {
        return tailer.index();
    }

    /** Lets another thread use this reader from now on (Chronicle checks tailers are single-threaded). */
    void handOver() {
        tailer.singleThreadedCheckReset();
    }

    @Override
    public void close() {
        tailer.close();
    }
}
