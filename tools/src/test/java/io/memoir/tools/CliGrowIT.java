package io.memoir.tools;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoir.store.Capacity;
import io.memoir.store.JournalEntry;
import io.memoir.store.MemoirException;
import io.memoir.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code memoir grow}: a full store becomes a larger one with the same regions and the same history. */
@Timeout(300)
class CliGrowIT {
    @TempDir
    Path tmp;

    @Test
    void shouldGrowAFullStoreKeepingRegionsAndHistory() throws IOException {
        final Path dir = tmp.resolve("store");
        final List<JournalEntry> history;
        try (Store s = Store.builder().capacity(new Capacity(2, 64, 256)).open(dir)) {
            s.region("a", 16).write(0, "first".getBytes(UTF_8));
            s.region("a").write(8, "second".getBytes(UTF_8));
            s.region("b", 256);
            assertThrows(MemoirException.StoreFullException.class, () -> s.region("c", 8));
            history = s.history("a");
        }

        final String out = Cli.run("grow", "--store=" + dir, "--max-regions=8", "--max-region-size=1K").expect(0).out();
        assertTrue(out.startsWith("grown store=" + dir + ": maxRegions 2 -> 8, maxRegionSize 256 -> 1024"), out);

        try (Store s = Store.open(dir)) {
            assertEquals(new Capacity(8, 64, 1024), s.capacity());
            assertEquals(history, s.history("a").stream().map(e -> strip(e, history)).toList());
            assertArrayEquals(s.replay(Long.MAX_VALUE).content("a"), s.region("a").readAll());
            s.region("c", 1000).write(0, "fits now".getBytes(UTF_8));
            assertTrue(s.verify().ok());
        }
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertEquals(1, siblings.filter(p -> p.getFileName().toString().startsWith("store.grow-old-")).count(),
                "the old store is kept");
        }
    }

    /** The same entry with the old index: indexes are renumbered by the copy, the rest is kept. */
    private static JournalEntry strip(final JournalEntry e, final List<JournalEntry> old) {
        final JournalEntry o = old.get((int) e.version() - 1);
        assertArrayEquals(o.data(), e.data());
        return new JournalEntry(o.index(), e.time(), e.tag(), e.op(), e.version(), e.offset(), e.length(), e.writer(),
            o.data());
    }
}
