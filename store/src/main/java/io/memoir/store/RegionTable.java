package io.memoir.store;

import static io.memoir.store.RecordDescriptor.FLAGS_OFFSET;
import static io.memoir.store.RecordDescriptor.FLAG_DELETED;
import static io.memoir.store.RecordDescriptor.HEADER_LENGTH;
import static io.memoir.store.RecordDescriptor.LAST_INDEX_OFFSET;
import static io.memoir.store.RecordDescriptor.LENGTH_OFFSET;
import static io.memoir.store.RecordDescriptor.LOCK_OFFSET;
import static io.memoir.store.RecordDescriptor.RECORD_ID_OFFSET;
import static io.memoir.store.RecordDescriptor.SEQ_OFFSET;
import static net.openhft.chronicle.core.UnsafeMemory.MEMORY;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.hash.impl.BigSegmentHeader;
import net.openhft.chronicle.hash.impl.VanillaChronicleHash;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;

/**
 * The Chronicle Map of region records and the inter-process locking around it.
 *
 * <p>Two kinds of lock, always taken in this order:
 * <ol>
 *   <li>the store-wide <em>map lock</em> (in {@link ControlFile}): held for every Chronicle Map
 *       operation of every process (look-ups, creates, resizes, deletes, listings), so that at most
 *       one process is ever inside the map's own code. When its holder dies, the segment locks it held
 *       are reset and the one tag it was changing is rebuilt from the journal.</li>
 *   <li>a record's <em>lock word</em> ({@link RecordDescriptor}): serialises the writers of one tag.
 *       Data writes take only this lock, never the map lock.</li>
 * </ol>
 * Readers take no lock at all: they copy under the record's seqlock and retry.
 */
final class RegionTable implements AutoCloseable {
    static final String FILE_NAME = "regions.cm3";

    private final Path file;
    private final ChronicleMap<CharSequence, byte[]> map;
    private final VanillaChronicleHash<?, ?, ?, ?> hash;
    private final ControlFile control;
    private final Capacity capacity;
    private final long lockTimeoutNanos;
    private Repair repair;
    private DiskSpace space;

    private RegionTable(final Path file, final ChronicleMap<CharSequence, byte[]> map, final ControlFile control,
                        final Capacity capacity, final long lockTimeoutNanos) {
        this.file = file;
        this.map = map;
        this.hash = (VanillaChronicleHash<?, ?, ?, ?>) map;
        this.control = control;
        this.capacity = capacity;
        this.lockTimeoutNanos = lockTimeoutNanos;
    }

