package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.WireOut;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JournalReader}'s fast path ({@link JournalEntryDecoder}) against its decoding by field name
 * through Chronicle Wire, entry by entry, over every op, tags short and long, data of every length
 * form (none, 1-byte, 2-byte and 4-byte lengths) and numbers of every compact form.
 */
class JournalDecodeTest {
    @TempDir
    Path dir;

    @Test
    void shouldDecodeEveryEntryAsChronicleWireDoes() {
        final Random random = new Random(11);
        try (Store store = Store.open(dir)) {
            final List<String> tags = new ArrayList<>(List.of("a", "sensor.1", "t".repeat(31), "u".repeat(32),
                "v".repeat(128), "w:x@y/z+1-2_3"));
            for (String tag : tags) {
                store.region(tag, 8);
            }
            for (int i = 0; i < 600; i++) {
                final String tag = tags.get(random.nextInt(tags.size()));
                final Region r = store.region(tag);
                switch (random.nextInt(6)) {
                    case 0 -> r.write(random.nextInt(r.length() + 1) / 2, bytes(random, random.nextInt(Math.max(1, r.length() / 2))));
                    case 1 -> r.put(bytes(random, List.of(0, 1, 255, 256, 65_535, 65_536, 70_000).get(random.nextInt(7))));
                    case 2 -> r.resize(random.nextInt(3_000));
                    case 3 -> store.put(tag, Map.of("n", random.nextLong(), "s", "v" + i));
                    case 4 -> {
                        store.delete(tag);
                        store.region(tag, 1 + random.nextInt(64));
                    }
                    default -> r.compareAndSet(r.version(), bytes(random, r.length()));
                }
            }
        }
        // Entries as earlier versions wrote them, through Chronicle Wire's field API: the fast path reads
        // the first two (with and without a checksum); a version written as a float it leaves to
        // Chronicle Wire, which reads it by name.
        try (ChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir.resolve(Store.JOURNAL_DIR))
            .rollCycle(RollCycles.FAST_DAILY).build(); ExcerptAppender appender = queue.createAppender()) {
            final JournalFields.Checksum crc = new JournalFields.Checksum();
            final byte[] data = {1, 2, 3};
            for (int kind = 0; kind < 3; kind++) {
                try (DocumentContext dc = appender.writingDocument()) {
                    final WireOut w = dc.wire();
                    w.write(JournalFields.TIME).int64(1_795_282_868_304_479_729L)
                        .write(JournalFields.TAG).text("a")
                        .write(JournalFields.OP).text("WRITE");
                    if (kind == 2) {
                        w.write(JournalFields.VERSION).float64(1_000_000.0);
                    } else {
                        w.write(JournalFields.VERSION).int64(1_000_000 + kind);
                    }
                    w.write(JournalFields.OFFSET).int64(0)
                        .write(JournalFields.LENGTH).int32(8)
                        .write(JournalFields.WRITER).int32(-7)
                        .write(JournalFields.DATA).bytes(data);
                    if (kind == 0) {
                        w.write(JournalFields.CRC).int32(crc.of(1_795_282_868_304_479_729L, "a", Op.WRITE, 1_000_000,
                            0, 8, -7, data, 0, data.length));
                    }
                }
            }
        }
        try (Store store = Store.builder().readOnly(true).open(dir);
             JournalReader fast = store.journal().reader();
             JournalReader byName = store.journal().reader().byNameOnly()) {
            int n = 0;
            for (JournalEntry f = fast.next(); f != null; f = fast.next(), n++) {
                final JournalEntry s = byName.next();
                final String what = "entry " + n + ": " + s;
                assertEquals(s.index(), f.index(), what);
                assertEquals(s.time(), f.time(), what);
                assertEquals(s.tag(), f.tag(), what);
                assertEquals(s.op(), f.op(), what);
                assertEquals(s.version(), f.version(), what);
                assertEquals(s.offset(), f.offset(), what);
                assertEquals(s.length(), f.length(), what);
                assertEquals(s.writer(), f.writer(), what);
                assertArrayEquals(s.data(), f.data(), what);
            }
            assertNull(byName.next());
            assertTrue(n > 600, "entries read: " + n);
            assertEquals(1, fast.byName, "only the entry with a float version is read by name, of " + n);
        }
    }

    private static byte[] bytes(final Random random, final int n) {
        final byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
