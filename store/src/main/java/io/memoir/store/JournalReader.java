package io.memoir.store;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.WireIn;

/**
 * Reads journal entries in order, from any index, and sees entries appended by any process as soon
 * as they are complete. Never blocks: {@link #next()} returns null when there is nothing more yet.
 * Not thread-safe; close it when done.
 *
 * <p>A put journaled as a {@link Op#PATCH} (only the span that changed) or a {@link Op#SPLICE} (the
 * edits from the content before) is handed out as the
 * {@link Op#PUT} it was, with the whole content: the reader keeps the last whole content of each tag
 * it has read, and for a tag it has not, reads back through the journal to the tag's last whole entry
 * (at most {@link RecordDescriptor#PATCH_RUN} of the tag's entries back).
 */
public final class JournalReader implements AutoCloseable {
    /** Above this many bytes of kept contents, the reader forgets them all (and reads back again when needed). */
    private static final long KEPT_MAX_BYTES = 64L << 20;
    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final String where;
    /** The last whole content read of each tag whose last entry was a put, by tag. */
    private final Map<String, Kept> kept = new HashMap<>();
    private long keptBytes;
    private final Bytes<?> scratch = Bytes.allocateElasticOnHeap(256);
    private final JournalFields.Checksum crc = new JournalFields.Checksum();
    private JournalEntryDecoder fast = new JournalEntryDecoder();
    /** How many entries the fast path left to Chronicle Wire (for tests). */
    long byName;
    /** For tests: hand entries out as journaled, a patch as a {@link Op#PATCH}. */
    private boolean asJournaled;

    /** A tag's whole content at a version. */
    private record Kept(long version, byte[] content) {
    }

    JournalReader(final SingleChronicleQueue queue, final String where) {
        this.queue = queue;
        this.tailer = queue.createTailer();
        this.where = where;
    }

    /**
     * The next entry, or null if there is none yet.
     *
     * @return the entry, or null
     * @throws MemoirException.CorruptStoreException if the entry cannot be decoded, or a patch's
     *                                               earlier entries are missing or inconsistent
     */
    public JournalEntry next() {
        final JournalEntry e = nextAsJournaled(tailer);
        return e == null || asJournaled ? e : whole(e);
    }

    /** For tests: hand entries out as they are in the journal, a patch as a {@link Op#PATCH}. */
    JournalReader asJournaled() {
        asJournaled = true;
        return this;
    }

    /** The next entry as it is in the journal (a {@link Op#PATCH} as such), or null if there is none. */
    private JournalEntry nextAsJournaled(final ExcerptTailer from) {
        while (true) {
            try (DocumentContext dc = from.readingDocument()) {
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

    /** The entry as readers see it: a patch becomes the whole put it was; keeps track of whole contents. */
    private JournalEntry whole(final JournalEntry e) {
        switch (e.op()) {
            case PUT:
                keep(e.tag(), e.version(), e.data());
                return e;
            case PATCH:
            case SPLICE:
                final byte[] content = rebuilt(before(e), e);
                keep(e.tag(), e.version(), content);
                return new JournalEntry(e.index(), e.time(), e.tag(), Op.PUT, e.version(), 0, content.length,
                    e.writer(), content);
            default: // the content changed in another way: read back if a patch follows
                if (!kept.isEmpty()) {
                    final Kept k = kept.remove(e.tag());
                    keptBytes -= k == null ? 0 : k.content.length;
                }
                return e;
        }
    }

    private void keep(final String tag, final long version, final byte[] content) {
        if (keptBytes + content.length > KEPT_MAX_BYTES) {
            kept.clear();
            keptBytes = 0;
        }
        final Kept old = kept.put(tag, new Kept(version, content));
        keptBytes += content.length - (old == null ? 0 : old.content.length);
    }

    /** The content {@code patch} applies to: its tag's at the version before, kept or read back. */
    private byte[] before(final JournalEntry patch) {
        final Kept k = kept.get(patch.tag());
        if (k != null && k.version == patch.version() - 1 && k.content.length == lengthBefore(patch)) {
            return k.content;
        }
        return readBack(patch);
    }

    /** The length of the content before a patch (its own) or a splice (its offset). */
    private static long lengthBefore(final JournalEntry patch) {
        return patch.op() == Op.SPLICE ? patch.offset() : patch.length();
    }

    /**
     * {@code base} with the patch's data at its offset or the splice's edits applied, as a new array (the
     * base may have been handed out).
     */
    private byte[] rebuilt(final byte[] base, final JournalEntry patch) {
        final byte[] data = patch.data();
        if (patch.op() == Op.SPLICE) {
            final byte[] spliced = base.length == patch.offset() ? Splice.apply(base, data, patch.length()) : null;
            if (spliced == null) {
                throw broken(patch, "the splice does not fit the content before it (length=" + base.length + ")");
            }
            return spliced;
        }
        if (base.length != patch.length() || patch.offset() < 0 || patch.offset() > base.length - data.length) {
            throw broken(patch, "the patch does not fit the content before it (length=" + base.length + ")");
        }
        final byte[] content = base.clone();
        System.arraycopy(data, 0, content, (int) patch.offset(), data.length);
        return content;
    }

    /**
     * The patch's tag's content at the version before it, from the journal: reads back to the tag's
     * last whole entry ({@link Op#PUT} or {@link Op#CREATE}), then applies it and the tag's later entries
     * as a replay does ({@link TagState#apply}).
     */
    private byte[] readBack(final JournalEntry patch) {
        final ArrayDeque<JournalEntry> chain = new ArrayDeque<>(); // oldest first
        try (ExcerptTailer back = queue.createTailer().direction(TailerDirection.BACKWARD)) {
            if (!back.moveToIndex(patch.index())) {
                throw broken(patch, "cannot read back from it");
            }
            long wanted = patch.version() - 1;
            boolean whole = false;
            while (!whole) {
                final JournalEntry e = nextAsJournaled(back);
                if (e == null) {
                    throw broken(patch, "the journal has no whole entry of the tag before it (version=" + wanted + ")");
                }
                if (e.index() >= patch.index() || !e.tag().equals(patch.tag())) {
                    continue;
                }
                if (e.version() != wanted) {
                    throw broken(patch, "found version=" + e.version() + " at index=0x" + Long.toHexString(e.index())
                        + " where version=" + wanted + " was expected");
                }
                if (e.op() == Op.DELETE) {
                    throw broken(patch, "the tag was deleted at index=0x" + Long.toHexString(e.index()));
                }
                chain.push(e);
                whole = e.op() == Op.PUT || e.op() == Op.CREATE;
                wanted--;
            }
        }
        final TagState st = new TagState(patch.tag());
        st.version = chain.getFirst().version() - 1;
        for (JournalEntry e : chain) {
            st.apply(e, where);
        }
        return st.content;
    }

    private MemoirException.CorruptStoreException broken(final JournalEntry patch, final String why) {
        return new MemoirException.CorruptStoreException("cannot rebuild the put journaled as a patch: journal="
            + where + ", index=0x" + Long.toHexString(patch.index()) + ", tag=" + patch.tag() + ", version="
            + patch.version() + ": " + why);
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