    static RegionTable open(final Path dir, final Capacity capacity, final ControlFile control,
                            final long lockTimeoutNanos) {
        final Path file = dir.resolve(FILE_NAME);
        final boolean existed = file.toFile().length() > 0;
        try {
            return new RegionTable(file, builder(capacity).createPersistedTo(file.toFile()), control, capacity,
                lockTimeoutNanos);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IOException io && !existed) {
                throw new UncheckedIOException("cannot create region map=" + file + ": " + e.getMessage(), io);
            }
            throw new MemoirException.CorruptStoreException("region map is damaged: map=" + file + ", size="
                + file.toFile().length() + ": " + e.getMessage() + " (rebuild it from the journal: "
                + "Store.builder().rebuildMap(true).open(dir), or 'memoir recover --rebuild-map')", e);
        }
    }

    /**
     * A table of the same capacity in this process's memory, not backed by the store's map file: what a
     * read-only open served from the journal fills ({@link JournalFollower}).
     */
    static RegionTable inMemory(final Path dir, final Capacity capacity, final ControlFile control,
                                final long lockTimeoutNanos) {
        return new RegionTable(dir.resolve(FILE_NAME), builder(capacity).create(), control, capacity, lockTimeoutNanos);
    }

    private static ChronicleMapBuilder<CharSequence, byte[]> builder(final Capacity capacity) {
        return ChronicleMapBuilder.of(CharSequence.class, byte[].class)
            .name("memoir-regions")
            .entries(capacity.maxRegions())
            .averageKeySize(16)
            .averageValueSize(capacity.averageRegionSize() + HEADER_LENGTH)
            .actualSegments(capacity.segments())
            .entryAndValueOffsetAlignment(8)
            .checksumEntries(false)
            // Chronicle's exit hook would close (unmap) the map while this JVM's other threads still
            // write to it: a SIGTERM or Ctrl-C mid-write then crashed the JVM (SIGSEGV) or left the
            // journal ahead of the map. The OS unmaps at exit and the page cache keeps every write; an
            // interrupted change is repaired like a kill -9's (TerminateIT).
            .skipCloseOnExitHook(true);
    }

    /** Where installs take their bytes from; null for a read-only store (which installs nothing). */
    void space(final DiskSpace s) {
        this.space = s;
    }

    void repair(final Repair r) {
        this.repair = r;
    }

    Path file() {
        return file;
    }

    Capacity capacity() {
        return capacity;
    }

    ControlFile control() {
        return control;
    }

    // ---------------------------------------------------------------- map lock

    void lockMap() {
        final long address = control.mapLockAddress();
        if (LockWords.tryLock(address)) {
            return;
        }
        final LockWords.Backoff backoff = new LockWords.Backoff();
        while (true) {
            backoff.idle();
            if (LockWords.tryLock(address)) {
                return;
            }
            if (backoff.ownerCheckDue()) {
                final long owner = LockWords.ownerVolatile(address);
                if (owner != 0 && !ProcessOwner.isAlive(owner) && LockWords.steal(address, owner)) {
                    afterDeadMapOwner(owner);
                    return;
                }
                if (backoff.waitedNanos() > lockTimeoutNanos) {
                    throw new MemoirException.StaleLockException("the map lock of store=" + file.getParent()
                        + " is held by live " + ProcessOwner.describe(owner) + " for more than "
                        + lockTimeoutNanos / 1_000_000 + " ms; is that process stopped or hung?");
                }
            }
        }
    }

    void unlockMap() {
        LockWords.unlockOrdered(control.mapLockAddress());
    }

    private void afterDeadMapOwner(final long owner) {
        final int reset = resetSegmentLocks();
        final String intent = control.intent();
        String what = "";
        if (intent != null) {
            what = repair.rebuildTag(intent);
            control.clearIntent();
        }
        repair.report("map lock of dead " + ProcessOwner.describe(owner) + " recovered; segment locks reset="
            + reset + (intent == null ? "" : "; tag=" + intent + " " + what));
    }

    /** Resets every held segment lock; call only when the map lock was taken from a dead process. */
    private int resetSegmentLocks() {
        final BigSegmentHeader header = BigSegmentHeader.INSTANCE;
        int reset = 0;
        for (int i = 0; i < hash.actualSegments; i++) {
            final long address = hash.segmentHeaderAddress(i);
            if (header.getLockState(address) != header.resetLockState()) {
                header.resetLock(address);
                reset++;
            }
        }
        return reset;
    }

    // ---------------------------------------------------------------- records

    /** Where a tag's record is. Immutable: a record's address, id and length never change. */
    static final class RecordRef {
        final long address;
        final long recordId;
        final int length;
        final boolean deleted;

        RecordRef(final long address, final long recordId, final int length, final boolean deleted) {
            this.address = address;
            this.recordId = recordId;
            this.length = length;
            this.deleted = deleted;
        }

        long content() {
            return address + HEADER_LENGTH;
        }

        boolean isCurrent() {
            return MEMORY.readVolatileLong(address + RECORD_ID_OFFSET) == recordId;
        }
    }

    /** The tag's record, tombstones included, or null. Call under the map lock. */
    RecordRef find(final String tag) {
        try (ExternalMapQueryContext<CharSequence, byte[], ?> c = map.queryContext(tag)) {
            c.readLock().lock();
            final MapEntry<CharSequence, byte[]> entry = c.entry();
            return entry == null ? null : refOf(entry.value());
        }
    }

    private static RecordRef refOf(final Data<byte[]> value) {
        final long address = value.bytes().addressForRead(value.offset());
        return new RecordRef(address, MEMORY.readVolatileLong(address + RECORD_ID_OFFSET),
            MEMORY.readInt(address + LENGTH_OFFSET),
            (MEMORY.readInt(address + FLAGS_OFFSET) & FLAG_DELETED) != 0);
    }

    /** Looks the tag up under the map lock; null if absent or deleted. */
    RecordRef lookup(final String tag) {
        lockMap();
        try {
            final RecordRef ref = find(tag);
            return ref == null || ref.deleted ? null : ref;
        } finally {
            unlockMap();
        }
    }

    /** Every record with its tag, tombstones included. Call under the map lock. */
    Map<String, RecordRef> all() {
        final Map<String, RecordRef> all = new TreeMap<>();
        map.forEachEntry(e -> all.put(e.key().get().toString(), refOf(e.value())));
        return all;
    }

    /** {@link #all()}, taking and releasing the map lock. */
    Map<String, RecordRef> allUnderMapLock() {
        lockMap();
        try {
            return all();
        } finally {
            unlockMap();
        }
    }

    int recordCount() {
        return map.size();
    }

    /**
     * Locks a record for writing.
     *
     * @param mapLocked whether the caller holds the map lock (then a dead owner is repaired in place)
     * @return false if the record is no longer the tag's current one (resolve it again)
     */
    boolean lockRecord(final String tag, final RecordRef ref, final boolean mapLocked) {
        final long lockAddress = ref.address + LOCK_OFFSET;
        LockWords.Backoff backoff = null;
        while (true) {
            if (LockWords.tryLock(lockAddress)) {
                if (ref.isCurrent()) {
                    return true;
                }
                LockWords.releaseIfHeld(lockAddress);
                return false;
            }
            if (backoff == null) {
                backoff = new LockWords.Backoff();
            }
            backoff.idle();
            if (backoff.ownerCheckDue()) {
                if (!ref.isCurrent()) {
                    return false;
                }
                final long owner = LockWords.ownerVolatile(lockAddress);
                if (owner != 0 && !ProcessOwner.isAlive(owner)) {
                    repairDeadOwner(tag, mapLocked);
                } else if (backoff.waitedNanos() > lockTimeoutNanos) {
                    throw new MemoirException.StaleLockException("the lock of tag=" + tag + " in store="
                        + file.getParent() + " is held by live " + ProcessOwner.describe(owner) + " for more than "
                        + lockTimeoutNanos / 1_000_000 + " ms; is that process stopped or hung?");
                }
            }
        }
    }

    void unlockRecord(final RecordRef ref) {
        LockWords.unlockOrdered(ref.address + LOCK_OFFSET);
    }

    /** Repairs a tag whose record lock or seqlock was left by a dead process. */
    void repairDeadOwner(final String tag, final boolean mapLocked) {
        if (mapLocked) {
            repair.repairTag(tag);
            return;
        }
        lockMap();
        try {
            repair.repairTag(tag);
        } finally {
            unlockMap();
        }
    }

    /**
     * Installs a record image for a tag (creating or replacing its entry) and returns the new record.
     * The image's sequence must be odd: readers ignore the record until {@link #publish} makes it even.
     * Call under the map lock.
     */
    RecordRef install(final String tag, final byte[] image) {
        if (space != null) {
            space.take(image.length, "a new record", " of tag=", tag);
        }
        return reinstall(tag, image);
    }

    /**
     * {@link #install} without taking disk space: only to put back the record a failed change replaced
     * (its space was freed just before). Call under the map lock.
     */
    RecordRef reinstall(final String tag, final byte[] image) {
        try {
            map.put(tag, image);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new MemoirException.StoreFullException("store is full: cannot store tag=" + tag + " with length="
                + (image.length - HEADER_LENGTH) + " in map=" + file + " (" + capacity + "): " + e.getMessage()
                + "; grow the store (memoir grow) or delete regions", e);
        }
        return find(tag);
    }

    /** Removes a tag's entry (used to undo a failed create). Call under the map lock. */
    void remove(final String tag) {
        map.remove(tag);
    }

    /** Makes a freshly installed record visible: sets its last index and an even sequence. */
    static void publish(final RecordRef ref, final long lastIndex) {
        MEMORY.writeLong(ref.address + LAST_INDEX_OFFSET, lastIndex);
        final long seq = MEMORY.readLong(ref.address + SEQ_OFFSET);
        MEMORY.writeOrderedLong(ref.address + SEQ_OFFSET, seq + 1);
    }

    /**
     * Marks a record dead (relocated or replaced): readers holding its address retry and resolve the
     * tag again. Returns the odd sequence it was given.
     */
    static long markDead(final RecordRef ref) {
        final long seq = MEMORY.readVolatileLong(ref.address + SEQ_OFFSET) | 1L;
        MEMORY.writeOrderedLong(ref.address + SEQ_OFFSET, seq);
        MEMORY.storeFence();
        MEMORY.writeOrderedLong(ref.address + RECORD_ID_OFFSET, 0L);
        return seq;
    }

    /** Undoes {@link #markDead} when the replacement could not be installed. */
    static void unmarkDead(final RecordRef ref, final long seqBefore) {
        MEMORY.writeOrderedLong(ref.address + RECORD_ID_OFFSET, ref.recordId);
        MEMORY.writeOrderedLong(ref.address + SEQ_OFFSET, seqBefore);
    }

    @Override
    public void close() {
        map.close();
    }
}
