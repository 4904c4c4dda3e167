package io.memoir.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoir.store.JournalEntry;
import io.memoir.store.Op;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The soak's self-checking values: what is valid, and that torn or foreign bytes are caught. */
class SoakValuesTest {
    private static final int F = SoakValues.FRAME;

    private static JournalEntry entry(final String tag, final Op op, final long version, final long offset,
                                      final int length, final byte[] data) {
        return new JournalEntry(1, 1, tag, op, version, offset, length, 42, data);
    }

    @Test
    void shouldAcceptWholeOperationsZeroFramesAndLaterPartialWrites() {
        final byte[] content = Arrays.copyOf(SoakValues.frames(1, 10, SoakValues.PUT, 0, 4), 6 * F); // + 2 zero frames
        assertNull(SoakValues.checkContent(content));
        final byte[] write = SoakValues.frames(2, 3, SoakValues.WRITE, 1, 2); // another writer, lower seq: fine
        System.arraycopy(write, 0, content, F, write.length);
        assertNull(SoakValues.checkContent(content));
        final byte[] later = SoakValues.frames(1, 11, SoakValues.WRITE, 3, 1); // same writer, later: fine
        System.arraycopy(later, 0, content, 3 * F, later.length);
        assertNull(SoakValues.checkContent(content));
        assertNull(SoakValues.checkContent(new byte[0]));
    }

    @Test
    void shouldCatchAFlippedByteAWrongLengthAndForeignBytes() {
        final byte[] content = SoakValues.frames(1, 10, SoakValues.PUT, 0, 2);
        content[F + 40] ^= 1;
        assertTrue(SoakValues.checkContent(content).startsWith("frame 1 (offset 64): crc mismatch"));
        assertTrue(SoakValues.checkContent(new byte[F + 1]).contains("length=65"));
        final byte[] text = Arrays.copyOf("hello".getBytes(StandardCharsets.UTF_8), F);
        assertTrue(SoakValues.checkContent(text).contains("bad magic"));
    }

    @Test
    void shouldCatchAFrameMovedToAnotherPlace() {
        final byte[] content = SoakValues.frames(1, 10, SoakValues.PUT, 0, 2);
        System.arraycopy(content, 0, content, F, F);
        assertTrue(SoakValues.checkContent(content).contains("out of place"));
    }

    @Test
    void shouldCatchAWriteOfWhichOnlyPartLanded() {
        final byte[] content = SoakValues.frames(1, 10, SoakValues.PUT, 0, 4);
        final byte[] write = SoakValues.frames(1, 11, SoakValues.WRITE, 0, 3);
        System.arraycopy(write, 0, content, 0, 2 * F); // frame 2 of seq 11 missing: still seq 10
        final String p = SoakValues.checkContent(content);
        assertNotNull(p);
        assertTrue(p.contains("frame 2 carries writer=1 seq=10 although seq=11"), p);
    }

    @Test
    void shouldCheckJournalEntries() {
        final byte[] write = SoakValues.frames(1, 5, SoakValues.WRITE, 2, 2);
        assertNull(SoakValues.checkEntry(entry("soak.bytes.0", Op.WRITE, 3, 2 * F, 8 * F, write)));
        assertTrue(SoakValues.checkEntry(entry("soak.bytes.0", Op.WRITE, 3, 3 * F, 8 * F, write))
            .contains("out of place"));
        assertTrue(SoakValues.checkEntry(entry("soak.bytes.0", Op.PUT, 3, 0, 2 * F, write)).contains("out of place"));
        final byte[] put = SoakValues.frames(1, 6, SoakValues.CAS, 0, 2);
        assertNull(SoakValues.checkEntry(entry("soak.bytes.0", Op.PUT, 4, 0, 2 * F, put)));
        assertTrue(SoakValues.checkEntry(entry("soak.bytes.0", Op.WRITE, 4, 0, 2 * F, put)).contains("not of the same"));
        assertNull(SoakValues.checkEntry(entry("soak.bytes.0", Op.RESIZE, 5, 0, 3 * F, new byte[0])));
        assertTrue(SoakValues.checkEntry(entry("soak.bytes.0", Op.RESIZE, 5, 0, 100, new byte[0])).contains("length=100"));
        assertTrue(SoakValues.checkEntry(entry("soak.count.1", Op.WRITE, 2, 0, 8, new byte[8])).contains("op=WRITE"));
    }

    @Test
    void shouldCheckCounters() {
        assertNull(SoakValues.checkCounter(SoakValues.counter(7, 2, 99), 7));
        assertTrue(SoakValues.checkCounter(SoakValues.counter(7, 2, 99), 8).contains("n must equal the version"));
        final Map<String, Object> forged = new HashMap<>(SoakValues.counter(7, 2, 99));
        forged.put("n", 8L);
        assertTrue(SoakValues.checkCounter(forged, 8).contains("crc mismatch"));
        assertTrue(SoakValues.checkCounter("text", 1).contains("not a soak counter"));
        assertEquals(7, SoakValues.count(SoakValues.counter(7, 2, 99)));
        assertEquals(99, SoakValues.counterSeq(SoakValues.counter(7, 2, 99)));
    }

    @Test
    void shouldMakeAQuarterOfTheTagsCounters() {
        assertEquals(List.of("soak.bytes.0", "soak.count.1"), SoakValues.tags(2));
        assertEquals(2, SoakValues.tags(8).stream().filter(SoakValues::isCounter).count());
    }
}
