package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A put of the region's own length is journaled as a {@link Op#PATCH} of the span that changed
 * (journal format 2), and every reader still sees the whole {@link Op#PUT}: from the start, from any
 * index (reading back to the tag's last whole entry), across a roll, after raw writes.
 */
class JournalPatchTest {
    @TempDir
    Path dir;

    private static Map<String, Object> config(final long counter, final String host) {
        final Map<String, Object> c = new LinkedHashMap<>();
        c.put("service", "billing");
        c.put("counter", counter);
        c.put("host", host);
        c.put("ports", List.of(8080L, 8081L, 8082L));
        c.put("ratio", 0.5);
        return c;
    }

    @Test
    void shouldJournalTheChangedSpanAndHandOutWholePuts() {
        final int puts = 300;
        final List<byte[]> expected = new ArrayList<>();
        try (Store store = TestStores.builder().open(dir)) {
            for (int i = 0; i < puts; i++) {
                store.put("config", config(i, "node-" + (i % 10) + ".internal")); // same length every time
                expected.add(store.region("config").readAll());
            }
            final List<JournalEntry> raw = TestStores.journaled(store, "config");
            assertEquals(puts, raw.size());
            int patches = 0;
            for (int i = 0; i < puts; i++) {
                final JournalEntry e = raw.get(i);
                // the first put creates the tag with a budget; then one whole put in 64
                final boolean whole = i % (RecordDescriptor.PATCH_RUN + 1) == 0;
                assertEquals(whole ? Op.PUT : Op.PATCH, e.op(), "entry " + i);
                if (!whole) {
                    patches++;
                    assertTrue(e.data().length <= 24, "a patch of " + e.data().length + " bytes at entry " + i);
                    assertEquals(expected.get(i).length, e.length());
                }
            }
            assertTrue(patches > puts * 9 / 10, "patches=" + patches);

            final List<JournalEntry> history = TestStores.assertWholePuts(store, "config", expected);
            for (int i = 0; i < puts; i++) {
                assertEquals(config(i, "node-" + (i % 10) + ".internal"), history.get(i).object(Map.class));
            }
            assertEquals(config(puts - 1, "node-9.internal"), store.history("config", Map.class).get(puts - 1).value());
            assertEquals(config(37, "node-7.internal"), store.getVersioned("config", Map.class, At.version(38)).value());
        }
    }

    @Test
    void shouldRebuildAPatchFromAnyIndex() {
        final List<byte[]> expected = new ArrayList<>();
        final Random random = new Random(11);
        try (Store store = TestStores.builder().open(dir)) {
            final Region raw = store.region("raw", 64);
            for (int i = 0; i < 150; i++) {
                final byte[] content = raw.readAll();
                switch (random.nextInt(4)) {
                    case 0 -> raw.write(random.nextInt(60), new byte[] {(byte) i, (byte) (i >> 8), 7, 9});
                    case 1 -> content[random.nextInt(64)] = (byte) i;
                    case 2 -> random.nextBytes(content); // most bytes change: whole
                    default -> {
                        // unchanged: an empty patch
                    }
                }
                raw.put(content);
                store.put("other", "value " + i); // interleaved entries of another tag
                expected.add(raw.readAll());
            }
            final List<JournalEntry> asJournaled = TestStores.journaled(store, "raw");
            assertTrue(asJournaled.stream().anyMatch(e -> e.op() == Op.PATCH && e.data().length == 0), "empty patch");
            assertTrue(asJournaled.stream().anyMatch(e -> e.op() == Op.PATCH && e.data().length > 0), "patch");
            final List<JournalEntry> history = store.history("raw");
            for (JournalEntry from : history) {
                try (JournalReader r = store.journal().readerFrom(from.index())) {
                    final JournalEntry e = r.next();
                    assertEquals(from.index(), e.index());
                    assertEquals(from.op(), e.op());
                    assertArrayEquals(from.data(), e.data(), "read from index 0x" + Long.toHexString(e.index()));
                }
            }
            int put = 0;
            for (JournalEntry e : history) {
                if (e.op() == Op.PUT) {
                    assertArrayEquals(expected.get(put++), e.data());
                }
            }
            assertEquals(150, put);
            assertTrue(store.verify().ok());
        }
    }

    @Test
    void shouldReadBackAcrossARoll() throws InterruptedException {
        try (Store store = Store.builder().rollCycle("TEST_SECONDLY").open(dir)) {
            store.put("config", config(1, "a"));
            store.put("config", config(2, "a"));
            final long second = System.currentTimeMillis() / 1000;
            while (System.currentTimeMillis() / 1000 == second) {
                Thread.sleep(20); // into the next cycle file
            }
            final long patchVersion = store.put("config", config(3, "b"));
            final JournalEntry patch = TestStores.journaled(store, "config").get(2);
            assertEquals(Op.PATCH, patch.op());
            try (JournalReader r = store.journal().readerFrom(patch.index())) {
                final JournalEntry e = r.next();
                assertEquals(patchVersion, e.version());
                assertEquals(config(3, "b"), e.object(Map.class));
            }
        }
    }

    @Test
    void shouldKeepWholePutsInAStoreOfJournalFormatOne() throws IOException {
        final Path descriptor = TestStores.createWithJournalFormat(dir, 1);
        try (Store store = TestStores.builder().open(dir)) {
            for (int i = 0; i < 20; i++) {
                store.put("config", config(i, "h"));
            }
            assertTrue(TestStores.journaled(store, "config").stream().allMatch(e -> e.op() == Op.PUT));
            assertEquals(config(19, "h"), store.get("config", Map.class));
        }
        assertTrue(Files.readString(descriptor, StandardCharsets.UTF_8).contains("journalFormat: 1"));
    }

    @Test
    void shouldReadPatchesThroughChronicleWireByName() {
        try (Store store = TestStores.builder().open(dir)) {
            for (int i = 0; i < 10; i++) {
                store.put("config", config(i, "h"));
            }
            try (JournalReader r = store.journal().reader().byNameOnly()) {
                JournalEntry last = null;
                for (JournalEntry e = r.next(); e != null; e = r.next()) {
                    assertEquals(Op.PUT, e.op());
                    last = e;
                }
                assertEquals(config(9, "h"), last.object(Map.class));
            }
            try (JournalReader r = store.journal().reader().byNameOnly().asJournaled()) {
                int patches = 0;
                for (JournalEntry e = r.next(); e != null; e = r.next()) {
                    patches += e.op() == Op.PATCH ? 1 : 0;
                }
                assertEquals(9, patches);
            }
        }
    }
}
