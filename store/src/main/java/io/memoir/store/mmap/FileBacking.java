package io.memoir.store.mmap;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@link Backing} over a plain file: a {@link MappedByteBuffer} from {@link FileChannel#map}.
 *
 * <p>{@code ACCESS_READ} maps {@code READ_ONLY}, {@code ACCESS_WRITE} and {@code ACCESS_DEFAULT}
 * map {@code READ_WRITE} ({@code MAP_SHARED}: other processes see writes at once), and
 * {@code ACCESS_COPY} maps {@code PRIVATE} ({@code MAP_PRIVATE}: copy-on-write, writes never reach
 * the file). One buffer holds at most {@code Integer.MAX_VALUE} bytes, hence
 * {@link Mmap#MAX_LENGTH}.
 *
 * <p>Before an access the map makes sure the file still covers the bytes touched, so that a page
 * the file no longer covers fails with {@code EFAULT} instead of {@code SIGBUS}: how, and at what
 * cost, is the {@link StorageCheck} mode ({@link Mmap#STORAGE_CHECK_PROP_NAME}). Not API.
 */
final class FileBacking extends BufferBacking {

    private final Handle handle;
    private final FileChannel.MapMode mode;
    private final long offset;

    private final StorageCheck check;

    /**
     * Bytes from the start of the mapping that had storage at the last {@code fstat} (the file's
     * length rounded up to a page, less the offset): accesses within it need no system call while
     * {@link #knownGeneration} is current. -1 (always look) in {@code STRICT} mode and until the
     * first look; {@code Long.MAX_VALUE} (never look) in {@code OFF} mode.
     */
    private long knownLimit;

    /** {@link Truncations#generation()} as read before the {@code fstat} behind {@link #knownLimit}. */
    private long knownGeneration;

    /** How many times this map has read the file's length to check an access; for tests. */
    long lengthChecks;

    private FileBacking(Handle handle, FileChannel.MapMode mode, long offset, MappedByteBuffer buffer, long size,
            StorageCheck check) {
        super(buffer, size);
        this.handle = handle;
        this.mode = mode;
        this.offset = offset;
        this.check = check;
        this.knownLimit = check == StorageCheck.OFF ? Long.MAX_VALUE : -1;
    }

    /**
     * Maps {@code [offset, offset+length)} of an open file; arguments already checked.
     *
     * @param check how accesses are checked ({@link Mmap#STORAGE_CHECK_PROP_NAME})
     */
    static FileBacking map(Handle handle, FileChannel.MapMode mode, long offset, long length, StorageCheck check) {
        return new FileBacking(handle, mode, offset, handle.map(mode, offset, length), length, check);
    }

    @Override
    public long fileSize() {
        long generation = Truncations.generation();
        long length;
        try {
            length = handle.length();
        } catch (IOException e) {
            throw Errno.fromIo(e, null);
        }
        remember(generation, length);
        return length;
    }

    /**
     * One volatile read and two compares unless the access goes beyond the length last seen or a
     * truncation went through Memoir since: then {@link #checkLength}.
     */
    @Override
    void checkAccess(long pos, long len) {
        if (pos + len > knownLimit || knownGeneration != Truncations.generation()) {
            checkLength(pos, len);
        }
    }

    private void checkLength(long pos, long len) {
        long generation = Truncations.generation();
        if (check == StorageCheck.OFF) {
            knownGeneration = generation;
            return;
        }
        long length;
        try {
            length = handle.length();
        } catch (IOException e) {
            return; // Channel closed by its owner: cannot check; the JVM's fault handling remains.
        }
        lengthChecks++;
        long limit = remember(generation, length);
        if (pos + len > limit) {
            throw busError(Math.max(pos, limit), "the file is now " + length
                    + " bytes long, so that page of the mapping has no storage", null);
        }
    }

    /** Notes the file's length read after {@code generation}; returns the bytes of the mapping it covers. */
    private long remember(long generation, long length) {
        long limit = NativeUtil.roundUp(length, Mmap.PAGESIZE) - offset;
        if (check == StorageCheck.TRACKED) {
            knownLimit = limit;
            knownGeneration = generation;
        }
        return limit;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here only a truncation by other means than Memoir (or one racing with the access) gets
     * past {@link #checkAccess}. The JVM reports such a fault late, at the thread's next
     * transition into the VM, so the fault may be an earlier call's: it becomes {@code EFAULT}
     * only if the file is indeed shorter than the mapping now (and the map then knows its length),
     * otherwise it is not this map's and is rethrown.
     */
    @Override
    Mmap.OSError fault(long pos, InternalError e) {
        long generation = Truncations.generation();
        long length;
        try {
            length = handle.length();
        } catch (IOException io) {
            e.addSuppressed(io);
            throw e;
        }
        long limit = remember(generation, length);
        if (limit >= size) {
            throw e;
        }
        return busError(Math.max(limit, 0), "the JVM reported a fault in a recent access to this mapping, perhaps"
                + " an earlier call's: the file is now " + length + " bytes long, truncated by other means than"
                + " Memoir (see " + Mmap.STORAGE_CHECK_PROP_NAME + ")", e);
    }

    @Override
    String describe() {
        return "file=" + (handle.file != null ? handle.file.toString() : "<channel>") + ", offset=" + offset;
    }

    @Override
    public void flush(long off, long len) {
        if (len == 0 || mode != FileChannel.MapMode.READ_WRITE) {
            return;
        }
        try {
            ((MappedByteBuffer) buffer).force((int) off, (int) len);
        } catch (UncheckedIOException e) {
            throw Errno.fromIo(e.getCause(), null);
        }
    }

    @Override
    public void resize(long newSize) {
        try {
            handle.truncate(offset + newSize);
        } catch (IOException e) {
            throw Errno.fromIo(e, null);
        }
        if (newSize == 0) {
            throw Errno.error(Errno.EINVAL);
        }
        MappedByteBuffer grown = handle.map(mode, offset, newSize);
        ByteBuffer old = buffer;
        buffer = grown;
        size = newSize;
        NativeUtil.unmap(old);
    }

    @Override
    public void close() {
        super.close();
        handle.close();
    }

    /**
     * An open file, not yet (or no longer) mapped: either opened here from a path, or a channel
     * the caller owns. Lengths are read with {@link RandomAccessFile#length()} when we opened the
     * file (an interrupt cannot close it), else with {@link FileChannel#size()}.
     */
    static final class Handle implements AutoCloseable {
        /** The path, or null for a caller's channel. */
        final Path file;
        private final RandomAccessFile raf;
        private final FileChannel channel;

        private Handle(Path file, RandomAccessFile raf, FileChannel channel) {
            this.file = file;
            this.raf = raf;
            this.channel = channel;
        }

        /** Python's {@code open(file, 'r+b' if writable else 'rb')}. */
        static Handle open(Path file, boolean writable) {
            if (writable && !Files.exists(file)) {
                throw Errno.error(Errno.ENOENT, file, new FileNotFoundException(file.toString()));
            }
            try {
                RandomAccessFile raf = new RandomAccessFile(file.toFile(), writable ? "rw" : "r");
                return new Handle(file, raf, raf.getChannel());
            } catch (FileNotFoundException e) {
                throw Errno.fromIo(e, file);
            }
        }

        /** A channel the caller keeps open and closes. */
        static Handle of(FileChannel channel) {
            if (!channel.isOpen()) {
                throw Errno.error(Errno.EBADF);
            }
            return new Handle(null, null, channel);
        }

        /** C's {@code S_ISREG(fstat(fd).st_mode)}, as far as Java can tell. */
        boolean isRegularFile() {
            return file == null || Files.isRegularFile(file);
        }

        /** C's {@code fstat(fd).st_size}. */
        long length() throws IOException {
            return raf != null ? raf.length() : channel.size();
        }

        /**
         * C's {@code ftruncate(fd, length)}, then {@link Truncations#truncated()} (even if it
         * failed part way), so that every map of the file in this JVM looks at its length again.
         */
        void truncate(long length) throws IOException {
            try {
                if (raf != null) {
                    raf.setLength(length);
                } else if (length < channel.size()) {
                    channel.truncate(length);
                } else if (length > channel.size()) {
                    channel.write(ByteBuffer.allocate(1), length - 1);
                }
            } finally {
                Truncations.truncated();
            }
        }

        MappedByteBuffer map(FileChannel.MapMode mode, long offset, long length) {
            try {
                return channel.map(mode, offset, length);
            } catch (IOException | RuntimeException e) {
                throw Errno.fromIo(e, null);
            } catch (OutOfMemoryError e) {
                throw Errno.fromIo(new IOException(Errno.strerror(Errno.ENOMEM), e), null);
            }
        }

        @Override
        public void close() {
            if (raf != null) {
                try {
                    raf.close();
                } catch (IOException e) {
                    // Nothing was written through the descriptor; the mapping is already gone.
                }
            }
        }
    }
}
