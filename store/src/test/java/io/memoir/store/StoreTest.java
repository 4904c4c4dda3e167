package io.memoir.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
    @TempDir
    Path dir;

    static Store open(final Path dir) {
        return TestStores.builder().open(dir);
    }

    @Test
    void shouldCreateZeroFilledRegionAndWriteInPlace() {
        try (Store store = open(dir)) {
            final Region r = store.region("share_mmap", 1024);
            assertEquals(1024, r.length());
            assertEquals(1, r.version());
            assertArrayEquals(new byte[1024], r.readAll());
            assertEquals(2, r.write(0, "msg 1".getBytes(UTF_8)));
            assertEquals("msg 1", new String(r.read(0, 5), UTF_8));
            assertEquals(3, r.write(1020, new byte[] {1, 2, 3, 4}));
            assertArrayEquals(new byte[] {1, 2, 3, 4}, r.read(1020, 4));
            assertEquals(3, r.version());
        }
    }

    @Test
    void shouldPersistAcrossReopen() {
        try (Store store = open(dir)) {
            store.region("a", 16).write(3, "abc".getBytes(UTF_8));
        }
        try (Store store = open(dir)) {
            final Region r = store.region("a");
            assertEquals("abc", new String(r.read(3, 3), UTF_8));
            assertEquals(2, r.version());
            assertTrue(store.verify().ok(), () -> store.verify().toString());
        }
    }

    @Test
    void shouldJournalEveryMutationWithOnlyTheBytesWritten() {
        try (Store store = open(dir)) {
            final Region r = store.region("t", 1 << 20);
            r.write(100, "hello".getBytes(UTF_8));
            r.resize(10);
            r.put("0123456789".getBytes(UTF_8));
            r.put("xy".getBytes(UTF_8));
            r.delete();
            final List<JournalEntry> h = store.history("t");
            assertEquals(List.of(Op.CREATE, Op.WRITE, Op.RESIZE, Op.PUT, Op.PUT, Op.DELETE),
                h.stream().map(JournalEntry::op).toList());
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), h.stream().map(JournalEntry::version).toList());
            assertEquals(100, h.get(1).offset());
            assertArrayEquals("hello".getBytes(UTF_8), h.get(1).data());
            assertEquals(0, h.get(0).data().length);
            assertEquals(1 << 20, h.get(0).length());
            assertFalse(store.exists("t"));
            assertTrue(store.verify().ok(), () -> store.verify().toString());
        }
    }

    @Test
    void shouldContinueVersionsWhenATagIsCreatedAgain() {
        try (Store store = open(dir)) {
            store.region("t", 4).write(0, new byte[] {9});
            store.delete("t");
            final Region again = store.region("t", 8);
            assertEquals(4, again.version());
            assertArrayEquals(new byte[8], again.readAll());
            assertTrue(store.verify().ok(), () -> store.verify().toString());
        }
    }

    @Test
    void shouldSeeResizeThroughAnOldHandle() {
        try (Store store = open(dir)) {
            final Region a = store.region("t", 4);
            final Region b = store.region("t");
            a.write(0, new byte[] {1, 2, 3, 4});
            a.resize(6);
            assertEquals(6, b.length());
            assertArrayEquals(new byte[] {1, 2, 3, 4, 0, 0}, b.readAll());
            b.write(4, new byte[] {5, 6});
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, a.readAll());
            store.delete("t");
            assertThrows(MemoirException.RegionNotFoundException.class, () -> a.read(0, 1));
        }
    }

    @Test
    void shouldReplayToAnyIndexAndIntoANewDirectory() {
        try (Store store = open(dir)) {
            final Region r = store.region("t", 3);
            r.write(0, "abc".getBytes(UTF_8));
            final long mid = store.journal().lastIndex();
            r.write(0, "xyz".getBytes(UTF_8));
            store.region("u", 2);
            assertEquals("abc", new String(store.replay(mid).content("t"), UTF_8));
            assertFalse(store.replay(mid).contains("u"));
            assertEquals("xyz", new String(store.replay(Long.MAX_VALUE).content("t"), UTF_8));

            final Path copy = dir.resolveSibling(dir.getFileName() + "-copy");
            store.replayTo(copy, mid);
            try (Store c = open(copy)) {
                assertEquals("abc", new String(c.region("t").readAll(), UTF_8));
                assertEquals(2, c.region("t").version());
                assertFalse(c.exists("u"));
                assertEquals(2, c.history("t").size());
                assertTrue(c.verify().ok(), () -> c.verify().toString());
            }
        }
    }

    @Test
    void shouldListRegions() {
        try (Store store = open(dir)) {
            store.region("b", 2).write(0, new byte[] {1});
            store.region("a", 5);
            store.region("c", 1).delete();
            final List<RegionInfo> list = store.list();
            assertEquals(List.of("a", "b"), list.stream().map(RegionInfo::tag).toList());
            assertEquals(5, list.get(0).length());
            assertEquals(2, list.get(1).version());
            assertEquals(ProcessHandle.current().pid(), list.get(1).writer());
        }
    }

    @Test
    void shouldRefuseADirectoryThatIsNotAStoreAndTouchNothing() throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "mine");
        final MemoirException e = assertThrows(MemoirException.NotAStoreException.class, () -> open(dir));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("notes.txt")), files.toList());
        }
    }

    @Test
    void shouldRefuseANewerFormat() throws Exception {
        try (Store store = open(dir)) {
            store.region("a", 1);
        }
        final Path yaml = dir.resolve("memoir.yaml");
        Files.writeString(yaml, Files.readString(yaml).replace("format: 1\n", "format: 99\n"));
        final MemoirException e = assertThrows(MemoirException.CorruptStoreException.class, () -> open(dir));
        assertTrue(e.getMessage().contains("format=99"), e.getMessage());
    }
}
