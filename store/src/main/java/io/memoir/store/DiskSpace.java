package io.memoir.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Refuses a change when the store's file system is (nearly) full, before any byte of it is written.
 *
 * <p>Map and journal are memory-mapped, sparse files: a page is allocated when first written, and on a
 * full file system that write faults (SIGBUS), which the JVM turns into an {@link InternalError} at an
 * unpredictable later point, after a half-written journal entry. So every change first takes its size
 * from a budget; when the budget runs out the free space is asked again ({@code statvfs}), and a change
 * that would leave less than the reserve ({@value #RESERVE_PROP_NAME}, default 16 MiB) fails with a
 * {@link MemoirException.StoreFullException}. The budget is at most a quarter of the reserve, so
 * processes sharing the store can together overshoot it only by what they took since their last look.
 */
final class DiskSpace {
    /** System property: bytes to keep free on the store's file system (default 16 MiB). */
    static final String RESERVE_PROP_NAME = "memoir.disk.reserve";
    private static final long DEFAULT_RESERVE = 16L << 20;
    /** What a record or journal entry costs beyond its bytes (headers, index slots), rounded up. */
    static final int OVERHEAD = 256;

    private final Path dir;
    private final FileStore fileStore;
    private final long reserve;
    private final AtomicLong budget = new AtomicLong();

    private DiskSpace(final Path dir, final FileStore fileStore, final long reserve) {
        this.dir = dir;
        this.fileStore = fileStore;
        this.reserve = reserve;
    }

    static DiskSpace of(final Path dir) {
        final long reserve = Long.getLong(RESERVE_PROP_NAME, DEFAULT_RESERVE);
        if (reserve < 0) {
            throw new IllegalArgumentException("negative " + RESERVE_PROP_NAME + "=" + reserve);
        }
        try {
            return new DiskSpace(dir, Files.getFileStore(dir), reserve);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find the file system of store=" + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code bytes} more would still leave the reserve free (asks the file system). For work
     * ahead of the writers, such as pretouching journal pages, which must not eat into the reserve.
     *
     * @param bytes the bytes about to be used
     * @return true if there is room; false if not, or if the free space cannot be read
     */
    boolean hasRoomFor(final long bytes) {
        try {
            return fileStore.getUsableSpace() - reserve >= bytes;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Takes {@code bytes} (plus {@link #OVERHEAD}) from the budget, asking the file system when it runs out.
     *
     * @param what    the change, for the message, e.g. {@code Op.WRITE}
     * @param of      joins it to the subject, e.g. {@code " of tag="} (the parts are joined only on failure, so
     *                that the hot path allocates nothing)
     * @param subject e.g. the tag
     * @throws MemoirException.StoreFullException if the change would leave less than the reserve free
     */
    void take(final long bytes, final Object what, final String of, final Object subject) {
        final long need = bytes + OVERHEAD;
        if (budget.addAndGet(-need) >= 0) {
            return;
        }
        final long usable;
        try {
            usable = fileStore.getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the free space of store=" + dir + ": " + e.getMessage(), e);
        }
        final long spare = usable - reserve;
        if (spare < need) {
            budget.set(0);
            throw new MemoirException.StoreFullException("disk full: cannot make " + what + of + subject + " (bytes=" + bytes
                + ") in store=" + dir + ": usableSpace=" + usable + ", " + RESERVE_PROP_NAME + "=" + reserve
                + " (free space on that file system, then retry; nothing was written)");
        }
        budget.set(Math.min(spare, Math.max(reserve / 4, need)) - need);
    }
}
