package io.memoir.store;

import static io.memoir.store.RecordDescriptor.FLAGS_OFFSET;
import static io.memoir.store.RecordDescriptor.FLAG_DELETED;
import static io.memoir.store.RecordDescriptor.FORMAT_OFFSET;
import static io.memoir.store.RecordDescriptor.HEADER_LENGTH;
import static io.memoir.store.RecordDescriptor.LAST_INDEX_OFFSET;
import static io.memoir.store.RecordDescriptor.LAST_TIME_OFFSET;
import static io.memoir.store.RecordDescriptor.LENGTH_OFFSET;
import static io.memoir.store.RecordDescriptor.LOCK_OFFSET;
import static io.memoir.store.RecordDescriptor.PATCH_BUDGET_MASK;
import static io.memoir.store.RecordDescriptor.PATCH_BUDGET_SHIFT;
import static io.memoir.store.RecordDescriptor.RECORD_FORMAT;
import static io.memoir.store.RecordDescriptor.RECORD_ID_OFFSET;
import static io.memoir.store.RecordDescriptor.SEQ_OFFSET;
import static io.memoir.store.RecordDescriptor.VERSION_OFFSET;
import static io.memoir.store.RecordDescriptor.WRITER_OFFSET;
import static net.openhft.chronicle.core.UnsafeMemory.MEMORY;

import io.memoir.store.RegionTable.RecordRef;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads and writes region records in shared memory: the seqlock protocol. See {@link RecordDescriptor}. */
final class Records {
    private Records() {
    }

    /**
     * Writes {@code len} bytes in place and publishes the new version with the record's new
     * {@link #patchBudgetLocked patch budget}. The caller holds the record's lock and has checked the
     * bounds.
     */
    static void writeInPlace(final RecordRef r, final long version, final long offset, final byte[] src,
                             final int srcOffset, final int len, final long index, final long time,
                             final int writer, final int patchBudget) {
        final long a = r.address;
        final long seq = MEMORY.readLong(a + SEQ_OFFSET) & ~1L;
        MEMORY.writeOrderedLong(a + SEQ_OFFSET, seq + 1);
        MEMORY.storeFence();
        Memory.copy(src, srcOffset, a + HEADER_LENGTH + offset, len);
        MEMORY.writeLong(a + VERSION_OFFSET, version);
        MEMORY.writeLong(a + LAST_INDEX_OFFSET, index);
        MEMORY.writeLong(a + LAST_TIME_OFFSET, time);
        MEMORY.writeInt(a + WRITER_OFFSET, writer);
        MEMORY.writeInt(a + FLAGS_OFFSET, patchBudget << PATCH_BUDGET_SHIFT); // a live record: not deleted
        MEMORY.writeOrderedLong(a + SEQ_OFFSET, seq + 2);
    }

    /**
     * How many more in-place changes may be journaled without the whole content before a put must
     * journal it whole again (see {@link RecordDescriptor#PATCH_BUDGET_SHIFT}, which says what a new
     * record starts with); read it holding the record's lock.
     */
    static int patchBudgetLocked(final RecordRef r) {
        return (MEMORY.readInt(r.address + FLAGS_OFFSET) >>> PATCH_BUDGET_SHIFT) & PATCH_BUDGET_MASK;
    }

    /** The committed version; read it holding the record's lock. */
    static long versionLocked(final RecordRef r) {
        return MEMORY.readLong(r.address + VERSION_OFFSET);
    }

    static long seqVolatile(final RecordRef r) {
        return MEMORY.readVolatileLong(r.address + SEQ_OFFSET);
    }

    static long lastIndexLocked(final RecordRef r) {
        return MEMORY.readLong(r.address + LAST_INDEX_OFFSET);
    }

    /** Makes an odd sequence even again (after a repair that found nothing to apply). */
    static void settle(final RecordRef r) {
        final long seq = MEMORY.readVolatileLong(r.address + SEQ_OFFSET);
        if ((seq & 1L) != 0) {
            MEMORY.writeOrderedLong(r.address + SEQ_OFFSET, seq + 1);
        }
    }

    static long lockOwner(final RecordRef r) {
        return MEMORY.readVolatileLong(r.address + LOCK_OFFSET);
    }

    /**
     * Copies content under the seqlock.
     *
     * @return the sequence the copy is consistent with (even), or -1 if a writer interfered or the record
     *         is no longer current: retry
     */
    static long tryRead(final RecordRef r, final long offset, final byte[] dst, final int dstOffset, final int len) {
        final long a = r.address;
        final long s1 = MEMORY.readVolatileLong(a + SEQ_OFFSET);
        if ((s1 & 1L) != 0) {
            return -1;
        }
        Memory.copy(a + HEADER_LENGTH + offset, dst, dstOffset, len);
        MEMORY.loadFence();
        if (MEMORY.readVolatileLong(a + SEQ_OFFSET) != s1 || MEMORY.readVolatileLong(a + RECORD_ID_OFFSET) != r.recordId) {
            return -1;
        }
        return s1;
    }

