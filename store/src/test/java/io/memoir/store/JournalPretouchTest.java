package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal pretoucher, seen from outside: the pages past the journal's end become resident in
 * this process (Linux's {@code /proc/self/smaps}), while the bytes of the journal stay what the
 * writes made them; the thread ends with the store, and a read-only open starts none.
 */
class JournalPretouchTest {
    private static final Path SMAPS = Path.of("/proc/self/smaps");
    private static final long NANOS_TO_WAIT = 10_000_000_000L;

    @TempDir
    Path tmp;

    @Test
    void shouldTouchJournalPagesAheadOfTheWriterAndStopWithTheStore() throws Exception {
        assumeTrue(Files.isReadable(SMAPS), "needs Linux's /proc/self/smaps to see resident pages");
        final Path dir = tmp.resolve("store");
        try (Store store = TestStores.builder().open(dir)) {
            store.region("r", 16).write(0, new byte[] {1, 2, 3});
            final long deadline = System.nanoTime() + NANOS_TO_WAIT;
            long rss = journalRssKiB(dir);
            while (rss < 200 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                rss = journalRssKiB(dir);
            }
            // Without the pretoucher, one 16-byte write leaves a few KiB of the journal resident.
            assertTrue(rss >= 200, "journal pages resident after one write: " + rss + " KiB, expected >= 200 KiB");
            assertEquals(1, pretouchThreads(dir));
            assertTrue(store.verify().ok());
            assertArrayEquals(Arrays.copyOf(new byte[] {1, 2, 3}, 16), store.region("r").readAll());
        }
        assertEquals(0, pretouchThreads(dir), "the pretouching thread ends when its store closes");
        try (Store readOnly = TestStores.builder().readOnly(true).open(dir)) {
            assertEquals(2, readOnly.history("r").size(), "the CREATE and the WRITE are in the journal");
            assertEquals(0, pretouchThreads(dir), "a read-only store touches nothing");
        }
    }

    /** Resident KiB of this process's mappings of the store's journal cycle files. */
    private static long journalRssKiB(final Path dir) throws IOException {
        final String journal = dir.toAbsolutePath().resolve("journal").toString();
        boolean inJournal = false;
        long kib = 0;
        for (String line : Files.readAllLines(SMAPS)) {
            if (Character.isDigit(line.charAt(0)) || (line.charAt(0) >= 'a' && line.charAt(0) <= 'f')) {
                inJournal = line.contains(journal) && line.endsWith(".cq4");
            } else if (inJournal && line.startsWith("Rss:")) {
                kib += Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return kib;
    }

    private static long pretouchThreads(final Path dir) {
        final String name = "memoir-journal-pretouch " + dir.toAbsolutePath();
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive()).count();
    }
}
