package io.memoir.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The store's durable named cursors, in {@code cursors.dat}: fixed slots in a memory-mapped file, so
 * acknowledging is one ordered store (it survives the process, like every write, in the page cache).
 * A slot is claimed under an OS file lock (freed by the OS if its holder dies).
 *
 * <pre>
 * slot (64 bytes, {@value #SLOTS} slots):
 *  0                8          10                                         64
 * +-----------------+----------+-------------------------------------------+
 * | position (long) | name len | name (ASCII, at most {@value #MAX_NAME} bytes)   |
 * +-----------------+----------+-------------------------------------------+
 * position: the last acknowledged journal index, -1 before the first ack; name len 0: free slot
 * </pre>
 */
final class Cursors implements AutoCloseable {
    /** The file's name in the store directory. */
    static final String FILE = "cursors.dat";
    static final int SLOTS = 256;
    static final int SLOT_LENGTH = 64;
    static final int MAX_NAME = SLOT_LENGTH - 10;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_NAME + "}");
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final Path file;
    private final FileChannel channel;
    private final MappedByteBuffer buffer;

    private Cursors(final Path file, final FileChannel channel, final MappedByteBuffer buffer) {
        this.file = file;
        this.channel = channel;
        this.buffer = buffer;
    }

    static Cursors open(final Path dir) {
        final Path file = dir.resolve(FILE);
        try {
            createOwnerOnly(file);
            final FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            try {
                return new Cursors(file, ch, ch.map(FileChannel.MapMode.READ_WRITE, 0, (long) SLOTS * SLOT_LENGTH));
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open cursors file=" + file + ": " + e.getMessage(), e);
        }
    }

    private static void createOwnerOnly(final Path file) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FileModes.fileModeOf(file.getParent())));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            // another JVM created it first
        }
    }

    static void checkName(final String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad cursor name: name=" + name + " (1 to " + MAX_NAME
                + " characters from [A-Za-z0-9._-])");
        }
    }

    /** The slot offset of the cursor {@code name}, claimed if it has none. */
    int slot(final String name) {
        checkName(name);
        final int found = find(name);
        if (found >= 0) {
            return found;
        }
        // The file lock excludes other processes; the class lock other stores of this JVM (file locks
        // are per process: a second lock() from the same JVM would throw OverlappingFileLockException).
        synchronized (Cursors.class) {
            FileLock lock = null;
            try {
                lock = channel.lock();
                final int claimed = claim(name);
                if (claimed >= 0) {
                    return claimed;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lock cursors file=" + file + ": " + e.getMessage(), e);
            } finally {
                release(lock);
            }
        }
        throw new MemoirException.StoreFullException("no room for cursor name=" + name + ": all " + SLOTS
            + " cursor slots are used in file=" + file);
    }

    /** Finds or claims the slot of {@code name}; -1 if every slot is taken. File lock held. */
    private int claim(final String name) {
        final int again = find(name);
        if (again >= 0) {
            return again;
        }
        for (int i = 0; i < SLOTS; i++) {
            final int at = i * SLOT_LENGTH;
            if (buffer.getShort(at + 8) == 0) {
                LONGS.setRelease(buffer, at, -1L);
                final byte[] b = name.getBytes(StandardCharsets.US_ASCII);
                buffer.put(at + 10, b);
                VarHandle.releaseFence();
                buffer.putShort(at + 8, (short) b.length);
                return at;
            }
        }
        return -1;
    }

    private void release(final FileLock lock) {
        if (lock == null) {
            return;
        }
        try {
            lock.release();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unlock cursors file=" + file + ": " + e.getMessage(), e);
        }
    }

    private int find(final String name) {
        final byte[] want = name.getBytes(StandardCharsets.US_ASCII);
        final byte[] have = new byte[MAX_NAME];
        for (int i = 0; i < SLOTS; i++) {
            final int at = i * SLOT_LENGTH;
            final int len = buffer.getShort(at + 8);
            VarHandle.acquireFence();
            if (len == want.length) {
                buffer.get(at + 10, have, 0, len);
                if (Arrays.equals(have, 0, len, want, 0, len)) {
                    return at;
                }
            }
        }
        return -1;
    }

    long position(final int slot) {
        return (long) LONGS.getVolatile(buffer, slot);
    }

    /** Moves the position forward to {@code index}; never back. */
    void advance(final int slot, final long index) {
        long cur = position(slot);
        while (index > cur) {
            if (LONGS.compareAndSet(buffer, slot, cur, index)) {
                return;
            }
            cur = position(slot);
        }
    }

    /** Sets the position, forward or back. */
    void set(final int slot, final long index) {
        LONGS.setVolatile(buffer, slot, index);
    }

    void force() {
        buffer.force();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close cursors file=" + file + ": " + e.getMessage(), e);
        }
    }
}
