package io.memoir.store;

import java.util.Arrays;

/**
 * The state of one tag as the journal says it is: what replaying its entries gives. Used by replay,
 * verify and crash repair. Not thread-safe.
 */
final class TagState {
    final String tag;
    long version;
    byte[] content = new byte[0];
    boolean deleted = true;
    long lastIndex;
    long lastTime;
    int writer;

    TagState(final String tag) {
        this.tag = tag;
    }

    /**
     * Applies the next entry of this tag.
     *
     * @throws MemoirException.CorruptStoreException if its version does not follow, or it makes no sense
     */
    void apply(final JournalEntry e, final String where) {
        if (e.version() != version + 1) {
            throw new MemoirException.CorruptStoreException("journal versions of tag=" + tag + " are not contiguous: "
                + "index=0x" + Long.toHexString(e.index()) + ", version=" + e.version() + ", expected=" + (version + 1)
                + ", journal=" + where);
        }
        if (deleted && e.op() != Op.CREATE && e.op() != Op.PUT) {
            throw new MemoirException.CorruptStoreException("journal has op=" + e.op() + " on a region that does "
                + "not exist: tag=" + tag + ", index=0x" + Long.toHexString(e.index()) + ", journal=" + where);
        }
        switch (e.op()) {
            case CREATE:
            case RESIZE:
                content = Arrays.copyOf(content, e.length());
                deleted = false;
                break;
            case PUT:
                content = e.data().clone();
                deleted = false;
                break;
            case WRITE:
            case PATCH: // readers hand patches out as puts; one read raw applies as a write
                if (e.offset() < 0 || e.offset() + e.data().length > content.length) {
                    throw new MemoirException.CorruptStoreException("journal WRITE is outside the region: tag=" + tag
                        + ", index=0x" + Long.toHexString(e.index()) + ", offset=" + e.offset() + ", dataLength="
                        + e.data().length + ", regionLength=" + content.length + ", journal=" + where);
                }
                System.arraycopy(e.data(), 0, content, (int) e.offset(), e.data().length);
                break;
            case SPLICE: // readers hand splices out as puts; one read raw applies its edits
                final byte[] spliced = e.offset() == content.length ? Splice.apply(content, e.data(), e.length())
                    : null;
                if (spliced == null) {
                    throw new MemoirException.CorruptStoreException("journal SPLICE does not fit the region: tag="
                        + tag + ", index=0x" + Long.toHexString(e.index()) + ", lengthBefore=" + e.offset()
                        + ", length=" + e.length() + ", regionLength=" + content.length + ", journal=" + where);
                }
                content = spliced;
                break;
            case DELETE:
                content = new byte[0];
                deleted = true;
                break;
            default:
                throw new AssertionError(e.op());
        }
        version = e.version();
        lastIndex = e.index();
        lastTime = e.time();
        writer = e.writer();
    }

    RegionInfo info() {
        return new RegionInfo(tag, content.length, version, lastTime, writer, lastIndex);
    }
}
