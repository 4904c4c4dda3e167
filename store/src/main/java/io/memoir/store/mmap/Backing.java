package io.memoir.store.mmap;

/**
 * What an {@link Mmap} maps: a plain file, anonymous memory or a named region of a store.
 *
 * <p>Positions are absolute within the mapping (0 .. {@link #size()}). Implementations do no
 * argument checking: {@code Mmap} checks everything first, in CPython's order, so a backing is only
 * ever called with valid ranges. Not API.
 */
interface Backing extends AutoCloseable {

    /** The mapped length in bytes. */
    long size();

    /** Reads one byte at {@code pos}. */
    byte get(long pos);

    /** Writes one byte at {@code pos}. */
    void put(long pos, byte value);

    /** Copies {@code len} bytes at {@code pos} into {@code dst[dstOff..]}. */
    void read(long pos, byte[] dst, int dstOff, int len);

    /** Copies {@code src[srcOff..srcOff+len)} to {@code pos}, all or nothing. */
    void write(long pos, byte[] src, int srcOff, int len);

    /** Copies {@code len} bytes from {@code src} to {@code dst} within the mapping (memmove semantics). */
    void move(long dst, long src, long len);

    /** Flushes {@code [offset, offset+len)} to the underlying storage, if any. */
    void flush(long offset, long len);

    /** Changes the mapped length (and the file's or region's length where there is one). */
    void resize(long newSize);

    /** Unmaps; releases the file or region. */
    @Override
    void close();
}
