package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Waiting for changes in one JVM: await, watchers, subscriptions, durable cursors. */
@Timeout(60)
class WatchTest {
    private static final Duration LONG = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Store open() {
        return TestStores.builder().open(dir);
    }

    @Test
    void shouldAwaitAChangeMadeByAnotherThread() throws Exception {
        try (Store store = open()) {
            assertEquals(0, store.version("cfg"));
            assertEquals(0, store.await("cfg", 0, Duration.ofMillis(20)), "times out on a tag that never existed");
            final Thread writer = new Thread(() -> store.put("cfg", "one"));
            writer.start();
            assertEquals(1, store.await("cfg", 0, LONG), "wakes up when the tag is created");
            writer.join();
            final Thread second = new Thread(() -> store.put("cfg", "two, longer"));
            second.start();
            assertEquals(2, store.await("cfg", 1, LONG, Backoff.busySpin()));
            second.join();
            assertEquals(2, store.await("cfg", 2, Duration.ofMillis(10)));
            store.delete("cfg");
            assertEquals(3, store.await("cfg", 2, LONG), "a deletion is a change");
            assertEquals(3, store.version("cfg"));
        }
    }

    @Test
    void shouldWatchFromNowStartIndexAndVersion() {
        try (Store store = open()) {
            store.put("a", 1);
            store.put("b", 1);
            store.put("a", 2);
            try (Watcher now = store.watch(Watch.all());
                 Watcher start = store.watch(Watch.tag("a").fromStart());
                 Watcher after1 = store.watch(Watch.tag("a").afterVersion(1));
                 Watcher after2 = store.watch(Watch.tag("a").afterVersion(2));
                 Watcher set = store.watch(Watch.tags("b", "c").fromStart())) {
                assertNull(now.poll());
                assertEquals(List.of(1L, 2L), drain(start).stream().map(JournalEntry::version).toList());
                assertEquals(List.of(2L), drain(after1).stream().map(JournalEntry::version).toList());
                assertNull(after2.poll());
                store.put("c", 1);
                store.put("a", 3);
                final List<JournalEntry> all = drain(now);
                assertEquals(List.of("c", "a"), all.stream().map(JournalEntry::tag).toList());
                assertEquals(3, all.get(1).object(Integer.class));
                assertEquals(List.of(3L), drain(after2).stream().map(JournalEntry::version).toList());
                assertEquals(List.of("b", "c"), drain(set).stream().map(JournalEntry::tag).toList());
                final long indexOfC = all.get(0).index();
                try (Watcher from = store.watch(Watch.all().fromIndex(indexOfC))) {
                    assertEquals(List.of("c", "a"), drain(from).stream().map(JournalEntry::tag).toList());
                }
            }
            assertThrows(IllegalArgumentException.class, () -> Watch.all().afterVersion(1));
            assertThrows(IllegalArgumentException.class, () -> Watch.tags());
            assertThrows(IllegalArgumentException.class, () -> Watch.tag("bad tag"));
            assertThrows(IllegalStateException.class, () -> {
                try (Watcher w = store.watch(Watch.all().fromStart())) {
                    w.ack(w.poll());
                }
            });
        }
    }

