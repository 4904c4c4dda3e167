package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoir.store.testing.FileSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read-only open served from the journal ({@link JournalFollower}: what a process that may not write
 * the store gets, and what {@link Store.Builder#fromJournal(boolean)} asks for) reads what a writable
 * open reads, follows changes made after it opened (in place, resizes, deletes, re-creations, objects),
 * and changes no byte, mtime or name of any file of the store.
 */
class ReadOnlyFromJournalTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Store openReadOnly() {
        return TestStores.builder().readOnly(true).fromJournal(true).open(dir);
    }

    @Test
    void shouldReadWhatTheMapHoldsAndTouchNoFile() {
        try (Store store = TestStores.builder().open(dir)) {
            final Region a = store.region("a", 16);
            a.write(3, new byte[] {1, 2, 3});
            store.region("b", 8).resize(32);
            store.region("gone", 8).delete();
            store.put("obj", Map.of("k", "v"));
            store.compareAndSet("obj", 1, Map.of("k", "w"));
            store.region("again", 4).delete();
            store.region("again", 12).write(0, new byte[] {9});
        }
        final List<RegionInfo> list;
        final Map<String, byte[]> contents;
        try (Store writable = TestStores.builder().open(dir)) {
            list = writable.list();
            contents = contents(writable);
        }
        final Map<Path, String> before = FileSnapshot.of(dir);
        try (Store ro = openReadOnly()) {
            assertTrue(ro.isReadOnly());
            assertEquals(list, ro.list());
            assertEquals(contents.keySet(), contents(ro).keySet());
            contents.forEach((tag, bytes) -> assertArrayEquals(bytes, ro.region(tag).readAll(), "tag=" + tag));
            assertEquals("{\"k\":\"w\"}", ro.getJson("obj"));
            assertEquals(2, ro.history("obj").size());
            assertEquals(2, ro.version("gone")); // CREATE, DELETE
            assertTrue(!ro.exists("gone") && ro.exists("again"));
            assertTrue(ro.verify().ok(), ro.verify().toString());
            assertEquals(2, ro.await("a", 1, Duration.ofMillis(5))); // CREATE, WRITE
            try (Watcher w = ro.watch(Watch.all().fromStart())) {
                int n = 0;
                while (w.poll() != null) {
                    n++;
                }
                assertEquals(ro.journal().entryCount(), n);
            }
            assertThrows(MemoirException.ReadOnlyStoreException.class, () -> ro.region("a").write(0, new byte[1]));
            assertThrows(MemoirException.ReadOnlyStoreException.class, () -> ro.region("new", 8));
            assertThrows(MemoirException.ReadOnlyStoreException.class, () -> ro.put("obj", 1));
            assertThrows(MemoirException.ReadOnlyStoreException.class, () -> ro.cursor("c"));
            ro.flush();
        }
        assertEquals(before, FileSnapshot.of(dir), "a read-only open served from the journal changed a file");
    }

    @Test
    void shouldFollowChangesMadeAfterItOpened() {
        try (Store store = TestStores.builder().open(dir)) {
            final Region a = store.region("a", 8);
            try (Store ro = openReadOnly()) {
                final Region roA = ro.region("a");
                a.write(0, new byte[] {7});
                assertEquals(2, roA.version());
                assertEquals(7, roA.read(0, 1)[0]);
                a.resize(20); // a new record: the read-only handle moves to it
                assertEquals(20, roA.readAll().length);
                store.put("obj", "one");
                assertEquals(1, ro.await("obj", 0, LONG));
                assertEquals("one", ro.get("obj", String.class));
                try (Watcher w = ro.watch(Watch.tag("obj").fromNow())) {
                    store.put("obj", "two");
                    final JournalEntry e = w.next(LONG);
                    assertEquals(2, e.version());
                    assertEquals("two", ro.get("obj", String.class));
                }
                a.delete();
                assertTrue(!ro.exists("a"));
                assertThrows(MemoirException.RegionNotFoundException.class, roA::readAll);
                store.region("a", 4).write(1, new byte[] {5});
                assertArrayEquals(new byte[] {0, 5, 0, 0}, ro.region("a").readAll());
                assertEquals(store.list(), ro.list());
                assertTrue(ro.verify().ok());
            }
        }
    }

    @Test
    void shouldWakeAnAwaitOnATagCreatedLater() throws Exception {
        try (Store store = TestStores.builder().open(dir); Store ro = openReadOnly()) {
            final Thread creator = new Thread(() -> {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                store.put("later", "x");
            });
            creator.start();
            assertEquals(1, ro.await("later", 0, LONG));
            creator.join();
        }
    }

    @Test
    void shouldRefuseFromJournalForAWritableOpen() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> TestStores.builder().fromJournal(true).open(dir));
        assertTrue(e.getMessage().contains("needs readOnly(true)"), e.getMessage());
    }

    @Test
    void shouldOpenWithoutTheMapFile() throws IOException {
        try (Store store = TestStores.builder().open(dir)) {
            store.region("a", 8).write(0, new byte[] {1});
        }
        Files.delete(dir.resolve(RegionTable.FILE_NAME));
        Files.delete(dir.resolve(ControlFile.FILE_NAME));
        try (Store ro = openReadOnly()) {
            assertEquals(1, ro.region("a").readAll()[0]);
        }
        assertTrue(!Files.exists(dir.resolve(RegionTable.FILE_NAME)) && !Files.exists(dir.resolve(ControlFile.FILE_NAME)),
            "the read-only open created a file");
    }

    private static Map<String, byte[]> contents(final Store s) {
        final Map<String, byte[]> out = new TreeMap<>();
        for (RegionInfo i : s.list()) {
            out.put(i.tag(), s.region(i.tag()).readAll());
        }
        return out;
    }
}
