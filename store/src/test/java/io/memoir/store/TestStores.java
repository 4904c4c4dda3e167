package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;

/** Store options for tests (small journal files), and the "a failed call changes nothing" check. */
final class TestStores {
    private TestStores() {
    }

    static Store.Builder builder() {
        return Store.builder().rollCycle("TEST8_DAILY");
    }

    /** Runs {@code bad} and checks that the store is exactly as before: map, contents and journal. */
    static void assertUnchanged(final Store store, final Consumer<Store> bad) {
        final List<RegionInfo> before = store.list();
        final long lastIndex = store.journal().lastIndex();
        final byte[][] contents = before.stream().map(i -> store.region(i.tag()).readAll()).toArray(byte[][]::new);
        bad.accept(store);
        assertEquals(before, store.list());
        assertEquals(lastIndex, store.journal().lastIndex());
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(contents[i], store.region(before.get(i).tag()).readAll());
        }
        assertTrue(store.verify().ok());
    }
}
