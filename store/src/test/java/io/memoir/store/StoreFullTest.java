package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full store says which limit it hit and how to grow, changes nothing, and a grown copy
 * ({@link Store#replayTo(Path, long, Capacity)}, what {@code memoir grow} runs) keeps every region and
 * its whole history.
 */
class StoreFullTest {
    private static final Capacity SMALL = new Capacity(4, 64, 1024);

    @TempDir
    Path dir;

    @Test
    void shouldSayHowToGrowThenKeepEverythingWhenGrown() {
        final Path grown = dir.resolve("grown");
        final Map<String, byte[]> contents = new TreeMap<>();
        final Map<String, List<JournalEntry>> histories = new TreeMap<>();
        try (Store store = TestStores.builder().capacity(SMALL).open(dir.resolve("small"))) {
            for (int i = 0; i < 3; i++) {
                final Region r = store.region("r" + i, 16);
                for (int v = 0; v < 5; v++) {
                    r.write(v, ("w" + v).getBytes(StandardCharsets.US_ASCII));
                }
            }
            store.put("obj", Map.of("k", "v"));
            store.region("r2").resize(32);
            store.delete("r1"); // a tombstone: it still counts against maxRegions
            assertEquals(3, store.list().size());

            TestStores.assertUnchanged(store, s -> {
                final MemoirException.StoreFullException regions =
                    assertThrows(MemoirException.StoreFullException.class, () -> s.region("r4", 8));
                assertTrue(regions.getMessage().contains("maxRegions=4") && regions.getMessage().contains("memoir grow"),
                    regions.getMessage());
                final MemoirException.StoreFullException size =
                    assertThrows(MemoirException.StoreFullException.class, () -> s.region("r0").resize(2048));
                assertTrue(size.getMessage().contains("maxRegionSize=1024") && size.getMessage().contains("memoir grow"),
                    size.getMessage());
                assertThrows(MemoirException.StoreFullException.class, () -> s.region("r0").put(new byte[1025]));
            });

            for (RegionInfo info : store.list()) {
                contents.put(info.tag(), store.region(info.tag()).readAll());
            }
            for (String tag : List.of("r0", "r1", "r2", "obj")) {
                histories.put(tag, store.history(tag));
            }
            store.replayTo(grown, Long.MAX_VALUE, new Capacity(64, 256, 64 * 1024));
        }

        try (Store big = TestStores.builder().open(grown)) {
            assertEquals(64, big.capacity().maxRegions());
            assertTrue(big.verify().ok(), big.verify().toString());
            assertEquals(contents.keySet(), new TreeMap<>(toMap(big)).keySet());
            for (Map.Entry<String, byte[]> e : contents.entrySet()) {
                assertArrayEquals(e.getValue(), big.region(e.getKey()).readAll(), "tag=" + e.getKey());
            }
            for (Map.Entry<String, List<JournalEntry>> e : histories.entrySet()) {
                assertSameHistory(e.getValue(), big.history(e.getKey()));
            }
            // What the small store refused now fits, and versions go on from the history.
            assertEquals(1, big.region("r4", 8).version());
            assertEquals(7, big.region("r0").resize(2048));
            assertEquals(8, big.region("r1", 8).version()); // CREATE 1, writes 2-6, DELETE 7
            assertTrue(big.verify().ok());
        }
    }

    private static Map<String, Integer> toMap(final Store s) {
        final Map<String, Integer> out = new TreeMap<>();
        s.list().forEach(i -> out.put(i.tag(), i.length()));
        return out;
    }

    /** Same ops, versions, offsets, lengths, data, times and writers; indexes are the new journal's. */
    private static void assertSameHistory(final List<JournalEntry> expected, final List<JournalEntry> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            final JournalEntry a = expected.get(i);
            final JournalEntry b = actual.get(i);
            assertEquals(List.of(a.op(), a.version(), a.offset(), a.length(), a.time(), a.writer()),
                List.of(b.op(), b.version(), b.offset(), b.length(), b.time(), b.writer()), a.tag() + " entry " + i);
            assertArrayEquals(a.data(), b.data(), a.tag() + " entry " + i);
        }
    }
}
