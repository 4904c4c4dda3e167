package io.memoir.store.mmap;

import java.nio.ByteBuffer;

/**
 * A {@link Backing} over a direct {@link ByteBuffer} (a {@code MappedByteBuffer} or anonymous
 * memory). Subclasses say which pages still have storage behind them; this class does the copying
 * and turns the JVM's own {@code SIGBUS} handling ({@link InternalError}) into
 * {@link Mmap.OSError} {@code EFAULT}. Not API.
 */
abstract class BufferBacking implements Backing {

    /** Chunk size for {@link #move}: bounded heap use whatever the count. */
    private static final int MOVE_CHUNK = 64 * 1024;

    /** The memory; capacity at least {@link #size}. Replaced by {@code resize}, null once closed. */
    ByteBuffer buffer;

    /** The mapped length. */
    long size;

    BufferBacking(ByteBuffer buffer, long size) {
        this.buffer = buffer;
        this.size = size;
    }

    /**
     * Throws {@link Mmap.OSError} {@code EFAULT} if touching {@code [pos, pos+len)} would raise
     * {@code SIGBUS} in C.
     */
    abstract void checkAccess(long pos, long len);

    /** What is mapped, for error messages, e.g. {@code "file=/tmp/x offset=0"}. */
    abstract String describe();

    /** The EFAULT error that stands for CPython's SIGBUS at {@code pos}. */
    final Mmap.OSError busError(long pos, String why, Throwable cause) {
        return Errno.sigbus(pos, why, describe(), cause);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public byte get(long pos) {
        checkAccess(pos, 1);
        try {
            return buffer.get((int) pos);
        } catch (InternalError e) {
            throw fault(pos, e);
        }
    }

    @Override
    public void put(long pos, byte value) {
        checkAccess(pos, 1);
        try {
            buffer.put((int) pos, value);
        } catch (InternalError e) {
            throw fault(pos, e);
        }
    }

    @Override
    public void read(long pos, byte[] dst, int dstOff, int len) {
        if (len == 0) {
            return;
        }
        checkAccess(pos, len);
        try {
            buffer.get((int) pos, dst, dstOff, len);
        } catch (InternalError e) {
            throw fault(pos, e);
        }
    }

    @Override
    public void write(long pos, byte[] src, int srcOff, int len) {
        if (len == 0) {
            return;
        }
        checkAccess(pos, len);
        try {
            buffer.put((int) pos, src, srcOff, len);
        } catch (InternalError e) {
            throw fault(pos, e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Copies even when {@code dst == src}, as C's {@code memmove} loads and stores: that can
     * fault, and on a copy-on-write map it makes the pages private.
     */
    @Override
    public void move(long dst, long src, long len) {
        if (len == 0) {
            return;
        }
        checkAccess(src, len);
        checkAccess(dst, len);
        byte[] chunk = new byte[(int) Math.min(len, MOVE_CHUNK)];
        try {
            if (dst < src) {
                for (long done = 0; done < len; done += chunk.length) {
                    int n = (int) Math.min(chunk.length, len - done);
                    buffer.get((int) (src + done), chunk, 0, n);
                    buffer.put((int) (dst + done), chunk, 0, n);
                }
            } else {
                for (long left = len; left > 0; left -= chunk.length) {
                    int n = (int) Math.min(chunk.length, left);
                    buffer.get((int) (src + left - n), chunk, 0, n);
                    buffer.put((int) (dst + left - n), chunk, 0, n);
                }
            }
        } catch (InternalError e) {
            throw fault(Math.min(src, dst), e);
        }
    }

    /**
     * What the JVM's report of a {@code SIGBUS} ({@link InternalError}) caught around an access at
     * {@code pos} becomes: by default {@code EFAULT}; a subclass may rethrow {@code e} if the fault
     * cannot be this mapping's.
     */
    Mmap.OSError fault(long pos, InternalError e) {
        return busError(pos, "the JVM caught a fault in the mapped memory", e);
    }

    @Override
    public void close() {
        ByteBuffer b = buffer;
        buffer = null;
        NativeUtil.unmap(b);
    }
}
