package io.memoir.store.mmap;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoir.store.Capacity;
import io.memoir.store.JournalEntry;
import io.memoir.store.MemoirException;
import io.memoir.store.Region;
import io.memoir.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maps of a store region ({@link Mmap#open(Store, String, long, int)}) in one JVM: what reaches
 * the journal, what other openers see, the access modes, the region changing or vanishing under
 * the map, and the store's errors. CPython's semantics of the same operations are checked by
 * {@link MmapCPythonTest} (its {@code REGION} variant); two JVMs by {@link MmapRegionIT}.
 */
class MmapRegionTest {

    private static final String TAG = "share_mmap";

    @TempDir
    Path dir;

    private Store store;

    @BeforeEach
    void openStore() {
        store = builder().open(dir.resolve("store"));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    static Store.Builder builder() {
        return Store.builder().rollCycle("TEST8_DAILY").capacity(new Capacity(64, 4096, 1 << 16));
    }

    @Test
    void shouldJournalOnlyTheBytesWritten() {
        try (Mmap mm = Mmap.open(store, TAG, 1024, Mmap.ACCESS_WRITE)) {
            mm.write(ascii("msg 1"));                          // WRITE 0 "msg 1"
            mm.seek(100);
            mm.writeByte(7);                                   // WRITE 100 [7]
            mm.set(-1, 9);                                     // WRITE 1023 [9]
            mm.setSlice(300, 304, ascii("abcd"));              // WRITE 300 "abcd"
            mm.setSlice(400L, 406L, 2L, ascii("xyz"));         // one WRITE per byte of an extended slice
            mm.move(500, 0, 5);                                // WRITE 500 "msg 1": the destination only
            mm.seek(600);
            mm.write(ascii("0123456789"), 2, 3);               // WRITE 600 "234"
            mm.write(new byte[0]);                             // nothing written, nothing journaled
            mm.move(10, 0, 0);
            mm.resize(2048);                                   // RESIZE 2048
            Mmap.OSError e = assertThrows(Mmap.OSError.class, () -> mm.resize(0));
            assertEquals(22, e.errno(), "resize(0) empties the region, then fails as Linux's mremap");
        }
        List<String> expected = List.of(
                "CREATE v1 @0 len=1024 []",
                "WRITE v2 @0 len=1024 [msg 1]",
                "WRITE v3 @100 len=1024 [\\x07]",
                "WRITE v4 @1023 len=1024 [\\x09]",
                "WRITE v5 @300 len=1024 [abcd]",
                "WRITE v6 @400 len=1024 [x]",
                "WRITE v7 @402 len=1024 [y]",
                "WRITE v8 @404 len=1024 [z]",
                "WRITE v9 @500 len=1024 [msg 1]",
                "WRITE v10 @600 len=1024 [234]",
                "RESIZE v11 @0 len=2048 []",
                "RESIZE v12 @0 len=0 []");
        assertEquals(expected, history(TAG));
        int pid = (int) ProcessHandle.current().pid();
        assertTrue(store.history(TAG).stream().allMatch(x -> x.writer() == pid));
    }

    @Test
    void shouldShareTheRegionWithEveryOpener() {
        try (Mmap a = Mmap.open(store, TAG, 64); Mmap b = Mmap.open(store, TAG, 0, Mmap.ACCESS_READ)) {
            assertEquals(64, b.length(), "length 0 maps the whole region");
            a.write(ascii("from a"));
            assertArrayEquals(ascii("from a"), b.getSlice(0, 6));
            store.region(TAG).write(10, ascii("via Region"));
            b.seek(10);
            assertArrayEquals(ascii("via Region"), b.read(10));
            assertEquals(10, a.find(ascii("via")), "a sees the write of the Region handle");
            assertEquals(64, a.size(), "size() is the region's length");
        }
        assertTrue(store.exists(TAG), "closing a map leaves the region");
    }

    @Test
    void shouldRefuseWritesOnAReadOnlyMapAsCPythonDoes() {
        store.region(TAG, 16);
        int before = store.history(TAG).size();
        try (Mmap mm = Mmap.open(store, TAG, 16, Mmap.ACCESS_READ)) {
            String readonly = "mmap can't modify a readonly memory map.";
            assertEquals(readonly, typeError(() -> mm.write(ascii("x"))));
            assertEquals(readonly, typeError(() -> mm.writeByte(1)));
            assertEquals(readonly, typeError(() -> mm.set(100, 300)), "the access check comes first");
            assertEquals(readonly, typeError(() -> mm.setSlice(0, 1, ascii("x"))));
            assertEquals(readonly, typeError(() -> mm.move(0, 1, 100)));
            assertEquals("mmap can't resize a readonly or copy-on-write memory map.", typeError(() -> mm.resize(8)));
            mm.flush();
        }
        assertEquals(before, store.history(TAG).size(), "nothing journaled");
    }

    @Test
    void shouldKeepCopyOnWriteChangesPrivateByPage() {
        Region r = store.region(TAG, 3 * Mmap.PAGESIZE);
        int before = store.history(TAG).size();
        try (Mmap copy = Mmap.open(store, TAG, 0, Mmap.ACCESS_COPY)) {
            copy.setSlice(Mmap.PAGESIZE - 2, Mmap.PAGESIZE + 2, ascii("copy"));   // pages 0 and 1 become private
            r.write(0, ascii("shared0"));
            r.write(2L * Mmap.PAGESIZE, ascii("shared2"));
            assertArrayEquals(new byte[7], copy.getSlice(0, 7), "a page written privately no longer follows the region");
            assertArrayEquals(ascii("shared2"), copy.getSlice(2L * Mmap.PAGESIZE, 2L * Mmap.PAGESIZE + 7),
                    "a page not written follows the region live, as Linux's MAP_PRIVATE");
            assertArrayEquals(ascii("copy"), copy.getSlice(Mmap.PAGESIZE - 2, Mmap.PAGESIZE + 2));
            copy.move(0, 2L * Mmap.PAGESIZE, 7);
            assertArrayEquals(ascii("shared2"), copy.getSlice(0, 7));
            copy.flush();
            assertEquals("mmap can't resize a readonly or copy-on-write memory map.",
                    typeError(() -> copy.resize(10)));
            assertEquals(3L * Mmap.PAGESIZE, copy.size());
        }
        assertArrayEquals(ascii("shared0"), r.read(0, 7));
        assertArrayEquals(new byte[4], r.read(Mmap.PAGESIZE - 2, 4), "copy-on-write never reaches the region");
        assertEquals(before + 2, store.history(TAG).size(), "only the Region's two writes are journaled");
    }

    @Test
    void shouldFaultWhereTheRegionShrankUnderTheMapAndTouchNothing() {
        try (Mmap mm = Mmap.open(store, TAG, 100)) {
            mm.write(ascii("0123456789abcdefghij"));
            store.region(TAG).resize(16);                     // another opener, in any JVM
            int journaled = store.history(TAG).size();
            assertEquals(100, mm.length(), "the map keeps its length, as a file map does");
            assertEquals(16, mm.size());
            assertArrayEquals(ascii("0123456789abcdef"), mm.getSlice(0, 16));
            Mmap.OSError e = assertThrows(Mmap.OSError.class, () -> mm.getSlice(10, 20));
            assertEquals(14, e.errno());
            assertTrue(e.getMessage().startsWith("[Errno 14] Bad address (CPython would die of SIGBUS here: "
                    + "the region is now 16 bytes long"), e.getMessage());
            assertTrue(e.getMessage().contains("tag=" + TAG), e.getMessage());
            mm.seek(10);
            assertEquals(14, assertThrows(Mmap.OSError.class, () -> mm.write(ascii("0123456789"))).errno());
            assertEquals(10, mm.tell(), "a failed call changes nothing, the position included");
            assertEquals(journaled, store.history(TAG).size(), "nothing journaled");
            assertEquals(14, assertThrows(Mmap.OSError.class, () -> mm.set(50, 1)).errno());
            mm.set(15, 'F');
            assertEquals('F', store.region(TAG).read(15, 1)[0]);
            mm.resize(32);
            assertEquals(32, store.region(TAG).length(), "resize() resizes the region");
            assertEquals(0, mm.get(31));
        }
    }

    @Test
    void shouldFaultOnEveryAccessOnceTheRegionIsDeleted() {
        try (Mmap mm = Mmap.open(store, TAG, 10)) {
            store.delete(TAG);
            Mmap.OSError e = assertThrows(Mmap.OSError.class, () -> mm.get(0));
            assertEquals(14, e.errno());
            assertTrue(e.getMessage().contains("the region was deleted"), e.getMessage());
            assertTrue(e.getCause().getCause() instanceof MemoirException.RegionNotFoundException);
            assertEquals(14, assertThrows(Mmap.OSError.class, () -> mm.write(ascii("x"))).errno());
            assertEquals(14, assertThrows(Mmap.OSError.class, () -> mm.find(ascii("x"))).errno());
            assertEquals(10, mm.length());
            assertThrows(MemoirException.RegionNotFoundException.class, mm::size);
            assertThrows(MemoirException.RegionNotFoundException.class, () -> mm.resize(20));
            assertFalse(store.exists(TAG), "nothing recreated it");
        }
    }

    @Test
    void shouldFaultEverywhereAfterResizeToZeroAsCPythonOverATruncatedFile() {
        try (Mmap mm = Mmap.open(store, TAG, 10)) {
            assertEquals(22, assertThrows(Mmap.OSError.class, () -> mm.resize(0)).errno());
            assertEquals(10, mm.length());
            assertEquals(0, mm.size());
            assertEquals(14, assertThrows(Mmap.OSError.class, () -> mm.read(1)).errno());
        }
    }

    @Test
    void shouldBeInvalidOnceTheStoreIsClosed() {
        Mmap mm = Mmap.open(store, TAG, 10);
        store.close();
        assertTrue(mm.isClosed());
        assertEquals("<mmap.mmap closed=True>", mm.toString());
        assertEquals("mmap closed or invalid", assertThrows(Mmap.ValueError.class, () -> mm.read(1)).getMessage());
        assertThrows(Mmap.ValueError.class, mm::length);
        mm.close();
        store = builder().open(dir.resolve("store"));
    }

    @Test
    void shouldRefuseAWritableMapOfAReadOnlyStore() {
        store.region(TAG, 8).write(0, ascii("hi"));
        store.close();
        store = builder().readOnly(true).open(dir.resolve("store"));
        assertThrows(MemoirException.ReadOnlyStoreException.class, () -> Mmap.open(store, TAG, 8));
        assertThrows(MemoirException.ReadOnlyStoreException.class, () -> Mmap.open(store, TAG, 8, Mmap.ACCESS_WRITE));
        assertThrows(MemoirException.ReadOnlyStoreException.class, () -> Mmap.open(store, "new", 8));
        try (Mmap r = Mmap.open(store, TAG, 0, Mmap.ACCESS_READ); Mmap c = Mmap.open(store, TAG, 8, Mmap.ACCESS_COPY)) {
            assertArrayEquals(ascii("hi"), r.read(2));
            c.write(ascii("yo"));
            assertArrayEquals(ascii("yo"), c.getSlice(0, 2));
            assertArrayEquals(ascii("hi"), r.getSlice(0, 2));
        }
    }

    @Test
    void shouldRefuseWhatTheStoreCannotDoAndCreateNothing() {
        MemoirException.RegionNotFoundException missing = assertThrows(MemoirException.RegionNotFoundException.class,
                () -> Mmap.open(store, TAG, 8, Mmap.ACCESS_READ));
        assertEquals(TAG, missing.tag());
        assertThrows(MemoirException.RegionNotFoundException.class, () -> Mmap.open(store, TAG, 8, Mmap.ACCESS_COPY));
        assertThrows(MemoirException.RegionNotFoundException.class, () -> Mmap.open(store, TAG, 0));
        MemoirException.StoreFullException full = assertThrows(MemoirException.StoreFullException.class,
                () -> Mmap.open(store, TAG, (1 << 16) + 1));
        assertTrue(full.getMessage().contains("maxRegionSize=65536"), full.getMessage());
        assertFalse(store.exists(TAG));
        assertEquals("memory mapped length must be positive",
                assertThrows(Mmap.OverflowError.class, () -> Mmap.open(store, TAG, -1)).getMessage());
        assertEquals("mmap invalid access parameter.",
                assertThrows(Mmap.ValueError.class, () -> Mmap.open(store, TAG, 8, 4)).getMessage());
        assertThrows(Mmap.OverflowError.class, () -> Mmap.open(store, TAG, Mmap.MAX_LENGTH + 1));
        assertFalse(store.exists(TAG));

        store.region(TAG, 8);
        assertEquals("mmap length is greater than file size",
                assertThrows(Mmap.ValueError.class, () -> Mmap.open(store, TAG, 9)).getMessage());
        store.region("empty", 0);
        assertEquals("cannot mmap an empty file",
                assertThrows(Mmap.ValueError.class, () -> Mmap.open(store, "empty", 0)).getMessage());
        try (Mmap mm = Mmap.open(store, TAG, 8)) {
            MemoirException.StoreFullException e = assertThrows(MemoirException.StoreFullException.class,
                    () -> mm.resize((1 << 16) + 1));
            assertTrue(e.getMessage().contains("tag=" + TAG), e.getMessage());
            assertEquals(8, mm.length());
        }
        assertThrows(IllegalArgumentException.class, () -> Mmap.open(store, "bad tag", 8));
    }

    private List<String> history(String tag) {
        List<String> out = new ArrayList<>();
        for (JournalEntry e : store.history(tag)) {
            out.add(e.op() + " v" + e.version() + " @" + e.offset() + " len=" + e.length() + " ["
                    + e.dataPreview(40) + "]");
        }
        return out;
    }

    private static String typeError(Executable call) {
        return assertThrows(Mmap.TypeError.class, call).getMessage();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(US_ASCII);
    }
}
