package io.memoir.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.StoreFileListener;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

/**
 * A Memoir store: one directory that many JVMs open at once, holding named {@link Region}s (in a
 * Chronicle Map) and the {@link Journal} of every change to them (a Chronicle Queue).
 *
 * <pre>{@code
 * try (Store store = Store.open(Path.of("data/app"))) {
 *     Region r = store.region("share_mmap", 1024);      // created zero-filled if new
 *     r.write(0, "msg 1".getBytes(UTF_8));               // atomic, journaled, visible to all JVMs
 *     store.history("share_mmap").forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Thread-safe. Closing a store while other threads still use it is a usage error.
 */
public final class Store implements AutoCloseable {
    /** The journal's directory inside a store. */
    public static final String JOURNAL_DIR = "journal";
    private static final long JOURNAL_LOCK_TIMEOUT_MS = 2_000;
    private static final AtomicLong IDS = new AtomicLong();

    static {
        Quiet.init();
    }

    private final Path dir;
    private final Descriptor descriptor;
    private final ControlFile control;
    private final SingleChronicleQueue queue;
    private final Engine engine;
    private final SyncPolicy syncPolicy;
    private final boolean readOnly;
    private final Map<String, Region> handles = new ConcurrentHashMap<>();
    /** This store's number among the stores opened in this JVM: the owner of its {@link TreeCache} entries. */
    private final long id = IDS.incrementAndGet();
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private Cursors cursors;
    private volatile boolean closed;

    private Store(final Path dir, final Descriptor descriptor, final ControlFile control,
                  final SingleChronicleQueue queue, final Engine engine, final Builder options) {
        this.dir = dir;
        this.descriptor = descriptor;
        this.control = control;
        this.queue = queue;
        this.engine = engine;
        this.syncPolicy = options.syncPolicy;
        this.readOnly = options.readOnly;
    }

    /**
     * Opens the store in {@code dir}, creating it with {@link Capacity#DEFAULT} if the directory is
     * missing or empty.
     *
     * @param dir the store directory
     * @return the open store
     * @throws MemoirException.NotAStoreException if {@code dir} has files but is not a store
     */
    public static Store open(final Path dir) {
        return builder().open(dir);
    }

    /**
     * Options for opening or creating a store.
     *
     * @return a builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The region with this tag, created zero-filled with {@code length} bytes if it does not exist.
     * An existing region is returned as it is, whatever its length.
     *
     * @param tag    the tag: 1 to 128 characters from {@code [A-Za-z0-9._:@/+-]}
     * @param length the length if it is created
     * @return a handle on the region
     * @throws MemoirException.StoreFullException if the store has no room for it
     */
    public Region region(final String tag, final int length) {
        checkOpen();
        Tags.check(tag);
        return new Region(engine, tag, engine.create(tag, length));
    }

    /**
     * The existing region with this tag.
     *
     * @param tag the tag
     * @return a handle on the region
     * @throws MemoirException.RegionNotFoundException if there is none
     */
    public Region region(final String tag) {
        checkOpen();
        Tags.check(tag);
        return new Region(engine, tag, engine.resolve(tag));
    }

    /**
     * Whether a region with this tag exists.
     *
     * @param tag the tag
     * @return true if it exists
     */
    public boolean exists(final String tag) {
        checkOpen();
        Tags.check(tag);
        return engine.lookup(tag) != null;
    }

    /**
     * Every region, sorted by tag.
     *
     * @return tag, length, version, last change of each
     */
    public List<RegionInfo> list() {
        checkOpen();
        return engine.list();
    }

    /**
     * Deletes a region.
     *
     * @param tag the tag
     * @return the version of the deletion
     * @throws MemoirException.RegionNotFoundException if there is none
     */
    public long delete(final String tag) {
        return region(tag).delete();
    }

    /**
     * The journal: every change, in order.
     *
     * @return the journal
     */
    public Journal journal() {
        checkOpen();
        return engine.journal;
    }

    /**
     * Every change of one tag, oldest first.
     *
     * @param tag the tag
     * @return its journal entries
     */
    public List<JournalEntry> history(final String tag) {
        return journal().history(tag);
    }

    /**
     * The regions as they were just after the journal entry at {@code untilIndex}.
     *
     * @param untilIndex the last journal index to apply (inclusive)
     * @return an in-memory snapshot
     */
    public Snapshot replay(final long untilIndex) {
        checkOpen();
        final Map<String, TagState> states = engine.replay(untilIndex);
        long last = -1;
        for (TagState st : states.values()) {
            last = Math.max(last, st.lastIndex);
        }
        return new Snapshot(last, states);
    }

