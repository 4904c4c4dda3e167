package io.memoir.store;

import static net.openhft.chronicle.core.UnsafeMemory.MEMORY;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import net.openhft.chronicle.core.Jvm;

/**
 * The store's control file {@code memoir.ctl}: the store-wide map lock and the intent of its holder.
 *
 * <pre>
 *   0  magic  "MEMOIRCT" (long)
 *   8  map lock word (owner token, 0 = free)
 *  16  last record id handed out (long; changed only under the map lock)
 *  24  intent: length of the tag being changed under the map lock (int, 0 = none)
 *  32  intent: tag bytes, UTF-8, up to MAX_TAG_BYTES
 * </pre>
 *
 * <p>Every Chronicle Map operation of every process happens under the map lock, so when its holder
 * dies, any segment lock still held in the map was held by that process and can be reset, and the
 * intent names the one tag whose change may be half done.
 */
final class ControlFile implements AutoCloseable {
    static final String FILE_NAME = "memoir.ctl";
    static final int SIZE = 4096;
    private static final long MAGIC = 0x5443_5249_4f4d_454dL; // "MEMOIRCT" little-endian
    private static final int MAGIC_OFFSET = 0;
    private static final int MAP_LOCK_OFFSET = 8;
    private static final int RECORD_ID_OFFSET = 16;
    private static final int INTENT_LENGTH_OFFSET = 24;
    private static final int INTENT_TAG_OFFSET = 32;

    private static final String CONTROL_HINT = " (it holds only locks and counters: with no process using the store,"
        + " delete it and open the store again)";

    private final Path file;
    private final ByteBuffer buffer;
    private final long address;

    private ControlFile(final Path file, final ByteBuffer buffer) {
        this.file = file;
        this.buffer = buffer;
        this.address = Jvm.address(buffer);
    }

    static ControlFile open(final Path dir, final boolean create) {
        final Path file = dir.resolve(FILE_NAME);
        try (FileChannel ch = create
            ? FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)
            : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (ch.size() < SIZE) {
                if (ch.size() != 0) {
                    throw new MemoirException.CorruptStoreException("control file is truncated: file=" + file
                        + ", size=" + ch.size() + ", expected=" + SIZE + CONTROL_HINT);
                }
                ch.write(java.nio.ByteBuffer.wrap(new byte[] {0}), SIZE - 1);
            }
            final ControlFile control = new ControlFile(file, ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE));
            control.initMagic();
            return control;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open control file=" + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A private control block in this process's memory, for a store whose files it does not open: a
     * read-only open served from the journal ({@link JournalFollower}).
     */
    static ControlFile inMemory(final Path dir) {
        final ControlFile control = new ControlFile(dir.resolve(FILE_NAME), ByteBuffer.allocateDirect(SIZE));
        control.initMagic();
        return control;
    }

    private void initMagic() {
        final long magic = MEMORY.readVolatileLong(address + MAGIC_OFFSET);
        if (magic == 0L) {
            MEMORY.compareAndSwapLong(address + MAGIC_OFFSET, 0L, MAGIC);
        } else if (magic != MAGIC) {
            throw new MemoirException.CorruptStoreException("control file has a bad magic number: file=" + file
                + ", magic=0x" + Long.toHexString(magic) + CONTROL_HINT);
        }
    }

    long mapLockAddress() {
        return address + MAP_LOCK_OFFSET;
    }

    /** The last record id handed out: it changes whenever any record is installed. */
    long recordIdsVolatile() {
        return MEMORY.readVolatileLong(address + RECORD_ID_OFFSET);
    }

    /** A new record id; call only under the map lock. Never 0. */
    long nextRecordId() {
        final long id = MEMORY.readVolatileLong(address + RECORD_ID_OFFSET) + 1;
        MEMORY.writeOrderedLong(address + RECORD_ID_OFFSET, id);
        return id;
    }

    /** Records, under the map lock, which tag is about to change. */
    void intent(final String tag) {
        final byte[] bytes = tag.getBytes(StandardCharsets.UTF_8);
        Memory.copy(bytes, 0, address + INTENT_TAG_OFFSET, bytes.length);
        MEMORY.writeOrderedInt(address + INTENT_LENGTH_OFFSET, bytes.length);
    }

    void clearIntent() {
        MEMORY.writeOrderedInt(address + INTENT_LENGTH_OFFSET, 0);
    }

    /** The tag a dead map-lock holder was changing, or null. */
    String intent() {
        final int len = MEMORY.readVolatileInt(address + INTENT_LENGTH_OFFSET);
        if (len <= 0 || len > Tags.MAX_TAG_BYTES) {
            return null;
        }
        final byte[] bytes = new byte[len];
        Memory.copy(address + INTENT_TAG_OFFSET, bytes, 0, len);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    Path file() {
        return file;
    }

    @Override
    public void close() {
        // The mapping is released with the buffer; keep a reference until here.
        buffer.clear();
    }
}
