package io.memoir.store;

import io.memoir.store.RegionTable.RecordRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only class that holds both the map and the journal: every mutation, its journal entry and its
 * crash repair.
 *
 * <p>Ordering. A data write ({@link Op#WRITE}, and {@link Op#PUT} of the same length) is
 * <em>journal-first</em>: under the record's lock it appends the entry, then changes the record; a
 * writer killed between the two leaves a journal entry the record lacks, and repair rolls it forward.
 * A structural change (create, resize, put of another length, delete) is <em>map-first</em>: under
 * the map lock it installs the new record unpublished, appends the entry, then publishes; a writer
 * killed in between leaves its tag in the control file's intent, and repair rebuilds that tag from
 * the journal. Map-first makes "store full" fail before anything reaches the journal.
 */
final class Engine implements Repair, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    /** A put's changed span longer than this is journaled as a splice if its edits are smaller. */
    private static final int SPLICE_SPAN_MIN = 64;

    final String where;
    final RegionTable table;
    final Journal journal;
    private final JournalWriter writer;
    private final boolean readOnly;
    /** Whether a put of the same length may be journaled as a {@link Op#PATCH} (journal format 2). */
    private final boolean patches;
    /** Whether a put may be journaled as a {@link Op#SPLICE} (journal format 3). */
    private final boolean splices;
    /** Whether an object may be padded to stay in its record ({@link #storedLength}; journal format 4). */
    private final boolean pads;
    private final List<String> repairs = new CopyOnWriteArrayList<>();
    private JournalFollower follower;
    private volatile boolean closed;

    Engine(final String where, final RegionTable table, final Journal journal, final JournalWriter writer,
           final boolean readOnly, final int journalFormat) {
        this.where = where;
        this.table = table;
        this.journal = journal;
        this.writer = writer;
        this.readOnly = readOnly;
        this.patches = journalFormat >= JournalFields.FORMAT_PATCH;
        this.splices = journalFormat >= JournalFields.FORMAT_SPLICE;
        this.pads = journalFormat >= JournalFields.FORMAT_PADDED;
        table.repair(this);
    }

    /**
     * Serves this (read-only) engine from the journal: {@code table} is private and the follower fills it,
     * before each read. Call once, right after construction; fills the table with the whole journal.
     */
    void followJournal() {
        follower = new JournalFollower(table, journal);
        follower.catchUp();
    }

    /** Brings a journal-served table up to the journal's end; nothing for a store served by its map. */
    void follow() {
        if (follower != null) {
            follower.catchUp();
        }
    }

    /** The tag's current record, or null if absent or deleted. */
    RecordRef lookup(final String tag) {
        follow();
        return table.lookup(tag);
    }

    static long now() {
        return SystemTimeProvider.CLOCK.currentTimeNanos();
    }

    List<String> repairs() {
        return List.copyOf(repairs);
    }

    /**
     * Region handles outlive their store; touching a closed store's unmapped records would crash the
     * JVM, so every data-path call checks this first (one volatile read).
     */
    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("store is closed: store=" + where + " (open it again for a new Region)");
        }
    }

    void checkWritable(final String tag) {
        if (readOnly) {
            throw new MemoirException.ReadOnlyStoreException("store=" + where + " is open read-only: cannot change tag="
                + tag + " (open it without readOnly to write)");
        }
    }

    RecordRef resolve(final String tag) {
        final RecordRef ref = lookup(tag);
        if (ref == null) {
            throw new MemoirException.RegionNotFoundException(tag, where);
        }
        return ref;
    }

    // ---------------------------------------------------------------- data path

    long write(final Region region, final long offset, final byte[] src, final int srcOffset, final int len) {
        checkOpen();
        final String tag = region.tag();
        checkWritable(tag);
        Objects.checkFromIndexSize(srcOffset, len, src.length);
        while (true) {
            final RecordRef r = region.ref;
            if (offset < 0 || offset > r.length - len) {
                if (refresh(region, r)) {
                    continue;
                }
                throw new IndexOutOfBoundsException("write outside the region: tag=" + tag + ", offset=" + offset
                    + ", length=" + len + ", regionLength=" + r.length);
            }
            if (!table.lockRecord(tag, r, false)) {
                region.ref = resolve(tag);
                continue;
            }
            return journalThenApply(Op.WRITE, tag, r, offset, src, srcOffset, len,
                Math.max(0, Records.patchBudgetLocked(r) - 1));
        }
    }

    /**
     * A put of the record's own length, its lock held; unlocks. While the record's patch budget lasts
     * (journal format 2), only the span that differs from the current content is journaled, as a
     * {@link Op#PATCH}, and only it is copied into the record: a config that changes one field makes an
     * entry of a few dozen bytes instead of its whole size. A span of more than {@value #SPLICE_SPAN_MIN}
     * bytes (changes far apart, such as a field at each end) is journaled as the edits inside it, a
     * {@link Op#SPLICE} (journal format 3), if they take at most half of it. A span of more than half the
     * content, or no budget left, journals the whole content as a {@link Op#PUT}, which renews the budget.
     */
    private long putInPlace(final String tag, final RecordRef r, final byte[] content, final int length) {
        final int budget = patches ? Records.patchBudgetLocked(r) : 0;
        if (budget > 0) {
            final long at = r.address + RecordDescriptor.HEADER_LENGTH;
            final int from = Memory.mismatch(content, 0, length, at);
            final int to = from == length ? from : Memory.mismatchFromEnd(content, from, length, at);
            if (splices && to - from > SPLICE_SPAN_MIN) {
                final byte[] before = new byte[to - from];
                Memory.copy(at + from, before, 0, before.length);
                final byte[] edits = Splice.diff(before, Arrays.copyOfRange(content, from, to), from);
                if (edits != null) {
                    return journalThenApply(Op.SPLICE, tag, r, length, edits, 0, edits.length, from, content, from,
                        to - from, budget - 1);
                }
            }
            if (to - from <= length / 2) {
                return journalThenApply(Op.PATCH, tag, r, from == length ? 0 : from, content, from, to - from,
                    budget - 1);
            }
        }
        return journalThenApply(Op.PUT, tag, r, 0, content, 0, length, patches ? RecordDescriptor.PATCH_RUN : 0);
    }

    /**
     * The journal-first data write: append the entry, then change the record in place and set its
     * patch budget; unlocks.
     */
    private long journalThenApply(final Op op, final String tag, final RecordRef r, final long offset,
                                  final byte[] src, final int srcOffset, final int len, final int patchBudget) {
        return journalThenApply(op, tag, r, offset, src, srcOffset, len, offset, src, srcOffset, len, patchBudget);
    }

    /**
     * {@link #journalThenApply(Op, String, RecordRef, long, byte[], int, int, int)} of an entry whose
     * offset and data are not the bytes the record gets (a splice: its edits, and the span they make).
     */
    private long journalThenApply(final Op op, final String tag, final RecordRef r, final long entryOffset,
                                  final byte[] data, final int dataOffset, final int dataLength,
                                  final long offset, final byte[] src, final int srcOffset, final int len,
                                  final int patchBudget) {
        try {
            final long version = Records.versionLocked(r) + 1;
            final long time = now();
            final long index = writer.append(op, tag, version, entryOffset, r.length, data, dataOffset, dataLength,
                time);
            Records.writeInPlace(r, version, offset, src, srcOffset, len, index, time, ProcessOwner.PID, patchBudget);
            return version;
        } finally {
            table.unlockRecord(r);
        }
    }

    int read(final Region region, final long offset, final byte[] dst, final int dstOffset, final int len) {
        checkOpen();
        follow();
        Objects.checkFromIndexSize(dstOffset, len, dst.length);
        LockWords.Backoff backoff = null;
        while (true) {
            final RecordRef r = region.ref;
            if (offset < 0 || offset > r.length - len) {
                if (refresh(region, r)) {
                    continue;
                }
                throw new IndexOutOfBoundsException("read outside the region: tag=" + region.tag() + ", offset="
                    + offset + ", length=" + len + ", regionLength=" + r.length);
            }
            if (Records.tryRead(r, offset, dst, dstOffset, len) >= 0) {
                return len;
            }
            if (backoff == null) {
                backoff = new LockWords.Backoff();
            }
            backoff = waitForStable(region, r, backoff);
        }
    }

    /** The region's header and whole content, consistent with each other (never torn). */
    TagState state(final Region region) {
        return state(region, false);
    }

    /**
     * {@link #state(Region)}; with {@code objectValue}, the content is an object's value without its
     * padding ({@link ObjectCodec#valueEnd(long, int)}): read once, not copied again to strip it.
     */
    TagState state(final Region region, final boolean objectValue) {
        checkOpen();
        follow();
        final TagState st = new TagState(region.tag());
        LockWords.Backoff backoff = null;
        while (true) {
            final RecordRef r = region.ref;
            if (Records.tryState(r, st, objectValue)) {
                return st;
            }
            if (backoff == null) {
                backoff = new LockWords.Backoff();
            }
            backoff = waitForStable(region, r, backoff);
        }
    }

    /** The region's version, without allocating. */
    long version(final Region region) {
        checkOpen();
        follow();
        LockWords.Backoff backoff = null;
        while (true) {
            final RecordRef r = region.ref;
            final long v = Records.tryVersion(r);
            if (v >= 0) {
                return v;
            }
            if (backoff == null) {
                backoff = new LockWords.Backoff();
            }
            backoff = waitForStable(region, r, backoff);
        }
    }

    /**
     * The version of a tag with no region handle: 0 if it never existed, its deletion's if deleted. A
     * live record (created meanwhile) is read as a region, whose wait repairs a writer that died
     * mid-write; spinning on its sequence under the map lock could wait forever.
     */
    long version(final String tag) {
        follow();
        while (true) {
            final RecordRef r;
            table.lockMap();
            try {
                r = table.find(tag);
            } finally {
                table.unlockMap();
            }
            if (r == null) {
                return 0;
            }
            if (!r.deleted) {
                try {
                    return version(new Region(this, tag, r));
                } catch (MemoirException.RegionNotFoundException deletedMeanwhile) {
                    continue;
                }
            }
            final long v = Records.tryVersion(r);
            if (v >= 0) {
                return v; // a tombstone takes no data writes: only its replacement makes this fail
            }
        }
    }

    /** Reads header fields (version, lastIndex, lastTime, writer) of the region's current record. */
    RecordRef header(final Region region, final long[] out) {
        checkOpen();
        follow();
        LockWords.Backoff backoff = null;
        while (true) {
            final RecordRef r = region.ref;
            if (Records.tryHeader(r, out)) {
                return r;
            }
            if (backoff == null) {
                backoff = new LockWords.Backoff();
            }
            backoff = waitForStable(region, r, backoff);
        }
    }

    /** Re-resolves a region whose record is no longer current; false if it still is. */
    private boolean refresh(final Region region, final RecordRef r) {
        if (r.isCurrent()) {
            return false;
        }
        region.ref = resolve(region.tag());
        return true;
    }

    /** Backs off while a record is changing; re-resolves it when replaced; repairs it if its writer died. */
    private LockWords.Backoff waitForStable(final Region region, final RecordRef r, final LockWords.Backoff backoff) {
        if (refresh(region, r)) {
            return null;
        }
        backoff.idle();
        if (backoff.ownerCheckDue()) {
            final long owner = Records.lockOwner(r);
            final boolean deadWriter = owner != 0 && !ProcessOwner.isAlive(owner);
            // An odd sequence with no owner is an unpublished install: the map lock holder finishes it
            // or, if it died, the map lock's recovery does.
            if (deadWriter || owner == 0) {
                table.repairDeadOwner(region.tag(), false);
            }
        }
        return backoff;
    }

    /** {@code expectedVersion} meaning "whatever the version is": a plain PUT, not a compare-and-set. */
    static final long ANY_VERSION = -1;
    /** {@link #putNew} found the tag present: go through its region instead. */
    static final long EXISTS = Long.MIN_VALUE;

    /** The status a compare-and-set returns when it finds {@code actualVersion}: always negative. */
    static long conflict(final long actualVersion) {
        return -1 - actualVersion;
    }

    /** The actual version carried by a {@link #conflict} status. */
    static long conflictVersion(final long status) {
        return -1 - status;
    }

    /**
     * PUT of the whole content: in place when the length is unchanged, a new record otherwise.
     *
     * @param expectedVersion the version the region must have, or {@link #ANY_VERSION}
     * @return the new version, or a negative {@link #conflict} status
     */
    long put(final Region region, final byte[] content, final long expectedVersion) {
        return put(region, content, content.length, expectedVersion);
    }

    /**
     * {@link #put(Region, byte[], long)} of {@code content[0, length)}: the array is only read during the
     * call (an encoder's buffer); a change of length, rare, takes a copy of it.
     */
    long put(final Region region, final byte[] content, final int length, final long expectedVersion) {
        checkOpen();
        final String tag = region.tag();
        checkWritable(tag);
        checkLength(tag, length);
        while (true) {
            final RecordRef r = region.ref;
            if (r.length != length) {
                if (refresh(region, r)) {
                    continue;
                }
                return structural(region, Op.PUT, length, Arrays.copyOf(content, length), expectedVersion);
            }
            if (!table.lockRecord(tag, r, false)) {
                region.ref = resolve(tag);
                continue;
            }
            if (expectedVersion != ANY_VERSION) {
                final long actual = Records.versionLocked(r);
                if (actual != expectedVersion) {
                    table.unlockRecord(r);
                    return conflict(actual);
                }
            }
            return putInPlace(tag, r, content, length);
        }
    }

    /**
     * The length to store an encoded object of {@code length} bytes at in record {@code r}
     * ({@link ObjectCodec#storedLength}): padded to stay in its record, or to leave room when it moves to
     * another. Only stores of journal format {@value JournalFields#FORMAT_PADDED} pad objects: a Memoir
     * before padding refuses to open them, while it reads an older store's objects, which stay unpadded.
     */
    int storedLength(final byte[] content, final int length, final RecordRef r) {
        return pads ? ObjectCodec.storedLength(content, length, r.length, table.capacity().maxRegionSize())
            : length;
    }

    // ---------------------------------------------------------------- structural changes

    /** The tag's record, created zero-filled with {@code length} bytes if it does not exist. */
    RecordRef create(final String tag, final int length) {
        checkLength(tag, length);
        table.lockMap();
        try {
            final RecordRef cur = table.find(tag);
            if (cur != null && !cur.deleted) {
                return cur;
            }
            return createLocked(tag, cur, new byte[length], Op.CREATE);
        } finally {
            table.unlockMap();
        }
    }

    /**
     * Creates an absent (or deleted) tag with {@code content} in one {@link Op#PUT} entry.
     *
     * @param expectedVersion {@link #ANY_VERSION}, or 0 for "must not exist"; another value conflicts
     * @return the new version, {@link #EXISTS} if the tag exists, or a negative {@link #conflict} status
     */
    long putNew(final String tag, final byte[] content, final long expectedVersion) {
        checkWritable(tag);
        checkLength(tag, content.length);
        table.lockMap();
        try {
            final RecordRef cur = table.find(tag);
            if (cur != null && !cur.deleted) {
                return EXISTS;
            }
            if (expectedVersion != ANY_VERSION && expectedVersion != 0) {
                return conflict(0);
            }
            return Records.versionLocked(createLocked(tag, cur, content.clone(), Op.PUT));
        } finally {
            table.unlockMap();
        }
    }

    /** Creates {@code tag}, absent or a tombstone ({@code cur}), holding {@code content}. Map lock held. */
    private RecordRef createLocked(final String tag, final RecordRef cur, final byte[] content, final Op op) {
        checkWritable(tag);
        if (cur == null && table.recordCount() >= table.capacity().maxRegions()) {
            throw new MemoirException.StoreFullException("store is full: cannot create tag=" + tag + ", regions="
                + table.recordCount() + ", maxRegions=" + table.capacity().maxRegions() + " in store=" + where
                + "; delete regions or grow the store (memoir grow --max-regions N)");
        }
        final TagState next = new TagState(tag);
        if (cur != null) {
            lockUnderMapLock(tag, cur);
            next.version = Records.versionLocked(cur);
        }
        next.version++;
        next.content = content;
        next.deleted = false;
        return replace(tag, cur, next, op, op == Op.PUT ? content : null);
    }

    /** Resize, PUT of another length, or DELETE (length -1): a new record replaces the current one. */
    long structural(final Region region, final Op op, final int length, final byte[] data) {
        checkOpen();
        return structural(region, op, length, data, ANY_VERSION);
    }

    /** {@link #structural(Region, Op, int, byte[])}, a compare-and-set unless {@link #ANY_VERSION}. */
    private long structural(final Region region, final Op op, final int length, final byte[] data,
                            final long expectedVersion) {
        final String tag = region.tag();
        checkWritable(tag);
        if (op != Op.DELETE) {
            checkLength(tag, length);
        }
        table.lockMap();
        try {
            final RecordRef cur = table.find(tag);
            if (cur == null || cur.deleted) {
                throw new MemoirException.RegionNotFoundException(tag, where);
            }
            lockUnderMapLock(tag, cur);
            final long actual = Records.versionLocked(cur);
            if (expectedVersion != ANY_VERSION && actual != expectedVersion) {
                table.unlockRecord(cur);
                return conflict(actual);
            }
            final TagState next = new TagState(tag);
            next.version = actual + 1;
            if (op == Op.DELETE) {
                next.deleted = true;
            } else if (op == Op.PUT) {
                next.content = data.clone();
                next.deleted = false;
            } else {
                final TagState old = new TagState(tag);
                readLocked(cur, old);
                next.content = Arrays.copyOf(old.content, length);
                next.deleted = false;
            }
            final RecordRef fresh = replace(tag, cur, next, op, op == Op.PUT ? next.content : null);
            region.ref = fresh;
            return next.version;
        } finally {
            table.unlockMap();
        }
    }

    private void lockUnderMapLock(final String tag, final RecordRef cur) {
        if (!table.lockRecord(tag, cur, true)) {
            throw new IllegalStateException("record of tag=" + tag + " changed under the map lock");
        }
    }

    private static void readLocked(final RecordRef cur, final TagState into) {
        if (!Records.tryState(cur, into)) {
            // Held locks exclude writers; only a dead writer's odd sequence gets here, after repair.
            Records.settle(cur);
            if (!Records.tryState(cur, into)) {
                throw new IllegalStateException("record changed while locked: recordId=" + cur.recordId);
            }
        }
    }

    /**
     * Replaces {@code old} (locked by the caller, or null) with a record for {@code next}: install
     * unpublished, journal, publish. On failure, restores {@code old} and unlocks it. Map lock held. A put
     * that replaces a live record is journaled as a {@link Op#SPLICE} (journal format 3) if the record's
     * patch budget is not spent and {@link Splice#diff} finds the edits small.
     */
    private RecordRef replace(final String tag, final RecordRef old, final TagState next, final Op op,
                              final byte[] data) {
        final long time = now();
        next.lastTime = time;
        next.writer = ProcessOwner.PID;
        final ControlFile control = table.control();
        final TagState before = new TagState(tag);
        long seqBefore = 0;
        long deadSeq = 0;
        if (old != null) {
            readLocked(old, before);
            seqBefore = Records.seqVolatile(old);
        }
        // what the journal gets: the op and its data, or a splice of a put; and the new record's budget
        Op entryOp = op;
        byte[] entryData = data;
        long entryOffset = 0;
        int budget = op == Op.PUT && patches ? RecordDescriptor.PATCH_RUN : 0; // a whole put: a base to patch
        if (op == Op.PUT && splices && old != null && !before.deleted) {
            final int left = Records.patchBudgetLocked(old);
            final byte[] edits = left > 0 ? Splice.diff(before.content, data) : null;
            if (edits != null) {
                entryOp = Op.SPLICE;
                entryData = edits;
                entryOffset = before.content.length;
                budget = left - 1;
            }
        }
        control.intent(tag);
        try {
            if (old != null) {
                deadSeq = RegionTable.markDead(old);
            }
            final RecordRef fresh;
            try {
                fresh = table.install(tag, Records.image(next, old == null ? 1 : deadSeq + 2, control.nextRecordId(),
                    budget));
            } catch (RuntimeException e) {
                if (old != null) {
                    RegionTable.unmarkDead(old, seqBefore);
                    table.unlockRecord(old);
                }
                throw e;
            }
            final long index;
            try {
                index = writer.append(entryOp, tag, next.version, entryOffset, next.content.length, entryData, 0,
                    entryData == null ? 0 : entryData.length, time);
            } catch (RuntimeException e) {
                undoInstall(tag, fresh, old == null ? null : before);
                throw e;
            }
            RegionTable.publish(fresh, index);
            return fresh;
        } finally {
            control.clearIntent();
        }
    }

    private void undoInstall(final String tag, final RecordRef fresh, final TagState before) {
        try {
            if (before == null) {
                RegionTable.markDead(fresh);
                table.remove(tag);
            } else {
                final long deadSeq = RegionTable.markDead(fresh);
                RegionTable.publish(table.reinstall(tag, Records.image(before, deadSeq + 2,
                    table.control().nextRecordId())), before.lastIndex);
            }
        } catch (RuntimeException e) {
            throw new MemoirException.CorruptStoreException("could not undo a failed change of tag=" + tag
                + " in store=" + where + ": the map may be ahead of the journal; run 'memoir recover'", e);
        }
    }

    private void checkLength(final String tag, final int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative region length: tag=" + tag + ", length=" + length);
        }
        final int max = table.capacity().maxRegionSize();
        if (length > max) {
            throw new MemoirException.StoreFullException("region too large: tag=" + tag + ", length=" + length
                + ", maxRegionSize=" + max + " in store=" + where + " (create the store with a larger maxRegionSize,"
                + " or grow it: memoir grow --max-region-size N)");
        }
    }

    // ---------------------------------------------------------------- listing, snapshots

    List<RegionInfo> list() {
        follow();
        final Map<String, RecordRef> all = table.allUnderMapLock();
        final List<RegionInfo> out = new ArrayList<>();
        final long[] h = new long[4];
        for (Map.Entry<String, RecordRef> e : all.entrySet()) {
            RecordRef r = e.getValue();
            while (!r.deleted && !Records.tryHeader(r, h)) {
                if (!r.isCurrent()) {
                    r = table.lookup(e.getKey());
                    if (r == null) {
                        break;
                    }
                } else {
                    Thread.onSpinWait();
                }
            }
            if (r != null && !r.deleted) {
                out.add(new RegionInfo(e.getKey(), r.length, h[0], h[2], (int) h[3], h[1]));
            }
        }
        return out;
    }

    /** A consistent copy of every record, tombstones included. */
    Map<String, TagState> mapState() {
        follow();
        final Map<String, RecordRef> all = table.allUnderMapLock();
        final Map<String, TagState> out = new HashMap<>();
        for (Map.Entry<String, RecordRef> e : all.entrySet()) {
            RecordRef r = e.getValue();
            final TagState st = new TagState(e.getKey());
            while (r != null && !Records.tryState(r, st)) {
                if (!r.isCurrent()) {
                    table.lockMap();
                    try {
                        r = table.find(e.getKey());
                    } finally {
                        table.unlockMap();
                    }
                } else {
                    Thread.onSpinWait();
                }
            }
            if (r != null) {
                out.put(e.getKey(), st);
            }
        }
        return out;
    }

    /** Replays the journal up to and including {@code untilIndex}. */
    Map<String, TagState> replay(final long untilIndex) {
        final Map<String, TagState> states = new HashMap<>();
        try (JournalReader r = journal.reader()) {
            for (JournalEntry e = r.next(); e != null && e.index() <= untilIndex; e = r.next()) {
                states.computeIfAbsent(e.tag(), TagState::new).apply(e, where);
            }
        }
        return states;
    }

    // ---------------------------------------------------------------- repair

    /** At open: repairs every record left locked or half-written by a dead process. */
    void sweep() {
        table.lockMap();
        try {
            for (Map.Entry<String, RecordRef> e : table.all().entrySet()) {
                final RecordRef r = e.getValue();
                final long owner = Records.lockOwner(r);
                final boolean odd = (Records.seqVolatile(r) & 1L) != 0;
                if ((owner != 0 && !ProcessOwner.isAlive(owner)) || (owner == 0 && odd)) {
                    repairTag(e.getKey());
                }
            }
        } finally {
            table.unlockMap();
        }
    }

    @Override
    public String repairTag(final String tag) {
        final RecordRef cur = table.find(tag);
        if (cur == null) {
            return "absent";
        }
        final long lockAddress = cur.address + RecordDescriptor.LOCK_OFFSET;
        final long owner = Records.lockOwner(cur);
        if (owner == 0) {
            if ((Records.seqVolatile(cur) & 1L) == 0 || !LockWords.tryLock(lockAddress)) {
                return "nothing to repair";
            }
        } else if (ProcessOwner.isAlive(owner) || !LockWords.steal(lockAddress, owner)) {
            return "held by a live writer";
        }
        try {
            if (writer != null) {
                writer.setAsideCutFiles(); // a writer that died rolling the journal would hold up its reading
            }
            final String what = rollForward(tag, cur);
            report("tag=" + tag + (owner == 0 ? "" : " (lock of dead " + ProcessOwner.describe(owner) + ")")
                + ": " + what);
            return what;
        } finally {
            if (cur.isCurrent()) {
                table.unlockRecord(cur);
            }
        }
    }

    /** Applies the journal entries a dead writer appended but did not apply. Record lock held. */
    private String rollForward(final String tag, final RecordRef cur) {
        long version = Records.versionLocked(cur);
        final long from = Records.lastIndexLocked(cur);
        int applied = 0;
        try (JournalReader r = from > 0 ? journal.readerFrom(from) : journal.reader()) {
            for (JournalEntry e = r.next(); e != null; e = r.next()) {
                if (!e.tag().equals(tag) || e.version() <= version) {
                    continue;
                }
                final boolean inPlace = e.op() == Op.WRITE || (e.op() == Op.PUT && e.length() == cur.length);
                if (e.version() != version + 1 || !inPlace || e.offset() < 0
                    || e.offset() + e.data().length > cur.length) {
                    return rebuildLocked(tag, cur);
                }
                Records.writeInPlace(cur, e.version(), e.offset(), e.data(), 0, e.data().length, e.index(),
                    e.time(), e.writer(), 0); // the next put is whole
                version++;
                applied++;
            }
        }
        Records.settle(cur);
        return "rolled forward entries=" + applied + " to version=" + version;
    }

    @Override
    public String rebuildTag(final String tag) {
        final RecordRef cur = table.find(tag);
        if (cur != null) {
            final long lockAddress = cur.address + RecordDescriptor.LOCK_OFFSET;
            final LockWords.Backoff backoff = new LockWords.Backoff();
            while (!LockWords.tryLock(lockAddress)) {
                final long owner = Records.lockOwner(cur);
                if (owner != 0 && owner != ProcessOwner.CURRENT && !ProcessOwner.isAlive(owner)
                    && LockWords.steal(lockAddress, owner)) {
                    break;
                }
                backoff.idle();
            }
        }
        return rebuildLocked(tag, cur);
    }

    /** Replaces the tag's record with what the journal says. Map lock and record lock (if any) held. */
    private String rebuildLocked(final String tag, final RecordRef cur) {
        final TagState st = new TagState(tag);
        try (JournalReader r = journal.reader()) {
            for (JournalEntry e = r.next(); e != null; e = r.next()) {
                if (e.tag().equals(tag)) {
                    st.apply(e, where);
                }
            }
        }
        final long deadSeq = cur == null ? -1 : RegionTable.markDead(cur);
        if (st.version == 0) {
            if (cur != null) {
                table.remove(tag);
            }
            return "removed: not in the journal";
        }
        final RecordRef fresh = table.install(tag, Records.image(st, deadSeq + 2, table.control().nextRecordId()));
        RegionTable.publish(fresh, st.lastIndex);
        return "rebuilt from the journal to version=" + st.version;
    }

    @Override
    public void report(final String what) {
        LOG.warn("Repaired store={}: {}", where, what);
        repairs.add(what);
    }

    // ---------------------------------------------------------------- replay into another store

    /** Copies the journal up to {@code untilIndex} into an empty store and materialises its map. */
    void copyInto(final Engine target, final long untilIndex) {
        final Map<String, TagState> states = new HashMap<>();
        try (JournalReader r = journal.reader()) {
            for (JournalEntry e = r.next(); e != null && e.index() <= untilIndex; e = r.next()) {
                final TagState st = states.computeIfAbsent(e.tag(), TagState::new);
                st.apply(e, where);
                st.lastIndex = target.writer.copy(e);
            }
        }
        target.table.lockMap();
        try {
            for (TagState st : states.values()) {
                RegionTable.publish(target.table.install(st.tag, Records.image(st, 1,
                    target.table.control().nextRecordId())), st.lastIndex);
            }
        } finally {
            target.table.unlockMap();
        }
    }

    void sync() {
        if (writer != null) {
            writer.sync();
        }
    }

    @Override
    public void close() {
        closed = true;
        if (follower != null) {
            follower.close();
        }
        table.lockMap();
        try {
            table.close();
        } finally {
            table.unlockMap();
            if (writer != null) {
                writer.close();
            }
        }
    }
}