    /**
     * Reads the header under the seqlock into {@code out}: version, lastIndex, lastTime, writer.
     *
     * @return false if a writer interfered or the record is no longer current: retry
     */
    static boolean tryHeader(final RecordRef r, final long[] out) {
        final long a = r.address;
        final long s1 = MEMORY.readVolatileLong(a + SEQ_OFFSET);
        if ((s1 & 1L) != 0) {
            return false;
        }
        out[0] = MEMORY.readLong(a + VERSION_OFFSET);
        out[1] = MEMORY.readLong(a + LAST_INDEX_OFFSET);
        out[2] = MEMORY.readLong(a + LAST_TIME_OFFSET);
        out[3] = MEMORY.readInt(a + WRITER_OFFSET);
        MEMORY.loadFence();
        return MEMORY.readVolatileLong(a + SEQ_OFFSET) == s1 && MEMORY.readVolatileLong(a + RECORD_ID_OFFSET) == r.recordId;
    }

    /**
     * Reads the version under the seqlock, without allocating.
     *
     * @return the version, or -1 if a writer interfered or the record is no longer current: retry
     */
    static long tryVersion(final RecordRef r) {
        final long a = r.address;
        final long s1 = MEMORY.readVolatileLong(a + SEQ_OFFSET);
        if ((s1 & 1L) != 0) {
            return -1;
        }
        final long version = MEMORY.readLong(a + VERSION_OFFSET);
        MEMORY.loadFence();
        return MEMORY.readVolatileLong(a + SEQ_OFFSET) == s1 && MEMORY.readVolatileLong(a + RECORD_ID_OFFSET) == r.recordId
            ? version : -1;
    }

    /**
     * Reads header and whole content under the seqlock into {@code state}.
     *
     * @return false if a writer interfered or the record is no longer current: retry
     */
    static boolean tryState(final RecordRef r, final TagState state) {
        return tryState(r, state, false);
    }

    /**
     * {@link #tryState(RecordRef, TagState)}; with {@code objectValue}, of an object's value only, without
     * the padding after it ({@link ObjectCodec#valueEnd(long, int)}).
     */
    static boolean tryState(final RecordRef r, final TagState state, final boolean objectValue) {
        final long a = r.address;
        final long s1 = MEMORY.readVolatileLong(a + SEQ_OFFSET);
        if ((s1 & 1L) != 0) {
            return false;
        }
        final int length = objectValue ? ObjectCodec.valueEnd(a + HEADER_LENGTH, r.length) : r.length;
        final byte[] content = new byte[length];
        Memory.copy(a + HEADER_LENGTH, content, 0, length);
        final long version = MEMORY.readLong(a + VERSION_OFFSET);
        final long lastIndex = MEMORY.readLong(a + LAST_INDEX_OFFSET);
        final long lastTime = MEMORY.readLong(a + LAST_TIME_OFFSET);
        final int writer = MEMORY.readInt(a + WRITER_OFFSET);
        MEMORY.loadFence();
        if (MEMORY.readVolatileLong(a + SEQ_OFFSET) != s1 || MEMORY.readVolatileLong(a + RECORD_ID_OFFSET) != r.recordId) {
            return false;
        }
        state.content = content;
        state.version = version;
        state.lastIndex = lastIndex;
        state.lastTime = lastTime;
        state.writer = writer;
        state.deleted = r.deleted;
        return true;
    }

    /** A record image for {@code state}, with an odd sequence (unpublished) and no lock. */
    static byte[] image(final TagState state, final long seqOdd, final long recordId) {
        return image(state, seqOdd, recordId, 0);
    }

    /** {@link #image(TagState, long, long)} of a live record with a {@link #patchBudgetLocked patch budget}. */
    static byte[] image(final TagState state, final long seqOdd, final long recordId, final int patchBudget) {
        final byte[] image = new byte[HEADER_LENGTH + state.content.length];
        final ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.nativeOrder());
        b.putLong(LOCK_OFFSET, 0L);
        b.putLong(SEQ_OFFSET, seqOdd | 1L);
        b.putLong(RECORD_ID_OFFSET, recordId);
        b.putLong(VERSION_OFFSET, state.version);
        b.putLong(LAST_INDEX_OFFSET, state.lastIndex);
        b.putLong(LAST_TIME_OFFSET, state.lastTime);
        b.putInt(LENGTH_OFFSET, state.content.length);
        b.putInt(WRITER_OFFSET, state.writer);
        b.putInt(FLAGS_OFFSET, state.deleted ? FLAG_DELETED : patchBudget << PATCH_BUDGET_SHIFT);
        b.putInt(FORMAT_OFFSET, RECORD_FORMAT);
        System.arraycopy(state.content, 0, image, HEADER_LENGTH, state.content.length);
        return image;
    }
}
