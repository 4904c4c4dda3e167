package io.memoir.store;

import io.memoir.store.RegionTable.RecordRef;

/**
 * A named region of a {@link Store}: a fixed-length run of bytes that every process opening the store
 * shares, changed only through journaled, atomic operations.
 *
 * <p>Thread-safe. Reads take no lock and never see part of a write: they copy under a seqlock and
 * retry if a writer interfered. Writes to one region are serialised across threads and processes;
 * each returns the region's new version. A handle stays valid across resizes made by other processes;
 * if the region is deleted, operations throw {@link MemoirException.RegionNotFoundException}.
 */
public final class Region {
    private final Engine engine;
    private final String tag;
    /** The record this handle last resolved; re-resolved when a resize or delete replaces it. */
    volatile RecordRef ref;

    Region(final Engine engine, final String tag, final RecordRef ref) {
        this.engine = engine;
        this.tag = tag;
        this.ref = ref;
    }

    /**
     * The tag.
     *
     * @return this region's tag
     */
    public String tag() {
        return tag;
    }

    /**
     * The current length.
     *
     * @return the length in bytes
     */
    public int length() {
        final long[] h = new long[4];
        return engine.header(this, h).length;
    }

    /**
     * The current version: 1 after creation, one more after every change.
     *
     * @return the version
     */
    public long version() {
        return engine.version(this);
    }

    /**
     * Length, version, last change time and writer, read consistently.
     *
     * @return the region's info
     */
    public RegionInfo info() {
        final long[] h = new long[4];
        final RecordRef r = engine.header(this, h);
        return new RegionInfo(tag, r.length, h[0], h[2], (int) h[3], h[1]);
    }

    /**
     * Copies {@code length} bytes at {@code offset} into {@code dst}. Never torn; allocates nothing.
     *
     * @param offset    where to read in the region
     * @param dst       the destination
     * @param dstOffset where to put them in {@code dst}
     * @param length    how many bytes
     * @return {@code length}
     * @throws IndexOutOfBoundsException if the range is outside the region or {@code dst}
     */
    public int read(final long offset, final byte[] dst, final int dstOffset, final int length) {
        return engine.read(this, offset, dst, dstOffset, length);
    }

    /**
     * Reads {@code length} bytes at {@code offset}.
     *
     * @param offset where to read
     * @param length how many bytes
     * @return a new array
     * @throws IndexOutOfBoundsException if the range is outside the region
     */
    public byte[] read(final long offset, final int length) {
        if (length < 0) {
            throw new IndexOutOfBoundsException("negative length: tag=" + tag + ", length=" + length);
        }
        final byte[] out = new byte[length];
        engine.read(this, offset, out, 0, length);
        return out;
    }

    /**
     * The whole content, read consistently (one version).
     *
     * @return a new array of {@link #length()} bytes
     */
    public byte[] readAll() {
        while (true) {
            final RecordRef r = ref;
            final byte[] out = new byte[r.length];
            try {
                engine.read(this, 0, out, 0, out.length);
            } catch (IndexOutOfBoundsException e) {
                continue; // resized meanwhile
            }
            if (ref == r) {
                return out;
            }
        }
    }

    /**
     * Writes {@code src} at {@code offset}, atomically, after appending it to the journal.
     *
     * @param offset where to write
     * @param src    the bytes
     * @return the new version
     * @throws IndexOutOfBoundsException if the write would go past the end
     */
    public long write(final long offset, final byte[] src) {
        return engine.write(this, offset, src, 0, src.length);
    }

    /**
     * Writes {@code src[srcOffset .. srcOffset+length)} at {@code offset}, atomically, after appending
     * it to the journal. Cost depends on {@code length}, not on the region's size; allocates nothing.
     *
     * @param offset    where to write
     * @param src       the array holding the bytes
     * @param srcOffset where they start in {@code src}
     * @param length    how many bytes
     * @return the new version
     * @throws IndexOutOfBoundsException if the write would go past the end
     */
    public long write(final long offset, final byte[] src, final int srcOffset, final int length) {
        return engine.write(this, offset, src, srcOffset, length);
    }

    /**
     * Replaces the whole content (and the length, if {@code content} has another length). When the
     * length stays the same, the journal keeps only the bytes that changed (a {@link Op#PATCH}), and
     * every reader of the journal gets the whole {@link Op#PUT} back (docs/journal-format.md).
     *
     * @param content the new content
     * @return the new version
     */
    public long put(final byte[] content) {
        return engine.put(this, content, Engine.ANY_VERSION);
    }

    /**
     * Replaces the whole content if, and only if, the region is at {@code expectedVersion}: the
     * check and the change are one atomic step, across JVMs.
     *
     * @param expectedVersion the version the region must have
     * @param content         the new content (its length becomes the region's length)
     * @return the new version ({@code expectedVersion + 1})
     * @throws MemoirException.VersionConflictException if the region has another version
     * @throws MemoirException.StoreFullException       if the content exceeds the maximum region size
     */
    public long compareAndSet(final long expectedVersion, final byte[] content) {
        final long status = engine.put(this, content, expectedVersion);
        if (status < 0) {
            throw new MemoirException.VersionConflictException(tag, expectedVersion, Engine.conflictVersion(status));
        }
        return status;
    }

    /**
     * Changes the length: truncates, or zero-extends.
     *
     * @param newLength the new length
     * @return the new version
     */
    public long resize(final int newLength) {
        return engine.structural(this, Op.RESIZE, newLength, null);
    }

    /**
     * Deletes the region. Its versions continue if the tag is created again.
     *
     * @return the version of the deletion
     */
    public long delete() {
        return engine.structural(this, Op.DELETE, -1, null);
    }

    /**
     * Fails now if this region cannot be written because its store was opened read-only, so that a
     * caller can refuse at once what it could not finish later (the Python adapter's writable
     * {@code Mmap.open}). Changes nothing.
     *
     * @throws MemoirException.ReadOnlyStoreException if the store is open read-only
     */
    public void checkWritable() {
        engine.checkWritable(tag);
    }

    @Override
    public String toString() {
        return "Region{tag=" + tag + ", store=" + engine.where + "}";
    }
}
