package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input gets a specific exception, and changes nothing: neither the map nor the journal. */
class StoreErrorsTest {
    @TempDir
    Path dir;

    private Store small() {
        return TestStores.builder().capacity(new Capacity(4, 64, 1024)).open(dir);
    }

    private static void unchanged(final Store store, final Consumer<Store> bad) {
        TestStores.assertUnchanged(store, bad);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a b", "-x", ".hidden", "/abs", "tab\t", "caf\u00e9", "x\u0000y",
        "12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901"})
    void shouldRejectBadTags(final String tag) {
        try (Store store = small()) {
            store.region("ok", 8);
            unchanged(store, s -> {
                final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.region(tag, 8));
                assertTrue(e.getMessage().contains("tag"), e.getMessage());
            });
        }
    }

    @Test
    void shouldRefuseRegionHandlesOfAClosedStore() {
        final Region r;
        try (Store store = small()) {
            r = store.region("kept", 8);
        }
        for (Runnable use : List.<Runnable>of(() -> r.read(0, 8), r::readAll, r::version, r::length, r::info,
            () -> r.write(0, new byte[1]), () -> r.put(new byte[2]), () -> r.resize(4), r::delete)) {
            final IllegalStateException e = assertThrows(IllegalStateException.class, use::run);
            assertTrue(e.getMessage().startsWith("store is closed"), e.getMessage());
        }
    }

    @Test
    void shouldRejectNullTag() {
        try (Store store = small()) {
            assertThrows(NullPointerException.class, () -> store.region(null, 8));
        }
    }

    @Test
    void shouldRejectOutOfRangeWritesAndReads() {
        try (Store store = small()) {
            final Region r = store.region("r", 8);
            r.write(0, new byte[] {1, 2, 3});
            unchanged(store, s -> {
                final Exception e = assertThrows(IndexOutOfBoundsException.class, () -> r.write(6, new byte[3]));
                assertTrue(e.getMessage().contains("tag=r") && e.getMessage().contains("regionLength=8"), e.getMessage());
                assertThrows(IndexOutOfBoundsException.class, () -> r.write(-1, new byte[1]));
                assertThrows(IndexOutOfBoundsException.class, () -> r.write(0, new byte[4], 2, 3));
                assertThrows(IndexOutOfBoundsException.class, () -> r.read(5, 4));
                assertThrows(IndexOutOfBoundsException.class, () -> r.read(-1, 1));
                assertThrows(IndexOutOfBoundsException.class, () -> r.read(0, -1));
                assertThrows(IllegalArgumentException.class, () -> r.resize(-1));
            });
        }
    }

    @Test
    void shouldRejectRegionsOverTheMaximum() {
        try (Store store = small()) {
            final Region r = store.region("r", 8);
            unchanged(store, s -> {
                final Exception e = assertThrows(MemoirException.StoreFullException.class, () -> s.region("big", 1025));
                assertTrue(e.getMessage().contains("maxRegionSize=1024") && e.getMessage().contains("tag=big"),
                    e.getMessage());
                assertThrows(MemoirException.StoreFullException.class, () -> r.resize(2000));
                assertThrows(MemoirException.StoreFullException.class, () -> r.put(new byte[2000]));
            });
        }
    }

    @Test
    void shouldSayWhenTheStoreIsFull() {
        try (Store store = small()) {
            for (int i = 0; i < 4; i++) {
                store.region("r" + i, 8);
            }
            unchanged(store, s -> {
                final Exception e = assertThrows(MemoirException.StoreFullException.class, () -> s.region("r4", 8));
                assertTrue(e.getMessage().contains("maxRegions=4") && e.getMessage().contains("grow"), e.getMessage());
            });
        }
    }

    @Test
    void shouldRefuseWritesOnAReadOnlyStore() {
        try (Store store = small()) {
            store.region("r", 8).write(0, new byte[] {7});
        }
        try (Store ro = TestStores.builder().readOnly(true).open(dir)) {
            final Region r = ro.region("r");
            assertEquals(7, r.read(0, 1)[0]);
            unchanged(ro, s -> {
                assertThrows(MemoirException.ReadOnlyStoreException.class, () -> r.write(0, new byte[1]));
                assertThrows(MemoirException.ReadOnlyStoreException.class, () -> r.resize(4));
                assertThrows(MemoirException.ReadOnlyStoreException.class, () -> r.put(new byte[8]));
                assertThrows(MemoirException.ReadOnlyStoreException.class, () -> s.region("new", 8));
                assertThrows(MemoirException.ReadOnlyStoreException.class, () -> s.delete("r"));
            });
        }
    }

    @Test
    void shouldSayWhichTagIsMissing() {
        try (Store store = small()) {
            final MemoirException.RegionNotFoundException e =
                assertThrows(MemoirException.RegionNotFoundException.class, () -> store.region("nope"));
            assertEquals("nope", e.tag());
            assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        }
    }

    @Test
    void shouldRefuseToOpenAMissingStoreReadOnly() {
        final Path missing = dir.resolve("missing");
        assertThrows(MemoirException.NotAStoreException.class,
            () -> TestStores.builder().readOnly(true).open(missing));
    }
}