    @Test
    void shouldWaitInNextAndTimeOut() throws Exception {
        try (Store store = open(); Watcher w = store.watch(Watch.tag("t"))) {
            final long t0 = System.nanoTime();
            assertNull(w.next(Duration.ofMillis(30)));
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(30));
            final Thread writer = new Thread(() -> store.put("t", "x"));
            writer.start();
            final JournalEntry e = w.next(LONG);
            writer.join();
            assertEquals("x", e.object(String.class));
            assertEquals(e.index(), w.lastIndex());
        }
    }

    @Test
    void shouldDeliverToASubscriptionAndResumeFromItsCursor() throws Exception {
        try (Store store = open()) {
            final List<Long> seen = new CopyOnWriteArrayList<>();
            final CountDownLatch three = new CountDownLatch(3);
            try (Subscription s = store.subscribe(Watch.tag("k").fromStart().cursor("billing"), e -> {
                seen.add(e.version());
                three.countDown();
            })) {
                for (int i = 1; i <= 3; i++) {
                    store.put("k", i);
                }
                assertTrue(three.await(20, TimeUnit.SECONDS));
                assertTrue(s.isRunning());
            }
            assertEquals(List.of(1L, 2L, 3L), seen);
            final Cursor billing = store.cursor("billing");
            assertEquals(store.history("k").get(2).index(), billing.position());
            store.put("k", 4);
            store.put("other", 1);
            store.put("k", 5);
            try (Watcher resumed = store.watch(Watch.tag("k").cursor("billing"))) {
                assertEquals(List.of(4L, 5L), drain(resumed).stream().map(JournalEntry::version).toList());
            }
            billing.reset(Cursor.NONE);
            try (Watcher fresh = store.watch(Watch.tag("k").fromStart().cursor("billing"))) {
                assertEquals(5, drain(fresh).size());
            }
            assertThrows(IllegalArgumentException.class, () -> store.cursor("bad name"));
        }
        try (Store again = open()) {
            assertEquals(Cursor.NONE, again.cursor("billing").position(), "the reset survives a reopen");
        }
        try (Store ro = TestStores.builder().readOnly(true).open(dir)) {
            assertThrows(MemoirException.ReadOnlyStoreException.class, () -> ro.cursor("billing"));
        }
    }

    @Test
    void shouldStopASubscriptionWhoseCallbackThrows() throws Exception {
        try (Store store = open();
             Subscription s = store.subscribe(Watch.all(), e -> {
                 throw new IllegalStateException("boom at " + e.tag());
             })) {
            store.put("x", 1);
            final long deadline = System.nanoTime() + LONG.toNanos();
            while (s.isRunning() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertFalse(s.isRunning());
            assertEquals("boom at x", s.failure().orElseThrow().getMessage());
        }
    }

    @Test
    void shouldStopSubscriptionsWhenTheStoreCloses() {
        final Subscription s;
        try (Store store = open()) {
            s = store.subscribe(Watch.all(), e -> { });
            assertTrue(s.isRunning());
        }
        assertFalse(s.isRunning());
        assertTrue(s.failure().isEmpty());
    }

    @Test
    void shouldRunASubscriptionOnTheCpuItsSpecNames() throws Exception {
        final String mine = allowedCpus();
        final int cpu = lastCpu(mine);
        try (Store store = open()) {
            final List<String> where = new CopyOnWriteArrayList<>();
            final CountDownLatch one = new CountDownLatch(1);
            try (Subscription s = store.subscribe(Watch.tag("k").cpu(cpu), e -> {
                where.add(allowedCpus());
                one.countDown();
            })) {
                store.put("k", 1);
                assertTrue(one.await(20, TimeUnit.SECONDS));
                assertTrue(s.isRunning());
            }
            assertEquals(List.of(Integer.toString(cpu)), where, "the callback's thread may run on that CPU only");
            assertEquals(mine, allowedCpus(), "the caller's thread is not bound");
        }
    }

    @Test
    void shouldStartNothingWhenASubscriptionCannotBeBound() throws Exception {
        try (Store store = open()) {
            assertThrows(IllegalArgumentException.class, () -> Watch.all().cpu(-1));
            final IllegalArgumentException onWatcher = assertThrows(IllegalArgumentException.class,
                () -> store.watch(Watch.all().cpu(0)));
            assertTrue(onWatcher.getMessage().contains("caller's thread"), onWatcher.getMessage());
            final int absent = 4095;
            final IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> store.subscribe(Watch.tag("k").cpu(absent), change -> { }));
            assertTrue(e.getMessage().contains("cpu=" + absent) && e.getMessage().contains("memoir-watch-tags=[k]"),
                e.getMessage());
            assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("memoir-watch")), "no subscription thread is left");
            final CountDownLatch one = new CountDownLatch(1);
            try (Subscription s = store.subscribe(Watch.tag("k"), change -> one.countDown())) {
                store.put("k", 1);
                assertTrue(one.await(20, TimeUnit.SECONDS), "the store still delivers");
                assertTrue(s.isRunning());
            }
        }
    }

    /** The calling thread's {@code Cpus_allowed_list} (Linux), e.g. "0-1". */
    private static String allowedCpus() {
        try {
            return Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                .filter(l -> l.startsWith("Cpus_allowed_list:")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int lastCpu(final String list) {
        final String last = list.substring(list.lastIndexOf(',') + 1);
        return Integer.parseInt(last.substring(last.lastIndexOf('-') + 1));
    }

    private static List<JournalEntry> drain(final Watcher w) {
        final List<JournalEntry> out = new ArrayList<>();
        for (JournalEntry e = w.poll(); e != null; e = w.poll()) {
            out.add(e);
        }
        return out;
    }
}
