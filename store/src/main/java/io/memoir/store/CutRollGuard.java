package io.memoir.store;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.TableStoreWriteLock;
import net.openhft.chronicle.threads.Pauser;
import net.openhft.chronicle.wire.Wires;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears, before an appender rolls, what a writer killed in the middle of a roll left behind, so that
 * the roll does not wait in Chronicle Queue for it.
 *
 * <p>A Chronicle appender rolls to a new cycle while holding the queue's write lock: it creates the
 * cycle's file, claims its first header word ({@code NOT_COMPLETE}), writes the header, and only then
 * releases the lock. A writer killed in between leaves (1) the write lock held by its dead pid, which
 * another appender takes over only after the lock's timeout (1.5 x {@code timeoutMS}: 3 s here), and
 * (2) a cycle file whose header never completes (or was never claimed). Every acquire of that cycle
 * that does not create it (tailers, {@code lastIndex()}, an appender's constructor, {@code rollCycleTo}
 * stepping through the last existing cycle) waits for it in {@code AbstractWire.readFirstHeader}, for
 * {@code timeoutMS} + 0-20 %, and gives up without touching the file; only a creating acquire renames
 * it to {@code *.discard} after its wait. Together about 19 s were measured (docs/reliability.md).
 *
 * <p>The guard runs before an appender opens or rolls to a cycle, before an appender is replaced, and
 * when a dead writer's record is repaired (which reads the journal). It takes over the write lock as
 * soon as its holder's process is gone (Chronicle's own {@code forceUnlockIfProcessIsDead}, polled
 * every 0.2 ms instead of after the timeout), takes the lock itself, and, holding it, reads the first
 * header word of the newest cycle files: a header not complete while this process holds the lock can
 * only be that of a creator that died holding it, since creation and header happen under that lock.
 * It sets that file aside as Chronicle does ({@code <file>-<millis>.discard}); no entry can be in it,
 * since entries follow a complete header. A live writer's roll is never touched: while a live process
 * holds the lock, the guard only waits (at most the lock's own timeout) and, if the lock stays held,
 * leaves everything to Chronicle.
 */
final class CutRollGuard {
    private static final Logger LOG = LoggerFactory.getLogger(CutRollGuard.class);
    private static final long POLL_NANOS = 200_000;
    private static final String SUFFIX = SingleChronicleQueue.SUFFIX;
    private static final int NEWEST = 2;

    private final SingleChronicleQueue queue;
    private final WriteLockWord lock;
    private final File dir;
    private final long lockTimeoutNanos;

    /**
     * @param queue         the journal's queue (not read-only)
     * @param lockTimeoutMs the queue's write-lock timeout: how long a live holder is waited for
     */
    CutRollGuard(final SingleChronicleQueue queue, final long lockTimeoutMs) {
        this.queue = queue;
        this.lockTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(lockTimeoutMs);
        // The queue's own write lock word (the same key in metadata.cq4t), with the same timeout.
        this.lock = new WriteLockWord(queue, lockTimeoutMs);
        this.dir = queue.file();
    }

    /** True if the next document of {@code appender} opens or rolls to a cycle. */
    boolean rollsNext(final ExcerptAppender appender) {
        return appender.wire() == null || appender.cycle() != queue.cycle();
    }

    /**
     * Sets aside the newest journal files if a writer died creating them; a no-op when the write lock
     * stays held by a live process. Called before an appender opens or rolls to a cycle, before one is
     * created, and when a dead writer's record is repaired (which reads the journal).
     */
    void setAsideCutFiles() {
        if (!lockUnlessHeldByLiveProcess()) {
            return;
        }
        try {
            boolean setAside = false;
            for (File f : newestCycleFiles()) {
                setAside |= setAsideIfCut(f);
            }
            if (setAside) {
                queue.refreshDirectoryListing(); // its newest cycle is no longer the one set aside
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The newest {@value #NEWEST} cycle files (their names sort by time): a dead creator's file is the
     * newest, unless another writer has rolled past it since.
     */
    private List<File> newestCycleFiles() {
        final String[] names = dir.list((d, name) -> name.endsWith(SUFFIX));
        if (names == null) {
            return List.of();
        }
        Arrays.sort(names, Comparator.reverseOrder());
        final List<File> newest = new ArrayList<>(NEWEST);
        for (int i = 0; i < Math.min(NEWEST, names.length); i++) {
            newest.add(new File(dir, names[i]));
        }
        return newest;
    }

    /** Releases the guard's view of the lock word; the queue's own lock is not affected. */
    void close() {
        lock.close();
    }

    private boolean lockUnlessHeldByLiveProcess() {
        final long deadline = System.nanoTime() + lockTimeoutNanos;
        while (!lock.tryLock()) {
            if (!lock.forceUnlockIfProcessIsDead() && System.nanoTime() - deadline > 0) {
                return false; // a live, slow holder: Chronicle's own lock wait decides, as before
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return true;
    }

    /**
     * Renames {@code file} aside if its first header is not complete: empty, zero, or claimed
     * ({@code NOT_COMPLETE}). Chronicle waits for such a header in every acquire but one that creates
     * the cycle; with the write lock held here, no live process can be writing it.
     *
     * @return true if it set the file aside
     */
    private boolean setAsideIfCut(final File file) {
        int header = 0;
        try (FileChannel ch = FileChannel.open(file.toPath(), StandardOpenOption.READ)) {
            final ByteBuffer b = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder());
            if (ch.read(b, 0) == Integer.BYTES) {
                header = b.getInt(0);
            }
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            LOG.warn("cannot read the header of journal file={}: {} (Chronicle Queue will wait for it)", file, e.toString());
            return false;
        }
        if (Wires.isReady(header)) {
            return false;
        }
        final File aside = new File(file.getParentFile(),
            file.getName() + "-" + System.currentTimeMillis() + SingleChronicleQueue.DISCARD_FILE_SUFFIX);
        try {
            Files.move(file.toPath(), aside.toPath(), StandardCopyOption.ATOMIC_MOVE);
            LOG.warn("journal file={} was left without its header by a writer that died rolling to it; set aside as {}",
                file, aside.getName());
            return true;
        } catch (IOException e) {
            LOG.warn("cannot set aside journal file={} left without its header: {} (Chronicle Queue will wait for it)",
                file, e.toString());
            return false;
        }
    }

    /** The queue's write lock word (the same key in {@code metadata.cq4t}), with a lock attempt that never waits. */
    private static final class WriteLockWord extends TableStoreWriteLock {
        WriteLockWord(final SingleChronicleQueue queue, final long timeoutMs) {
            super(queue.metaStore(), Pauser::balanced, timeoutMs);
        }

        /** Takes the lock for this process if it is free, as {@link #lock()} does, but without waiting. */
        boolean tryLock() {
            return lock.compareAndSwapValue(UNLOCKED, PID);
        }
    }
}
