package io.memoir.store;

/**
 * How much a store can hold, fixed when it is created (Chronicle Map sizes its file up front).
 *
 * @param maxRegions        how many tags (deleted tags keep a small tombstone until compaction)
 * @param averageRegionSize the expected average region length in bytes; sizes the map file
 * @param maxRegionSize     the largest region length in bytes
 */
public record Capacity(int maxRegions, int averageRegionSize, int maxRegionSize) {
    /** 1024 regions, 4 KiB on average, 1 MiB at most. */
    public static final Capacity DEFAULT = new Capacity(1024, 4096, 1 << 20);
    /** The largest region length that can be configured: 256 MiB. */
    public static final int MAX_REGION_SIZE_LIMIT = 256 << 20;

    /**
     * Checks the values.
     *
     * @param maxRegions        how many tags
     * @param averageRegionSize average length
     * @param maxRegionSize     largest length
     */
    public Capacity {
        if (maxRegions < 1) {
            throw new IllegalArgumentException("maxRegions must be at least 1: maxRegions=" + maxRegions);
        }
        if (averageRegionSize < 1 || averageRegionSize > maxRegionSize) {
            throw new IllegalArgumentException("averageRegionSize must be 1 .. maxRegionSize: averageRegionSize="
                + averageRegionSize + ", maxRegionSize=" + maxRegionSize);
        }
        if (maxRegionSize > MAX_REGION_SIZE_LIMIT) {
            throw new IllegalArgumentException("maxRegionSize is over the limit: maxRegionSize=" + maxRegionSize
                + ", limit=" + MAX_REGION_SIZE_LIMIT);
        }
    }

    /**
     * Map segments: as few as keep a segment tier at least four times the largest record, since Chronicle
     * stores an entry within one tier. Concurrency does not need more: map operations are serialised
     * by the store's map lock and data writes do not use segment locks.
     */
    int segments() {
        final long total = (long) maxRegions * (averageRegionSize + RecordDescriptor.HEADER_LENGTH);
        final long perSegment = 4L * (maxRegionSize + RecordDescriptor.HEADER_LENGTH);
        final long segments = Math.max(1, Math.min(64, total / perSegment));
        return Long.highestOneBit(segments) == 0 ? 1 : (int) Long.highestOneBit(segments);
    }
}
