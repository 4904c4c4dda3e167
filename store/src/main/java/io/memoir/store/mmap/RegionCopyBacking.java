package io.memoir.store.mmap;

/**
 * {@code ACCESS_COPY} over a store region: copy-on-write by page, as Linux's {@code MAP_PRIVATE}.
 *
 * <p>A page this map has not written is read from the region, live, so it shows other writers'
 * changes; the first write to a page copies that page from the region into private memory, and
 * from then on the page is this map's alone. Nothing written here reaches the store or the
 * journal. A write copies all the pages it needs before it changes any, so a write that faults
 * ({@code EFAULT}: the region no longer covers a page to copy) changes nothing. Not API.
 */
final class RegionCopyBacking implements Backing {

    private final RegionBacking shared;
    private final long size;
    /** Private pages, null until first written. */
    private byte[][] pages;

    RegionCopyBacking(RegionBacking shared, long size) {
        this.shared = shared;
        this.size = size;
        this.pages = new byte[(int) ((size + Mmap.PAGESIZE - 1) / Mmap.PAGESIZE)][];
    }

    @Override
    public boolean isValid() {
        return shared.isValid();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public long fileSize() {
        return shared.fileSize();
    }

    @Override
    public byte get(long pos) {
        byte[] page = pages[page(pos)];
        return page != null ? page[(int) (pos % Mmap.PAGESIZE)] : shared.get(pos);
    }

    @Override
    public void put(long pos, byte value) {
        privatePages(pos, 1)[0][(int) (pos % Mmap.PAGESIZE)] = value;
    }

    @Override
    public void read(long pos, byte[] dst, int dstOff, int len) {
        long end = pos + len;
        long p = pos;
        while (p < end) {
            long next = Math.min(end, pageStart(page(p)) + Mmap.PAGESIZE);
            byte[] page = pages[page(p)];
            if (page != null) {
                System.arraycopy(page, (int) (p % Mmap.PAGESIZE), dst, dstOff + (int) (p - pos), (int) (next - p));
            } else {
                // One read for the whole run of shared pages: consistent across them.
                while (next < end && pages[page(next)] == null) {
                    next = Math.min(end, next + Mmap.PAGESIZE);
                }
                shared.read(p, dst, dstOff + (int) (p - pos), (int) (next - p));
            }
            p = next;
        }
    }

    @Override
    public void write(long pos, byte[] src, int srcOff, int len) {
        if (len == 0) {
            return;
        }
        byte[][] touched = privatePages(pos, len);
        long p = pos;
        for (byte[] page : touched) {
            int at = (int) (p % Mmap.PAGESIZE);
            int n = (int) Math.min(Mmap.PAGESIZE - at, pos + len - p);
            System.arraycopy(src, srcOff + (int) (p - pos), page, at, n);
            p += n;
        }
    }

    /** Nothing reaches the store: a no-op, as {@code msync} of private pages. */
    @Override
    public void flush(long offset, long len) {
        // Private pages have nowhere to go.
    }

    /** Never called: {@code Mmap} refuses to resize a copy-on-write map. */
    @Override
    public void resize(long newSize) {
        throw new UnsupportedOperationException("a copy-on-write map cannot be resized");
    }

    @Override
    public void close() {
        pages = null;
    }

    /**
     * The private pages covering {@code [pos, pos+len)}, in order, copying from the region those
     * that are still shared; installs the copies only once all of them are made.
     */
    private byte[][] privatePages(long pos, long len) {
        int first = page(pos);
        int last = page(pos + len - 1);
        byte[][] out = new byte[last - first + 1][];
        for (int i = first; i <= last; i++) {
            byte[] page = pages[i];
            if (page == null) {
                page = new byte[Mmap.PAGESIZE];
                shared.read(pageStart(i), page, 0, (int) Math.min(Mmap.PAGESIZE, size - pageStart(i)));
            }
            out[i - first] = page;
        }
        System.arraycopy(out, 0, pages, first, out.length);
        return out;
    }

    private static int page(long pos) {
        return (int) (pos / Mmap.PAGESIZE);
    }

    private static long pageStart(int page) {
        return (long) page * Mmap.PAGESIZE;
    }
}
