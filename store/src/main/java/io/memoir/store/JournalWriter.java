package io.memoir.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.core.io.ClosedIllegalStateException;
import net.openhft.chronicle.core.io.ReferenceOwner;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.Wire;
import net.openhft.posix.PosixAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends journal entries. One Chronicle Queue appender and one scratch buffer per thread, so that
 * an append allocates nothing in steady state. The scratch buffers are off-heap: Chronicle copies
 * off-heap bytes into the queue with one memory copy, but on-heap bytes eight at a time through its
 * bounds-checked path (a 4 KiB entry cost 26 µs that way, 2 µs this way).
 *
 * <p><b>Pretouching.</b> The first write to a fresh page of a memory-mapped journal file faults into
 * the kernel, which allocates and zeroes the page and (on ext4) a disk block: about 0.6 to 3 µs here,
 * paid inside an append, under the writer's record lock, once per 4 KiB of journal. A daemon thread
 * (started with the first appender) takes those faults ahead of time instead: it asks Linux to
 * populate, writable, the pages up to {@value #PRETOUCH_PROP_NAME} bytes (default 4 MiB) past each
 * appender's position in the appender's own mapping ({@code madvise(MADV_POPULATE_WRITE)}, Linux 5.14+),
 * once the appender has used half of that lead. While it finds work it goes round again at once: on a
 * virtual machine whose memory is cold, zeroing a page can be about as slow as a writer journals, and
 * a pretoucher that naps while behind leaves the writer faulting on half the pages.
 * That changes no byte, and where a page cannot be had (a full disk) the call fails instead of raising
 * SIGBUS. It holds a reference on the mapped chunk meanwhile, so the chunk cannot be unmapped under
 * it, and it leaves the disk-full reserve alone. Elsewhere it does nothing. Chronicle Queue's own
 * pretoucher is an enterprise feature; its open-source {@code MicroToucher} touches one page, on the
 * writer's thread.
 */
final class JournalWriter implements AutoCloseable {
    /** System property: how far ahead of each appender to touch journal pages, in bytes; 0 turns it off. */
    static final String PRETOUCH_PROP_NAME = "memoir.journal.pretouch";
    private static final long PRETOUCH_AHEAD = Long.getLong(PRETOUCH_PROP_NAME, 4L * 1024 * 1024);
    private static final int PAGE = 4096;
    /** Linux's {@code MADV_POPULATE_WRITE} (5.14+): fault pages in writable without writing them. */
    private static final int MADV_POPULATE_WRITE = 23;
    private static final int EINVAL = 22;
    /** {@link Appender#pretouch}: it populated pages. */
    private static final int TOUCHED = 0;
    /** {@link Appender#pretouch}: its appender wrote since the last look but still has half its lead. */
    private static final int MOVED = -2;
    /** {@link Appender#pretouch}: its appender did not write since the last look (or is being replaced). */
    private static final int NOTHING = -1;
    /**
     * The pretoucher's naps when it found nothing to do: rare enough that its wake-ups barely disturb
     * threads spinning on the other cores, short enough that a writer at full speed (about 0.5 GB/s of
     * journal here) does not use up half of {@link #PRETOUCH_AHEAD} in between.
     */
    private static final long BUSY_PARK_NANOS = 1_000_000;
    private static final long IDLE_PARK_NANOS = 10_000_000;
    private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);

    private final ChronicleQueue queue;
    private final boolean syncEveryWrite;
    private final DiskSpace space;
    private final ThreadLocal<Appender> appenders;
    private final List<Appender> all = new CopyOnWriteArrayList<>();
    private final String where;
    private final CutRollGuard rollGuard;
    private Thread pretoucher; // guarded by this
    private volatile boolean closed;

    JournalWriter(final ChronicleQueue queue, final boolean syncEveryWrite, final DiskSpace space,
                  final CycleLimit limit, final String where, final long lockTimeoutMs) {
        this.queue = queue;
        this.syncEveryWrite = syncEveryWrite;
        this.space = space;
        this.where = where;
        this.rollGuard = new CutRollGuard((SingleChronicleQueue) queue, lockTimeoutMs);
        this.appenders = ThreadLocal.withInitial(() -> {
            final Appender a = new Appender(queue, limit, rollGuard);
            all.add(a);
            startPretoucher();
            return a;
        });
    }

    /** Stops the pretouching thread and frees the scratch buffers; the queue closes its appenders itself. */
    @Override
    public void close() {
        closed = true;
        final Thread t;
        synchronized (this) {
            t = pretoucher;
        }
        if (t != null) {
            LockSupport.unpark(t);
            boolean interrupted = false;
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        for (Appender a : all) {
            a.scratch.releaseLast();
        }
        all.clear();
        rollGuard.close();
    }

    private synchronized void startPretoucher() {
        if (pretoucher != null || PRETOUCH_AHEAD <= 0 || closed || space == null
            || !"Linux".equals(System.getProperty("os.name"))) {
            return;
        }
        final Thread t = new Thread(this::pretouchLoop, "memoir-journal-pretouch " + where);
        t.setDaemon(true);
        pretoucher = t;
        t.start();
    }

    /**
     * The pretouching thread: touches ahead of every appender, round after round while it finds work;
     * then naps 1 ms while they write, 10 ms when they do not.
     */
    private void pretouchLoop() {
        final ReferenceOwner owner = ReferenceOwner.temporary("memoir-journal-pretouch");
        try {
            final PosixAPI posix = PosixAPI.posix();
            while (!closed) {
                boolean touched = false;
                boolean moved = false;
                for (Appender a : all) {
                    int status;
                    try {
                        status = a.pretouch(owner, PRETOUCH_AHEAD, posix, space);
                    } catch (ClosedIllegalStateException e) {
                        status = NOTHING; // its thread closed it meanwhile (a cut roll: see Appender.renew)
                    }
                    if (status == EINVAL) {
                        LOG.info("journal pretouching off for store={}: this kernel has no MADV_POPULATE_WRITE", where);
                        return;
                    }
                    touched |= status == TOUCHED;
                    moved |= status == MOVED;
                }
                if (!touched) { // else at once again: the writers moved on while it touched
                    LockSupport.parkNanos(moved ? BUSY_PARK_NANOS : IDLE_PARK_NANOS);
                }
            }
        } catch (RuntimeException | LinkageError e) {
            if (!closed) {
                LOG.warn("journal pretouching stopped for store={}: {} (appends fault their own pages from now on)",
                    where, e.toString());
            }
        }
    }

    /**
     * Appends one entry made by this process and returns its index.
     *
     * @throws MemoirException.StoreFullException if the disk is full; nothing was written then
     *
     * @param data the array holding the bytes written, or null for none
     */
    long append(final Op op, final String tag, final long version, final long offset, final int length,
                final byte[] data, final int dataOffset, final int dataLength, final long time) {
        space.take(dataLength + tag.length(), op, " of tag=", tag); // the message is built only on failure
        final Appender a = appenders.get();
        final int crc = a.crc.of(time, tag, op, version, offset, length, ProcessOwner.PID, data,
            dataOffset, dataLength);
        a.entry.encode(time, tag, op, version, offset, length, ProcessOwner.PID, data, dataOffset, dataLength, crc);
        final long index = a.write(op, tag);
        if (syncEveryWrite) {
            a.appender.sync();
        }
        return index;
    }

    /** Appends a copy of an entry read from another journal (replay into a new store). */
    long copy(final JournalEntry e) {
        space.take(e.data().length + e.tag().length(), "a copy of ", "index=", e.index());
        final Appender a = appenders.get();
        final int crc = a.crc.of(e.time(), e.tag(), e.op(), e.version(), e.offset(), e.length(),
            e.writer(), e.data(), 0, e.data().length);
        a.entry.encode(e.time(), e.tag(), e.op(), e.version(), e.offset(), e.length(), e.writer(), e.data(), 0,
            e.data().length, crc);
        return a.write(e.op(), e.tag());
    }

    void sync() {
        appenders.get().appender.sync();
    }

    /** Sets aside a journal file that a dead writer left without its header (see {@link CutRollGuard}). */
    void setAsideCutFiles() {
        rollGuard.setAsideCutFiles();
    }

    ChronicleQueue queue() {
        return queue;
    }

    private static final class Appender {
        /** How many appenders a write tries before giving up on a cycle file it cannot open. */
        private static final int OPEN_ATTEMPTS = 3;
        final ChronicleQueue queue;
        /** Replaced by its own thread when a cut roll broke it ({@link #renew}); read by the pretoucher too. */
        volatile ExcerptAppender appender;
        final Bytes<?> scratch = Bytes.allocateElasticDirect(256);
        final JournalEntryEncoder entry = new JournalEntryEncoder();
        final JournalFields.Checksum crc = new JournalFields.Checksum();
        final CycleLimit limit;
        final CutRollGuard rollGuard;
        /** The pretouching thread's own: the end of what it touched in {@link #touchedIn}. */
        private long touchedTo;
        private BytesStore<?, ?> touchedIn;
        /** The pretouching thread's own: the appender's position at its last look. */
        private long seenAt = -1;

        Appender(final ChronicleQueue queue, final CycleLimit limit, final CutRollGuard rollGuard) {
            this.queue = queue;
            this.limit = limit;
            this.rollGuard = rollGuard;
            rollGuard.setAsideCutFiles(); // the appender's constructor reads the newest cycles
            this.appender = queue.createAppender();
        }

        /**
         * Starts a document. A writer killed while creating a new cycle file leaves a file without its
         * header: Chronicle Queue waits for it ({@code timeoutMS}), sets it aside as {@code .discard},
         * and then the appender that rolled may throw (seen: a NullPointerException in
         * {@code StoreAppender.rollCycleTo}) and stays broken. Nothing was written then, so another
         * appender is tried, which opens the cycle afresh. Before a document that opens or rolls to a
         * cycle, {@link CutRollGuard} sets such a file aside without the wait.
         */
        private DocumentContext startDocument(final String tag) {
            RuntimeException failure = null;
            for (int attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
                try {
                    if (rollGuard.rollsNext(appender)) {
                        rollGuard.setAsideCutFiles();
                    }
                    return appender.writingDocument();
                } catch (RuntimeException e) {
                    failure = e;
                    renew(e);
                }
            }
            throw new MemoirException.CorruptStoreException("cannot append to journal=" + queue.file()
                + " for tag=" + tag + ": its current cycle file cannot be opened (" + OPEN_ATTEMPTS + " attempts; "
                + "nothing was written): " + failure, failure);
        }

        private void renew(final RuntimeException cause) {
            try {
                appender.close();
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
            }
            rollGuard.setAsideCutFiles(); // a new appender's constructor would wait for a cut file too
            appender = queue.createAppender();
        }

        /** Appends {@link #entry} as one document: copied off-heap, then into the journal with one copy. */
        long write(final Op op, final String tag) {
            scratch.clear();
            scratch.write(entry.bytes(), 0, entry.length());
            try (DocumentContext dc = startDocument(tag)) {
                limit.check(dc, op, tag);
                dc.wire().bytes().write(scratch);
            }
            return appender.lastIndexAppended();
        }

        /**
         * Called by the pretouching thread only: once the appender has used up half of its lead, populates
         * the pages from where the lead ends to {@code ahead} bytes past the appender's position, within the
         * chunk of the journal file it has mapped, if the disk has room for them beyond the reserve. The
         * reads of the appender's fields race with its thread; a stale value only makes it touch too little
         * or nothing.
         *
         * @return {@link #TOUCHED}, {@link #MOVED}, {@link #NOTHING}, or madvise's errno
         */
        int pretouch(final ReferenceOwner owner, final long ahead, final PosixAPI posix, final DiskSpace space) {
            final ExcerptAppender current = appender;
            if (current.isClosed()) {
                return NOTHING; // being replaced by its thread
            }
            final Wire wire = current.wire();
            if (wire == null) {
                return NOTHING;
            }
            final Bytes<?> bytes = wire.bytes();
            final BytesStore<?, ?> chunk = bytes.bytesStore();
            if (chunk == null || !chunk.tryReserve(owner)) {
                return NOTHING;
            }
            try {
                final long position = bytes.writePosition();
                final int idle = position == seenAt ? NOTHING : MOVED;
                seenAt = position;
                final boolean sameChunk = chunk == touchedIn;
                if (sameChunk && touchedTo - position >= ahead / 2) {
                    return idle;
                }
                final long from = Math.max(sameChunk ? touchedTo : 0, position & -PAGE);
                final long to = Math.min(position + ahead, chunk.safeLimit()) & -PAGE;
                if (to <= from || !chunk.inside(from, to - from) || !space.hasRoomFor(to - from)) {
                    return idle;
                }
                if (posix.madvise(chunk.addressForWrite(from), to - from, MADV_POPULATE_WRITE) != 0) {
                    return posix.lastError(); // EFAULT: no room for a page after all; tried again next time
                }
                touchedIn = chunk;
                touchedTo = to;
                return TOUCHED;
            } finally {
                chunk.release(owner);
            }
        }
    }
}
