package io.memoir.store.mmap;

import java.nio.ByteBuffer;

/**
 * A {@link Backing} over anonymous memory: CPython's {@code mmap(-1, length)}, which on Linux is
 * {@code mmap(MAP_SHARED | MAP_ANONYMOUS)} ({@code MAP_PRIVATE} for {@code ACCESS_COPY}).
 *
 * <p>The memory is a direct {@link ByteBuffer}, zero-filled and allocated at once (CPython's pages
 * are allocated on first touch); it counts against {@code -XX:MaxDirectMemorySize}, and running out
 * is {@code OSError} {@code ENOMEM}, as a failed {@code mmap} would be.
 *
 * <p>It reproduces what Linux does on {@code resize}: shared anonymous memory is a shmem object
 * sized once, to the first length rounded up to a page. {@code mremap} can grow the mapping but
 * not the object, so bytes beyond that capacity have no storage (CPython dies of {@code SIGBUS}
 * touching them; this backing raises {@code EFAULT}), and bytes cut off by shrinking come back
 * when the mapping grows again. There is no file descriptor, so {@link #fileSize()} fails with
 * {@code EBADF}, exactly like CPython 3.11's {@code mmap.size()}. Not API.
 */
final class AnonymousBacking extends BufferBacking {

    private final long capacity;

    private AnonymousBacking(ByteBuffer buffer, long size, long capacity) {
        super(buffer, size);
        this.capacity = capacity;
    }

    /** Allocates {@code length} zero bytes (at least 1, at most {@link Mmap#MAX_LENGTH}). */
    static AnonymousBacking allocate(long length) {
        long capacity = Math.min(NativeUtil.roundUp(length, Mmap.PAGESIZE), Integer.MAX_VALUE);
        try {
            return new AnonymousBacking(ByteBuffer.allocateDirect((int) capacity), length, capacity);
        } catch (OutOfMemoryError e) {
            throw Errno.error(Errno.ENOMEM);
        }
    }

    @Override
    public long fileSize() {
        throw Errno.error(Errno.EBADF);
    }

    @Override
    void checkAccess(long pos, long len) {
        if (pos + len > capacity) {
            throw busError(Math.max(pos, capacity), "shared anonymous memory only has storage for the "
                    + capacity + " bytes first mapped", null);
        }
    }

    @Override
    String describe() {
        return "anonymous memory, capacity=" + capacity;
    }

    @Override
    public void flush(long offset, long len) {
        // msync on anonymous memory has nothing to write back.
    }

    @Override
    public void resize(long newSize) {
        if (newSize == 0) {
            throw Errno.error(Errno.EINVAL);
        }
        size = newSize;
    }
}
