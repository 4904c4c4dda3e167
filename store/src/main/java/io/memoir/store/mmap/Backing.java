package io.memoir.store.mmap;

/**
 * What an {@link Mmap} maps: a plain file, anonymous memory or a named region of a store
 * ({@link FileBacking}, {@link AnonymousBacking}, {@link RegionBacking} and, for
 * {@code ACCESS_COPY}, {@link RegionCopyBacking}).
 *
 * <p>Positions are absolute within the mapping (0 .. {@link #size()}). Implementations do no
 * argument checking: {@code Mmap} checks everything first, in CPython's order, so a backing is only
 * ever called with valid ranges. Not API.
 *
 * <p>Failures a backing may raise, all as {@link Mmap.OSError}:
 * <ul>
 *   <li>an I/O failure of the underlying storage, with the errno C would see;</li>
 *   <li>{@code EFAULT} ("Bad address") where a C program would die of {@code SIGBUS}: the bytes
 *       lie in a page that no longer has storage behind it (a file truncated under the mapping,
 *       shared anonymous memory grown past what was first mapped). A backing checks before it
 *       touches memory, so such a call changes nothing.</li>
 * </ul>
 */
interface Backing extends AutoCloseable {

    /**
     * Whether the memory can still be used. False only for a region whose store has been closed:
     * then the map is "invalid" in CPython's words, as if closed.
     */
    default boolean isValid() {
        return true;
    }

    /** The mapped length in bytes. */
    long size();

    /**
     * What Python's {@code mmap.size()} reports: the length of the underlying file or region (not
     * of the mapping). Added for the adapter: CPython {@code fstat}s its file descriptor here, and
     * for anonymous memory (no descriptor) fails with {@code OSError} {@code EBADF}.
     */
    long fileSize();

    /** Reads one byte at {@code pos}. */
    byte get(long pos);

    /** Writes one byte at {@code pos}. */
    void put(long pos, byte value);

    /** Copies {@code len} bytes at {@code pos} into {@code dst[dstOff..]}. */
    void read(long pos, byte[] dst, int dstOff, int len);

    /** Copies {@code src[srcOff..srcOff+len)} to {@code pos}, all or nothing. */
    void write(long pos, byte[] src, int srcOff, int len);

    /**
     * Copies {@code len} bytes from {@code src} to {@code dst} within the mapping (memmove
     * semantics). By default through one heap array: a {@link #read} of the source range, then one
     * {@link #write} of the destination range.
     */
    default void move(long dst, long src, long len) {
        if (len == 0) {
            return;
        }
        byte[] bytes = new byte[(int) len];
        read(src, bytes, 0, bytes.length);
        write(dst, bytes, 0, bytes.length);
    }

    /**
     * Flushes {@code [offset, offset+len)} to the underlying storage, if any. {@code Mmap} has
     * already checked the range and that {@code offset} is a multiple of {@link Mmap#PAGESIZE}.
     */
    void flush(long offset, long len);

    /**
     * Changes the mapped length (and the file's or region's length where there is one).
     *
     * <p>{@code newSize} is at most {@link Mmap#MAX_LENGTH} and may be 0. For 0 a backing behaves
     * as CPython on Linux: it resizes the file or region (CPython's {@code ftruncate}), then fails
     * with {@code OSError} {@code EINVAL} (Linux {@code mremap} refuses a zero length) and keeps the
     * old mapping.
     */
    void resize(long newSize);

    /** Unmaps; releases the file or region. */
    @Override
    void close();
}
