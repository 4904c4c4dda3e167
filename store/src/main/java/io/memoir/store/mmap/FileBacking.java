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
 * <p>Before every access the file's length is read ({@code fstat}) so that touching a page the
 * file no longer covers fails with {@code EFAULT} instead of {@code SIGBUS}, unless
 * {@link Mmap#STORAGE_CHECK_PROP_NAME} turns that off. Not API.
 */
final class FileBacking extends BufferBacking {

    private final Handle handle;
    private final FileChannel.MapMode mode;
    private final long offset;

    private final boolean checkStorage;

    private FileBacking(Handle handle, FileChannel.MapMode mode, long offset, MappedByteBuffer buffer, long size,
            boolean checkStorage) {
        super(buffer, size);
        this.handle = handle;
        this.mode = mode;
        this.offset = offset;
        this.checkStorage = checkStorage;
    }

    /**
     * Maps {@code [offset, offset+length)} of an open file; arguments already checked.
     *
     * @param checkStorage whether to {@code fstat} before each access ({@link Mmap#STORAGE_CHECK_PROP_NAME})
     */
    static FileBacking map(Handle handle, FileChannel.MapMode mode, long offset, long length, boolean checkStorage) {
        return new FileBacking(handle, mode, offset, handle.map(mode, offset, length), length, checkStorage);
    }

    @Override
    public long fileSize() {
        try {
            return handle.length();
        } catch (IOException e) {
            throw Errno.fromIo(e, null);
        }
    }

    @Override
    void checkAccess(long pos, long len) {
        if (!checkStorage) {
            return;
        }
        long length;
        try {
            length = handle.length();
        } catch (IOException e) {
            return; // Channel closed by its owner: cannot check; the JVM's fault handling remains.
        }
        long limit = NativeUtil.roundUp(length, Mmap.PAGESIZE) - offset;
        if (pos + len > limit) {
            throw busError(Math.max(pos, limit), "the file is now " + length
                    + " bytes long, so that page of the mapping has no storage", null);
        }
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
            handle.setLength(offset + newSize);
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

        /** C's {@code ftruncate(fd, length)}. */
        void setLength(long length) throws IOException {
            if (raf != null) {
                raf.setLength(length);
            } else if (length < channel.size()) {
                channel.truncate(length);
            } else if (length > channel.size()) {
                channel.write(ByteBuffer.allocate(1), length - 1);
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
