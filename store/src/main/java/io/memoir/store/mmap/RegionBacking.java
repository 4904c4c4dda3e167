package io.memoir.store.mmap;

import io.memoir.store.MemoirException;
import io.memoir.store.Region;
import io.memoir.store.Store;

/**
 * A {@link Backing} over a named region of a {@link Store}: what Windows calls {@code tagname}
 * memory, shared by every opener of the tag in every JVM. Used for {@code ACCESS_READ},
 * {@code ACCESS_WRITE} and {@code ACCESS_DEFAULT}; {@code ACCESS_COPY} wraps it in a
 * {@link RegionCopyBacking}.
 *
 * <p>Nothing is cached: every read is a {@link Region#read(long, byte[], int, int)} (never torn,
 * so another JVM's write is seen whole or not at all) and every write a
 * {@link Region#write(long, byte[], int, int)} of exactly the bytes written, so the journal holds
 * one {@code WRITE} entry with that offset and those bytes, and every JVM sees them at once. A
 * {@code move} reads the source range, then writes the destination range: one entry, holding the
 * destination range; it is not atomic with respect to other writers of the source range.
 *
 * <p>The mapping's length is this map's own, as a file mapping's is: if another process resizes
 * the region, this map keeps its length. Bytes past the region's current end have no storage; so
 * has every byte once the region is deleted. Touching them raises {@code EFAULT}, as for a file
 * truncated under its mapping, and touches nothing. Not API.
 */
final class RegionBacking implements Backing {

    private final Store store;
    private final Region region;
    /** Scratch for single bytes: an {@code Mmap} is used by one thread at a time. */
    private final byte[] one = new byte[1];
    private long size;

    RegionBacking(Store store, Region region, long size) {
        this.store = store;
        this.region = region;
        this.size = size;
    }

    /** What is mapped, for error messages. */
    String describe() {
        return "tag=" + region.tag() + ", store=" + store.directory();
    }

    @Override
    public boolean isValid() {
        return !store.isClosed();
    }

    @Override
    public long size() {
        return size;
    }

    /**
     * {@inheritDoc} Here the region's current length.
     *
     * @throws MemoirException.RegionNotFoundException if the region was deleted
     */
    @Override
    public long fileSize() {
        return region.length();
    }

    @Override
    public byte get(long pos) {
        read(pos, one, 0, 1);
        return one[0];
    }

    @Override
    public void put(long pos, byte value) {
        one[0] = value;
        write(pos, one, 0, 1);
    }

    @Override
    public void read(long pos, byte[] dst, int dstOff, int len) {
        if (len == 0) {
            return;
        }
        try {
            region.read(pos, dst, dstOff, len);
        } catch (IndexOutOfBoundsException | MemoirException.RegionNotFoundException e) {
            throw gone(pos, e);
        }
    }

    @Override
    public void write(long pos, byte[] src, int srcOff, int len) {
        if (len == 0) {
            return;
        }
        try {
            region.write(pos, src, srcOff, len);
        } catch (IndexOutOfBoundsException | MemoirException.RegionNotFoundException e) {
            throw gone(pos, e);
        }
    }

    /** {@inheritDoc} Here {@link Store#flush()}: the journal (and, by its sync policy, the map) to disk. */
    @Override
    public void flush(long offset, long len) {
        store.flush();
    }

    /**
     * {@inheritDoc} Here a journaled {@link Region#resize(int)}; for 0, as CPython's
     * {@code ftruncate} then failed {@code mremap}, the region is emptied and this map keeps its
     * length, with no storage left behind it.
     *
     * @throws MemoirException.StoreFullException above the store's largest region size
     * @throws MemoirException.RegionNotFoundException if the region was deleted
     */
    @Override
    public void resize(long newSize) {
        region.resize((int) newSize);
        if (newSize == 0) {
            throw Errno.error(Errno.EINVAL);
        }
        size = newSize;
    }

    /** The region and the store stay: they are shared, and the store is the caller's. */
    @Override
    public void close() {
        // Nothing to release.
    }

    /** The {@code EFAULT} for touching {@code pos} when the region has shrunk or gone. */
    private Mmap.OSError gone(long pos, RuntimeException e) {
        String why;
        long at = pos;
        try {
            long length = region.length();
            why = "the region is now " + length + " bytes long, so that byte has no storage";
            at = Math.max(pos, length);
        } catch (MemoirException.RegionNotFoundException deleted) {
            why = "the region was deleted";
        }
        return Errno.sigbus(at, why, describe(), e);
    }
}
