package io.memoir.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
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
        return engine.table.lookup(tag) != null;
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
        checkOpen();
        Objects.requireNonNull(target, "target");
        if (Files.isDirectory(target) && !isEmptyDir(target)) {
            throw new IllegalArgumentException("replay target is not empty: dir=" + target
                + " (give a new or empty directory)");
        }
        try (Store out = builder().capacity(descriptor.capacity).rollCycle(descriptor.rollCycle).open(target)) {
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

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("store is closed: dir=" + dir);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
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

        private Builder() {
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
         * Open read-only: every change is refused, and a missing store is not created.
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
            final ControlFile control = ControlFile.open(abs, true);
            SingleChronicleQueue queue = null;
            RegionTable table = null;
            try {
                queue = SingleChronicleQueueBuilder.binary(abs.resolve(JOURNAL_DIR))
                    .rollCycle(rollCycleOf(descriptor.rollCycle))
                    .readOnly(readOnly)
                    // A dead appender's queue lock is taken over after 1.5 x this (default 15 s).
                    .timeoutMS(JOURNAL_LOCK_TIMEOUT_MS)
                    .build();
                table = RegionTable.open(abs, descriptor.capacity, control, lockTimeout.toNanos());
                final JournalWriter writer = readOnly ? null
                    : new JournalWriter(queue, syncPolicy == SyncPolicy.EVERY_WRITE);
                final Engine engine = new Engine(abs.toString(), table,
                    new Journal(queue, abs.resolve(JOURNAL_DIR).toString()), writer, readOnly);
                if (!readOnly) {
                    engine.sweep();
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
                if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
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
