package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal cycle that has no index left (here {@code TEST_DAILY}: 64 entries a day) refuses the next
 * change with a {@link MemoirException.StoreFullException} naming the roll cycle and the store, and
 * nothing is written: Chronicle Queue itself would throw a raw {@link IllegalStateException} after
 * writing the entry, which then stayed in the history.
 */
class JournalCycleFullTest {
    @TempDir
    Path dir;

    @Test
    void shouldRefuseAChangeWhenTheCycleIsFullAndWriteNothing() {
        try (Store store = Store.builder().rollCycle("TEST_DAILY").open(dir)) {
            final Region r = store.region("a", 8);
            store.put("obj", "v");
            MemoirException.StoreFullException full = null;
            for (int i = 0; i < 1000 && full == null; i++) {
                try {
                    r.write(0, new byte[] {(byte) i});
                } catch (MemoirException.StoreFullException e) {
                    full = e;
                }
            }
            assertTrue(full != null, "no StoreFullException after 1000 writes");
            final String message = full.getMessage();
            assertTrue(message.contains("rollCycle=TEST_DAILY") && message.contains("maxEntries=64")
                && message.contains("store=" + dir.toAbsolutePath()) && message.contains("nothing was written")
                && message.contains("tag=a"), message);
            assertEquals(64, store.journal().entryCount());
            // Every kind of change fails the same way and changes nothing: in place, new record, new tag.
            TestStores.assertUnchanged(store, s -> {
                assertThrows(MemoirException.StoreFullException.class, () -> s.region("a").write(1, new byte[] {1}));
                assertThrows(MemoirException.StoreFullException.class, () -> s.region("a").resize(16));
                assertThrows(MemoirException.StoreFullException.class, () -> s.region("b", 8));
                assertThrows(MemoirException.StoreFullException.class, () -> s.put("obj", "w"));
                assertThrows(MemoirException.StoreFullException.class, () -> s.compareAndSet("obj", 1, "w"));
                assertThrows(MemoirException.StoreFullException.class, () -> s.delete("a"));
            });
            assertContiguous(store.history("a"));
            assertEquals(64, store.journal().entryCount());
        }
        try (Store again = Store.builder().open(dir)) {
            assertTrue(again.verify().ok(), again.verify().toString());
            assertTrue(again.repairs().isEmpty(), again.repairs().toString());
            assertEquals(63, again.region("a").version()); // CREATE, then 62 writes (and obj's PUT): 64 entries
        }
    }

    private static void assertContiguous(final List<JournalEntry> history) {
        for (int i = 0; i < history.size(); i++) {
            assertEquals(i + 1, history.get(i).version());
        }
    }
}