    /**
     * The regions as they were at a point in time.
     *
     * @param epochNanos the time, epoch nanoseconds
     * @return an in-memory snapshot of every change made at or before then
     */
    public Snapshot replayUntilTime(final long epochNanos) {
        return replay(journal().lastIndexAtOrBefore(epochNanos));
    }

    /**
     * Writes a new store in {@code target} holding this store's journal up to {@code untilIndex} and
     * the regions as they were then.
     *
     * @param target     a missing or empty directory
     * @param untilIndex the last journal index to copy (inclusive); {@link Long#MAX_VALUE} for all
     */
    public void replayTo(final Path target, final long untilIndex) {
        replayTo(target, untilIndex, descriptor.capacity);
    }

    /**
     * {@link #replayTo(Path, long)} into a store of another capacity: how {@code memoir grow} rebuilds a
     * store larger, keeping every region and its whole history.
     *
     * @param target     a missing or empty directory
     * @param untilIndex the last journal index to copy (inclusive); {@link Long#MAX_VALUE} for all
     * @param capacity   the new store's capacity; it must hold the regions copied
     * @throws MemoirException.StoreFullException if it cannot
     */
    public void replayTo(final Path target, final long untilIndex, final Capacity capacity) {
        checkOpen();
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(capacity, "capacity");
        if (Files.isDirectory(target) && !isEmptyDir(target)) {
            throw new IllegalArgumentException("replay target is not empty: dir=" + target
                + " (give a new or empty directory)");
        }
        try (Store out = builder().capacity(capacity).rollCycle(descriptor.rollCycle).open(target)) {
            engine.copyInto(out.engine, untilIndex);
        }
    }

    /**
     * Checks that the map equals the replayed journal.
     *
     * @return the differences, if any
     */
    public VerifyReport verify() {
        checkOpen();
        return Verifier.verify(engine);
    }

    /**
     * Brings map and journal back into agreement: repairs what dead writers left, then rebuilds from
     * the journal every tag whose map record differs from it. The journal is the source of truth.
     *
     * @return what was repaired, one line each; empty if nothing was
     */
    public List<String> recover() {
        checkOpen();
        engine.checkWritable("*");
        final int before = engine.repairs().size();
        engine.sweep();
        final List<String> out = new ArrayList<>(engine.repairs().subList(before, engine.repairs().size()));
        for (String difference : verify().differences()) {
            final String tag = difference.substring("tag=".length(), difference.indexOf(':'));
            engine.table.lockMap();
            try {
                out.add("tag=" + tag + ": " + difference.substring(difference.indexOf(':') + 2) + " -> "
                    + engine.rebuildTag(tag));
            } finally {
                engine.table.unlockMap();
            }
        }
        return out;
    }

    /**
     * What opening this store repaired (locks and half-done changes left by dead processes), and what
     * was repaired since.
     *
     * @return one line for each repair
     */
    public List<String> repairs() {
        return engine.repairs();
    }

