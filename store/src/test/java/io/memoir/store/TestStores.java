package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Store options for tests (small journal files), the "a failed call changes nothing" check, and a
 * tag's entries as journaled.
 */
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

    /** Every entry of {@code tag} as journaled: a patch as a {@link Op#PATCH}, a splice as a {@link Op#SPLICE}. */
    static List<JournalEntry> journaled(final Store store, final String tag) {
        final List<JournalEntry> out = new ArrayList<>();
        try (JournalReader r = store.journal().reader().asJournaled()) {
            for (JournalEntry e = r.next(); e != null; e = r.next()) {
                if (e.tag().equals(tag)) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /**
     * Creates a store in {@code dir} as an older Memoir would have, with journal format {@code format}
     * in its descriptor.
     *
     * @return the descriptor's path
     */
    static Path createWithJournalFormat(final Path dir, final int format) throws IOException {
        try (Store store = builder().open(dir)) {
            store.put("seed", "x");
        }
        final Path descriptor = dir.resolve(Descriptor.FILE_NAME);
        final String current = "journalFormat: " + JournalFields.FORMAT;
        final String text = Files.readString(descriptor, StandardCharsets.UTF_8);
        assertTrue(text.contains(current), text);
        Files.writeString(descriptor, text.replace(current, "journalFormat: " + format), StandardCharsets.UTF_8);
        return descriptor;
    }

    /**
     * Checks that the tag's history is one whole {@link Op#PUT} per expected content, in order, and that
     * verify and a replay of the whole journal agree with the store.
     *
     * @return the history
     */
    static List<JournalEntry> assertWholePuts(final Store store, final String tag, final List<byte[]> expected) {
        final List<JournalEntry> history = store.history(tag);
        assertEquals(expected.size(), history.size());
        for (int i = 0; i < history.size(); i++) {
            final JournalEntry e = history.get(i);
            assertEquals(Op.PUT, e.op());
            assertEquals(0, e.offset());
            assertArrayEquals(expected.get(i), e.data(), "version " + e.version());
        }
        assertTrue(store.verify().ok());
        assertArrayEquals(store.region(tag).readAll(), store.replay(store.journal().lastIndex()).content(tag),
            "replay");
        return history;
    }
}
