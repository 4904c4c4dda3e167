package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.TableStoreWriteLock;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import net.openhft.chronicle.threads.Pauser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CutRollGuard} on a real queue, with the state a writer killed inside a roll leaves: the
 * queue's write lock word holding its pid, and the newest cycle file with a first header word that is
 * claimed but not complete, or still zero. With the holder dead the guard sets the file aside and
 * frees the lock, and the queue keeps its entries and appends; with the holder alive it touches
 * nothing.
 */
class CutRollGuardTest {
    /** A cycle far after every real one: the newest file, as a roll's new file is. */
    private static final String CUT_NAME = "29991231-235959T.cq4";
    /** {@code NOT_COMPLETE | META_DATA} with no length: what {@code writeFirstHeader} claims. */
    private static final int CLAIMED = 0xC0000000;
    private static final long GUARD_TIMEOUT_MS = 200;

    @TempDir
    Path dir;

    @Test
    void shouldSetAsideACutFileAndTakeTheLockOfADeadWriter() throws Exception {
        for (int header : new int[] {CLAIMED, 0}) {
            final Path journal = dir.resolve("h" + Integer.toHexString(header));
            try (SingleChronicleQueue queue = queue(journal);
                 LockWord holder = new LockWord(queue)) {
                queue.createAppender().writeText("before");
                final Path cut = cutFile(journal, header);
                holder.holdFor(deadPid());
                final CutRollGuard guard = new CutRollGuard(queue, GUARD_TIMEOUT_MS);
                try {
                    guard.setAsideCutFiles();
                } finally {
                    guard.close();
                }
                assertFalse(Files.exists(cut), "header=" + Integer.toHexString(header) + ": the cut file is still there");
                final List<String> aside = discarded(journal);
                assertTrue(aside.size() == 1 && aside.get(0).matches(Pattern.quote(CUT_NAME) + "-\\d+\\.discard"),
                    "set aside as <file>-<millis>.discard: " + aside);
                assertEquals(TableStoreWriteLock.UNLOCKED, holder.lockedBy(), "the dead writer's lock is free");
                queue.createAppender().writeText("after");
                final ExcerptTailer tailer = queue.createTailer();
                assertEquals("before", tailer.readText());
                assertEquals("after", tailer.readText());
            }
        }
    }

    @Test
    void shouldTouchNothingWhileALiveProcessHoldsTheLock() throws Exception {
        final Path journal = dir.resolve("live");
        try (SingleChronicleQueue queue = queue(journal);
             LockWord holder = new LockWord(queue)) {
            queue.createAppender().writeText("before");
            final Path cut = cutFile(journal, CLAIMED);
            final long live = ProcessHandle.current().pid(); // a live writer in the middle of its roll
            holder.holdFor(live);
            final CutRollGuard guard = new CutRollGuard(queue, GUARD_TIMEOUT_MS);
            try {
                guard.setAsideCutFiles();
            } finally {
                guard.close();
            }
            assertTrue(Files.exists(cut), "a live writer's file was set aside");
            assertEquals(List.of(), discarded(journal));
            assertEquals(live, holder.lockedBy(), "the live writer's lock was taken");
            holder.holdFor(TableStoreWriteLock.UNLOCKED);
            Files.delete(cut);
        }
    }

    private static SingleChronicleQueue queue(final Path journal) {
        return SingleChronicleQueueBuilder.binary(journal).rollCycle(TestRollCycles.TEST_SECONDLY).timeoutMS(2_000).build();
    }

    private static Path cutFile(final Path journal, final int header) throws IOException {
        final ByteBuffer b = ByteBuffer.allocate(64 << 10).order(ByteOrder.nativeOrder());
        b.putInt(0, header);
        return Files.write(journal.resolve(CUT_NAME), b.array());
    }

    private static List<String> discarded(final Path journal) throws IOException {
        try (Stream<Path> files = Files.list(journal)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".discard")).sorted()
                .collect(Collectors.toList());
        }
    }

    /** The pid of a process that has ended. */
    private static long deadPid() throws Exception {
        final Process p = new ProcessBuilder("true").start();
        assertEquals(0, p.waitFor());
        return p.pid();
    }

    /** The queue's write lock word, set by hand to the state a given process would leave. */
    private static final class LockWord extends TableStoreWriteLock {
        LockWord(final SingleChronicleQueue queue) {
            super(queue.metaStore(), Pauser::balanced, 3_000L);
        }

        void holdFor(final long pid) {
            lock.setVolatileValue(pid);
        }
    }
}