    /**
     * Forces the journal and the map to the storage device (with {@link SyncPolicy#NONE}, only the
     * journal's current file is synced when asked).
     */
    public void flush() {
        checkOpen();
        if (readOnly) {
            return; // nothing of its own to force, and it may not open the map for writing
        }
        engine.sync();
        if (syncPolicy != SyncPolicy.NONE) {
            try (FileChannel ch = FileChannel.open(engine.table.file(), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
                ch.force(true);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot sync map=" + engine.table.file() + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * The store directory.
     *
     * @return its path
     */
    public Path directory() {
        return dir;
    }

    /**
     * The capacity the store was created with.
     *
     * @return its capacity
     */
    public Capacity capacity() {
        return descriptor.capacity;
    }

    /**
     * Whether this store was opened read-only.
     *
     * @return true if writes are refused
     */
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * Whether {@link #close()} has been called. The {@link Region}s of a closed store must not be used.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed;
    }

    // ---------------------------------------------------------------- objects

    /**
     * Stores an object under {@code tag}, creating the region if needed: one journaled {@link Op#PUT}
     * of its compact binary form (Chronicle Wire). Any JVM reading the tag sees the old object or the
     * new one, never a mix.
     *
     * @param tag   the tag
     * @param value a Chronicle Wire marshallable (e.g. extending {@code SelfDescribingMarshallable}), a
     *              JSON-like {@link Map}/{@link List}, a string, a boxed number or boolean, or null
     * @return the new version
     * @throws IllegalArgumentException           if the value's type cannot be encoded
     * @throws MemoirException.StoreFullException if it is larger than the maximum region size, or the
     *                                            store has no room for another region
     */
    public long put(final String tag, final Object value) {
        Tags.check(tag);
        return putEncoded(tag, ObjectCodec.encodeInPlace(value, tag), Engine.ANY_VERSION);
    }

    /**
     * Stores an object only if the tag is at {@code expectedVersion} (0: only if it does not exist);
     * the check and the change are one atomic step across JVMs.
     *
     * @param tag             the tag
     * @param expectedVersion the version the tag must have
     * @param value           the new object
     * @return the new version, {@code expectedVersion + 1} (or the next after a deletion)
     * @throws MemoirException.VersionConflictException if the tag has another version
     */
    public long compareAndSet(final String tag, final long expectedVersion, final Object value) {
        Tags.check(tag);
        if (expectedVersion < 0) {
            throw new IllegalArgumentException("negative expectedVersion=" + expectedVersion + " for tag=" + tag);
        }
        final long status = putEncoded(tag, ObjectCodec.encodeInPlace(value, tag), expectedVersion);
        if (status < 0) {
            throw new MemoirException.VersionConflictException(tag, expectedVersion, Engine.conflictVersion(status));
        }
        return status;
    }

    /**
     * Replaces the tag's object with {@code fn} of it, retrying on concurrent changes: a read-modify-
     * write that is atomic across JVMs. {@code fn} gets null if the tag does not exist, may run more
     * than once, and must have no side effects.
     *
     * @param tag  the tag
     * @param type the object's type
     * @param fn   computes the new object from the current one
     * @param <T>  the object's type
     * @return the version written
     */
    public <T> long update(final String tag, final Class<T> type, final UnaryOperator<T> fn) {
        Tags.check(tag);
        Objects.requireNonNull(fn, "fn");
        final Backoff.Idler idler = Backoff.DEFAULT.idler();
        while (true) {
            final Region h = handle(tag);
            long version = 0;
            T current = null;
            if (h != null) {
                final TagState st = stateOf(h);
                if (st != null) {
                    version = st.version;
                    current = ObjectCodec.decode(st.content, type, tag, st.version, id);
                }
            }
            final long status = putEncoded(tag, ObjectCodec.encodeInPlace(fn.apply(current), tag), version);
            if (status >= 0) {
                return status;
            }
            idler.idle();
        }
    }

    /**
     * The tag's object, as the latest version has it.
     *
     * @param tag  the tag
     * @param type the type to read it as ({@code Object.class} for whatever it is)
     * @param <T>  the type
     * @return the object
     * @throws MemoirException.RegionNotFoundException if there is no such tag
     * @throws MemoirException.WrongTypeException      if it holds no object, or one of another type
     */
    public <T> T get(final String tag, final Class<T> type) {
        return getVersioned(tag, type).value();
    }

    /**
     * The tag's object with its version, read together (never torn).
     *
     * @param tag  the tag
     * @param type the type to read it as
     * @param <T>  the type
     * @return the object and its version
     * @throws MemoirException.RegionNotFoundException if there is no such tag
     * @throws MemoirException.WrongTypeException      if it holds no object, or one of another type
     */
    public <T> Versioned<T> getVersioned(final String tag, final Class<T> type) {
        Tags.check(tag);
        Objects.requireNonNull(type, "type");
        final TagState st = latest(tag);
        return new Versioned<>(tag, st.version, st.lastIndex, st.lastTime, st.writer,
            ObjectCodec.decode(st.content, type, tag, st.version, id));
    }

    /**
     * The tag's object as it was at a version, a journal index or a time (read from the journal).
     *
     * @param tag  the tag
     * @param type the type to read it as
     * @param at   the point in history
     * @param <T>  the type
     * @return the object then, with its version
     * @throws MemoirException.RegionNotFoundException if the tag did not exist then
     */
    public <T> Versioned<T> getVersioned(final String tag, final Class<T> type, final At at) {
        Tags.check(tag);
        Objects.requireNonNull(type, "type");
        final TagState st = stateAt(tag, at);
        return new Versioned<>(tag, st.version, st.lastIndex, st.lastTime, st.writer,
            ObjectCodec.decode(st.content, type, tag, st.version));
    }

    /**
     * Every version of the tag's object, oldest first (deletions are skipped: versions jump over them).
     *
     * @param tag  the tag
     * @param type the type to read them as
     * @param <T>  the type
     * @return the versions
     */
    public <T> List<Versioned<T>> history(final String tag, final Class<T> type) {
        Objects.requireNonNull(type, "type");
        final TagState st = new TagState(tag);
        final List<Versioned<T>> out = new ArrayList<>();
        for (JournalEntry e : history(tag)) {
            st.apply(e, dir.toString());
            if (!st.deleted) {
                out.add(new Versioned<>(tag, st.version, st.lastIndex, st.lastTime, st.writer,
                    ObjectCodec.decode(st.content, type, tag, st.version)));
            }
        }
        return out;
    }

    /**
     * Stores JSON text as an object (kept in binary form): objects become insertion-ordered maps,
     * integers {@code Long}, other numbers {@code Double}. The text must be strict JSON (RFC 8259).
     *
     * @param tag  the tag
     * @param json the JSON text
     * @return the new version
     * @throws IllegalArgumentException if the text is not valid JSON (naming line and column)
     */
    public long putJson(final String tag, final String json) {
        Tags.check(tag);
        Objects.requireNonNull(json, "json");
        final TreeCodec.Out encoded;
        try {
            encoded = ObjectCodec.encodeJsonInPlace(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (for tag=" + tag + "; nothing was written)", e);
        }
        return putEncoded(tag, encoded, Engine.ANY_VERSION);
    }

    /**
     * The tag's object as JSON text. Typed objects appear as {@code {"@class.Name":{...}}}; their
     * classes need not be on the classpath.
     *
     * @param tag the tag
     * @return the JSON text
     * @throws MemoirException.RegionNotFoundException if there is no such tag
     * @throws MemoirException.WrongTypeException      if it holds raw bytes, not an object
     */
    public String getJson(final String tag) {
        Tags.check(tag);
        final TagState st = latest(tag);
        return ObjectCodec.toJson(st.content, tag, st.version);
    }

    /**
     * The tag's object as JSON text, as it was at a point in history.
     *
     * @param tag the tag
     * @param at  the point in history
     * @return the JSON text
     */
    public String getJson(final String tag, final At at) {
        Tags.check(tag);
        final TagState st = stateAt(tag, at);
        return ObjectCodec.toJson(st.content, tag, st.version);
    }

    // ---------------------------------------------------------------- watching

    /**
     * The tag's current version: 0 if it never existed; a deleted tag has its deletion's version.
     *
     * @param tag the tag
     * @return the version
     */
    public long version(final String tag) {
        checkOpen();
        Tags.check(tag);
        final Region h = handle(tag);
        if (h != null) {
            try {
                return engine.version(h);
            } catch (MemoirException.RegionNotFoundException e) {
                handles.remove(tag, h);
            }
        }
        return engine.version(tag);
    }

    /**
     * Waits until the tag's version is above {@code afterVersion}, with {@link Backoff#DEFAULT}. Reads
     * the version in shared memory: a change made by another JVM wakes it within microseconds while
     * it spins. Conflating: if several changes were made, it returns once with the latest version.
     *
     * @param tag          the tag (it need not exist yet)
     * @param afterVersion the version already seen
     * @param timeout      how long to wait at most
     * @return the tag's version: above {@code afterVersion} unless the timeout came first
     */
    public long await(final String tag, final long afterVersion, final Duration timeout) {
        return await(tag, afterVersion, timeout, Backoff.DEFAULT);
    }

    /**
     * {@link #await(String, long, Duration)} with a chosen back-off.
     *
     * @param tag          the tag
     * @param afterVersion the version already seen
     * @param timeout      how long to wait at most
     * @param backoff      how to wait
     * @return the tag's version: above {@code afterVersion} unless the timeout came first
     */
    public long await(final String tag, final long afterVersion, final Duration timeout, final Backoff backoff) {
        checkOpen();
        Tags.check(tag);
        final long deadline = System.nanoTime() + timeout.toNanos();
        final Backoff.Idler idler = backoff.idler();
        Region h = handle(tag);
        long installs = control.recordIdsVolatile();
        long absentVersion = h == null ? engine.version(tag) : 0;
        while (true) {
            long v = absentVersion;
            if (h != null) {
                try {
                    v = engine.version(h);
                } catch (MemoirException.RegionNotFoundException e) {
                    handles.remove(tag, h);
                    h = null;
                    absentVersion = engine.version(tag);
                    v = absentVersion;
                }
            } else {
                engine.follow(); // a journal-served store installs records only when it follows
                if (control.recordIdsVolatile() != installs) {
                    installs = control.recordIdsVolatile();
                    h = handle(tag);
                    absentVersion = h == null ? engine.version(tag) : 0;
                    continue;
                }
            }
            if (v > afterVersion || System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                return v;
            }
            idler.idle();
        }
    }

    /**
     * Starts watching changes, as the spec says (which tags, from where, with which cursor).
     *
     * @param watch the spec, without a {@linkplain Watch#cpu CPU} (a watcher runs on the caller's thread)
     * @return the watcher; close it when done
     */
    public Watcher watch(final Watch watch) {
        Objects.requireNonNull(watch, "watch");
        if (watch.cpu != Watch.ANY_CPU) {
            throw new IllegalArgumentException("a watcher runs on the caller's thread and is not bound to cpu="
                + watch.cpu + " (" + watch + "): bind that thread yourself (net.openhft.affinity.Affinity"
                + ".setAffinity), or use subscribe, whose thread the spec's CPU binds");
        }
        return watcher(watch);
    }

    private Watcher watcher(final Watch watch) {
        checkOpen();
        final Journal journal = engine.journal;
        final Cursor cursor = watch.cursor == null ? null : cursor(watch.cursor);
        if (cursor != null && cursor.position() != Cursor.NONE) {
            return new Watcher(watch, journal.readerFrom(cursor.position()), cursor.position(), cursor);
        }
        if (watch.afterVersion != Engine.ANY_VERSION) {
            final String tag = watch.tags.iterator().next();
            final Region h = handle(tag);
            if (h != null) {
                try {
                    final RegionInfo info = h.info();
                    if (watch.afterVersion >= info.version()) {
                        return new Watcher(watch, journal.readerFrom(info.lastIndex()), info.lastIndex(), cursor);
                    }
                } catch (MemoirException.RegionNotFoundException e) {
                    handles.remove(tag, h);
                }
            }
            return new Watcher(watch, journal.reader(), -1, cursor);
        }
        if (watch.fromIndex == Watch.FROM_NOW) {
            final JournalReader reader = journal.reader();
            reader.toEnd();
            return new Watcher(watch, reader, -1, cursor);
        }
        if (watch.fromIndex == Watch.FROM_START) {
            return new Watcher(watch, journal.reader(), -1, cursor);
        }
        return new Watcher(watch, journal.readerFrom(watch.fromIndex), watch.fromIndex - 1, cursor);
    }

    /**
     * Calls {@code callback} on a new thread for each change the spec asks for; with a cursor, each
     * change is acknowledged once the callback returns.
     *
     * @param watch    the spec; with a {@linkplain Watch#cpu CPU}, the thread runs on that CPU only
     * @param callback what to do with each change
     * @return the subscription; close it to stop (closing the store closes it too)
     * @throws IllegalStateException if the thread cannot be bound to the spec's CPU (nothing is left running)
     */
    public Subscription subscribe(final Watch watch, final Consumer<JournalEntry> callback) {
        Objects.requireNonNull(watch, "watch");
        Objects.requireNonNull(callback, "callback");
        final Subscription s = new Subscription(watcher(watch), callback, "memoir-watch-" + watch.describe(),
            watch.cpu, subscriptions::remove);
        subscriptions.add(s);
        return s;
    }

    /**
     * The durable cursor with this name, created if new (at {@link Cursor#NONE}).
     *
     * @param name 1 to 54 characters from {@code [A-Za-z0-9._-]}
     * @return the cursor
     * @throws MemoirException.ReadOnlyStoreException if the store is open read-only
     */
    public synchronized Cursor cursor(final String name) {
        checkOpen();
        Cursors.checkName(name);
        if (readOnly) {
            throw new MemoirException.ReadOnlyStoreException("store=" + dir + " is open read-only: cursor=" + name
                + " cannot be kept (open the store without readOnly to use durable cursors)");
        }
        if (cursors == null) {
            cursors = Cursors.open(dir);
        }
        return new Cursor(name, cursors, cursors.slot(name));
    }

    /**
     * Puts an encoded object: {@code encoded.buf[0, encoded.pos)}, which the store copies, padded to
     * the tag's record length when it fits it ({@link Engine#storedLength}).
     */
    private long putEncoded(final String tag, final TreeCodec.Out encoded, final long expectedVersion) {
        checkOpen();
        final int length = encoded.pos;
        while (true) {
            final Region h = handle(tag);
            if (h == null) {
                final long status = engine.putNew(tag, Arrays.copyOf(encoded.buf, length), expectedVersion);
                if (status != Engine.EXISTS) {
                    return status;
                }
                continue;
            }
            encoded.pos = length;
            ObjectCodec.pad(encoded, engine.storedLength(encoded.buf, length, h.ref));
            try {
                return engine.put(h, encoded.buf, encoded.pos, expectedVersion);
            } catch (MemoirException.RegionNotFoundException e) {
                handles.remove(tag, h); // deleted meanwhile: create it again
            }
        }
    }

    /** A cached handle on the tag's region, or null if it does not exist. */
    private Region handle(final String tag) {
        checkOpen();
        final Region h = handles.get(tag);
        if (h != null) {
            return h;
        }
        final RegionTable.RecordRef ref = engine.lookup(tag);
        if (ref == null) {
            return null;
        }
        final Region fresh = new Region(engine, tag, ref);
        final Region raced = handles.putIfAbsent(tag, fresh);
        return raced == null ? fresh : raced;
    }

    /** The region's state, its object's value without padding, or null if it was deleted (then its handle is dropped). */
    private TagState stateOf(final Region h) {
        try {
            return engine.state(h, true);
        } catch (MemoirException.RegionNotFoundException e) {
            handles.remove(h.tag(), h);
            return null;
        }
    }

    private TagState latest(final String tag) {
        final Region h = handle(tag);
        final TagState st = h == null ? null : stateOf(h);
        if (st == null) {
            throw new MemoirException.RegionNotFoundException(tag, dir, "(store an object with Store.put(tag, value))");
        }
        return st;
    }

    private TagState stateAt(final String tag, final At at) {
        Objects.requireNonNull(at, "at");
        final TagState st = new TagState(tag);
        for (JournalEntry e : history(tag)) {
            if (!at.includes(e)) {
                break;
            }
            st.apply(e, dir.toString());
        }
        if (at.kind == At.Kind.VERSION && st.version != at.value) {
            throw new IllegalArgumentException("tag=" + tag + " has no version " + at.value + " in store=" + dir
                + " (its latest is " + st.version + ")");
        }
        if (st.deleted) {
            throw new MemoirException.RegionNotFoundException(tag, dir, "at " + at + " (it did not exist then)");
        }
        return st;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("store is closed: dir=" + dir);
        }
    }

    /**
     * Closes the subscriptions and cursors, then unmaps the store. No other thread may be using it or its
     * regions then: their memory goes away (a usage error that is not guarded, as in Chronicle). So do not
     * close a store from a shutdown hook while other threads may still use it; it need not be closed at
     * exit at all: the OS unmaps it, the page cache keeps every write, and a change that the exit
     * interrupts is repaired at the next open.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (Subscription s : List.copyOf(subscriptions)) {
                s.close();
            }
            synchronized (this) {
                if (cursors != null) {
                    cursors.close();
                }
            }
            engine.close();
        } finally {
            queue.close();
            control.close();
        }
    }

    @Override
    public String toString() {
        return "Store{" + dir + "}";
    }

    private static boolean isEmptyDir(final Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list dir=" + dir + ": " + e.getMessage(), e);
        }
    }

    /** Options for {@link Store#open(Path)}; ends in {@link #open(Path)}. */
    public static final class Builder {
        private Capacity capacity = Capacity.DEFAULT;
        private SyncPolicy syncPolicy = SyncPolicy.NONE;
        private boolean readOnly;
        private Duration lockTimeout = Duration.ofSeconds(10);
        private String rollCycle = "FAST_DAILY";
        private Set<PosixFilePermission> filePermissions = FileModes.OWNER_ONLY;
        private boolean rebuildMap;
        private boolean fromJournal;

        private Builder() {
        }

        /**
         * Serve a read-only open from the journal alone even where this process may write the store (a
         * store it may not write always is): nothing of the store is then written, locked or created, not
         * even a lock word or a file's modification time, at the cost of reading the whole journal at
         * open. See {@link #readOnly(boolean)}; only for a read-only open.
         *
         * @param fromJournal true to read the journal only
         * @return this builder
         */
        public Builder fromJournal(final boolean fromJournal) {
            this.fromJournal = fromJournal;
            return this;
        }

        /**
         * Whether this process may write the files a map-served open writes (the control file's lock word,
         * the map's segment locks). A read-only open of a store it may not write is served from the journal.
         */
        private static boolean mayWrite(final Path dir) {
            return Files.isWritable(dir.resolve(ControlFile.FILE_NAME)) && Files.isWritable(dir.resolve(RegionTable.FILE_NAME));
        }

        /**
         * The capacity of a store that is created; ignored when the store exists.
         *
         * @param capacity regions and sizes
         * @return this builder
         */
        public Builder capacity(final Capacity capacity) {
            this.capacity = Objects.requireNonNull(capacity, "capacity");
            return this;
        }

        /**
         * When to force changes to the storage device. Default {@link SyncPolicy#NONE}.
         *
         * @param syncPolicy the policy
         * @return this builder
         */
        public Builder syncPolicy(final SyncPolicy syncPolicy) {
            this.syncPolicy = Objects.requireNonNull(syncPolicy, "syncPolicy");
            return this;
        }

        /**
         * Open read-only: every change is refused, a missing store is not created, and durable cursors
         * are refused. Where this process may write the store's control file and map (the store's owner),
         * reads are served from the map as in a writable open: opening is O(1), look-ups take the store's
         * map lock for microseconds, and locks or half-done changes left by dead writers are repaired, as
         * at every open. Where it may not (a store shared with it read-only, or after {@code chmod a-w}),
         * the open is served from the journal alone and writes, locks and creates nothing: it reads the
         * whole journal at open (O(entries)), keeps every region's content in this process's memory, and
         * applies the entries appended since before each read, so it sees every change made by any JVM.
         * {@link #fromJournal(boolean)} asks for the latter where the process may write. See
         * docs/reliability.md.
         *
         * @param readOnly true for read-only
         * @return this builder
         */
        public Builder readOnly(final boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /**
         * How long to wait for a lock held by a live process before giving up with
         * {@link MemoirException.StaleLockException}. Locks of dead processes are recovered at once,
         * whatever this is. Default 10 s.
         *
         * @param lockTimeout the timeout
         * @return this builder
         */
        public Builder lockTimeout(final Duration lockTimeout) {
            if (lockTimeout.isNegative() || lockTimeout.isZero()) {
                throw new IllegalArgumentException("lockTimeout must be positive: lockTimeout=" + lockTimeout);
            }
            this.lockTimeout = lockTimeout;
            return this;
        }

        /**
         * The journal's roll cycle for a store that is created: a {@code RollCycles} name such as
         * {@code FAST_DAILY} (default) or {@code FAST_HOURLY}, or a {@code TestRollCycles} name for tests.
         *
         * @param rollCycle the name
         * @return this builder
         */
        public Builder rollCycle(final String rollCycle) {
            rollCycleOf(rollCycle);
            this.rollCycle = rollCycle;
            return this;
        }

        /**
         * The permissions of a store that is created, as {@code ls -l} shows them: its files get these and
         * its directories the same plus execute wherever read is granted. Default {@code rw-------} (files
         * 0600, directories 0700), so only the owner can read a store. The owner needs read and write, and
         * files get no execute bits. Ignored when the store exists: the store directory's mode then decides,
         * each file getting it without execute bits (change it with {@code chmod} on the directory).
         *
         * @param filePermissions such as {@code rw-------} or {@code rw-r-----} to share with the group
         * @return this builder
         * @throws IllegalArgumentException if the string is not 9 {@code rwx-} characters or breaks the rules
         */
        public Builder filePermissions(final String filePermissions) {
            this.filePermissions = FileModes.parseFileMode(Objects.requireNonNull(filePermissions, "filePermissions"));
            return this;
        }

        /** The directory mode {@link #filePermissions(String)} gives, as {@code ls -l} shows it. */
        static String directoryMode(final Set<PosixFilePermission> filePermissions) {
            return PosixFilePermissions.toString(FileModes.directoryMode(filePermissions));
        }

        /**
         * Rebuild the region map from the journal while opening: the damaged map file is kept beside
         * it as {@code regions.cm3.damaged-<millis>}. For a map that cannot be opened (a
         * {@link MemoirException.CorruptStoreException} naming {@code regions.cm3}); no other process
         * may use the store meanwhile. A missing or empty map is rebuilt at every open without this.
         *
         * @param rebuildMap true to rebuild
         * @return this builder
         */
        public Builder rebuildMap(final boolean rebuildMap) {
            this.rebuildMap = rebuildMap;
            return this;
        }

        /**
         * Opens (or creates) the store.
         *
         * @param dir the store directory
         * @return the open store
         */
        public Store open(final Path dir) {
            Objects.requireNonNull(dir, "dir");
            Quiet.checkFlags();
            final Path abs = dir.toAbsolutePath().normalize();
            final Descriptor descriptor = descriptor(abs);
            if (fromJournal && !readOnly) {
                throw new IllegalArgumentException("fromJournal(true) needs readOnly(true): a writable open of store="
                    + abs + " uses its map");
            }
            final boolean journalServed = readOnly && (fromJournal || !mayWrite(abs));
            final ControlFile control = journalServed ? ControlFile.inMemory(abs) : ControlFile.open(abs, true);
            SingleChronicleQueue queue = null;
            RegionTable table = null;
            try {
                queue = SingleChronicleQueueBuilder.binary(abs.resolve(JOURNAL_DIR))
                    .rollCycle(rollCycleOf(descriptor.rollCycle))
                    .readOnly(readOnly)
                    // A dead appender's queue lock is taken over after 1.5 x this (default 15 s).
                    .timeoutMS(JOURNAL_LOCK_TIMEOUT_MS)
                    .storeFileListener(readOnly ? StoreFileListener.noOp() : FileModes.journalListener(abs))
                    .build();
                final String mapLost = journalServed ? null : mapLost(abs, queue);
                table = journalServed ? RegionTable.inMemory(abs, descriptor.capacity, control, lockTimeout.toNanos())
                    : RegionTable.open(abs, descriptor.capacity, control, lockTimeout.toNanos());
                final DiskSpace space = readOnly ? null : DiskSpace.of(abs);
                table.space(space);
                final JournalWriter writer = readOnly ? null
                    : new JournalWriter(queue, syncPolicy == SyncPolicy.EVERY_WRITE, space,
                        new CycleLimit(descriptor.rollCycle, abs.toString()), abs.toString(),
                        JOURNAL_LOCK_TIMEOUT_MS * 3 / 2);
                final Engine engine = new Engine(abs.toString(), table,
                    new Journal(queue, abs.resolve(JOURNAL_DIR).toString()), writer, readOnly,
                    descriptor.journalFormat);
                if (journalServed) {
                    engine.followJournal();
                }
                if (mapLost != null) {
                    engine.report("map=" + table.file() + " " + mapLost + ": " + MapCheck.rebuildFromJournal(engine));
                }
                if (!readOnly) {
                    engine.sweep();
                    FileModes.apply(abs);
                    MapCheck.checkJournalTail(engine);
                }
                return new Store(abs, descriptor, control, queue, engine, this);
            } catch (RuntimeException e) {
                if (table != null) {
                    table.close();
                }
                if (queue != null) {
                    queue.close();
                }
                control.close();
                throw e;
            }
        }

        /**
         * Why the map must be rebuilt from the journal (it is missing, empty, or set aside by
         * {@link #rebuildMap}), or null when it is there. A store's map exists from its creation on,
         * so a missing map with a non-empty journal was lost.
         */
        private String mapLost(final Path dir, final SingleChronicleQueue queue) {
            final Path map = dir.resolve(RegionTable.FILE_NAME);
            try {
                final boolean present = Files.isRegularFile(map) && Files.size(map) > 0;
                if (queue.lastIndex() < 0 && !rebuildMap) {
                    return null; // a new store, or one that was never written: nothing to rebuild from
                }
                if (present && !rebuildMap) {
                    return null;
                }
                if (readOnly) {
                    throw new MemoirException.CorruptStoreException("region map=" + map + (present
                        ? " cannot be rebuilt by a read-only open" : " is missing or empty")
                        + ": open the store writable once to rebuild it from journal=" + dir.resolve(JOURNAL_DIR));
                }
                if (!present) {
                    Files.deleteIfExists(map);
                    return "was missing or empty";
                }
                final Path aside = dir.resolve(RegionTable.FILE_NAME + ".damaged-" + System.currentTimeMillis());
                Files.move(map, aside);
                return "was set aside as " + aside.getFileName() + " (rebuildMap)";
            } catch (IOException e) {
                throw new UncheckedIOException("cannot check region map=" + map + ": " + e.getMessage(), e);
            }
        }

        private Descriptor descriptor(final Path dir) {
            if (Files.isRegularFile(dir.resolve(Descriptor.FILE_NAME))) {
                return Descriptor.read(dir);
            }
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new MemoirException.NotAStoreException("not a Memoir store: path=" + dir + " is a file");
            }
            if (Files.isDirectory(dir) && !isEmptyDir(dir)) {
                throw new MemoirException.NotAStoreException("not a Memoir store: dir=" + dir + " has files but no "
                    + Descriptor.FILE_NAME + " (give a new or empty directory to create a store)");
            }
            if (readOnly) {
                throw new MemoirException.NotAStoreException("no store to open read-only: dir=" + dir
                    + (Files.exists(dir) ? " is empty" : " does not exist"));
            }
            try {
                if (!Files.exists(dir)) {
                    Files.createDirectories(dir);
                }
                if (FileModes.posix(dir)) {
                    Files.setPosixFilePermissions(dir, FileModes.directoryMode(filePermissions));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create store dir=" + dir + ": " + e.getMessage(), e);
            }
            return Descriptor.create(capacity, rollCycle).writeIfAbsent(dir);
        }

        static RollCycle rollCycleOf(final String name) {
            try {
                return RollCycles.valueOf(name);
            } catch (IllegalArgumentException notStandard) {
                try {
                    return TestRollCycles.valueOf(name);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown roll cycle: rollCycle=" + name
                        + " (use a RollCycles name such as FAST_DAILY or FAST_HOURLY)", e);
                }
            }
        }
    }
}
