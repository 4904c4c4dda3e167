package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.openhft.chronicle.wire.BinaryWireCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A put of another length than the region's, or of the same length with changes far apart, is
 * journaled as a {@link Op#SPLICE} of the edits that make it (journal format 3), and every reader
 * still sees the whole {@link Op#PUT}.
 */
class JournalSpliceTest {
    @TempDir
    Path dir;

    /** A config whose host name and owner change length from put to put. */
    private static Map<String, Object> config(final int i) {
        final Map<String, Object> c = new LinkedHashMap<>();
        c.put("service", "billing");
        c.put("version", (long) i);
        final List<Object> hosts = new ArrayList<>();
        for (int h = 0; h < 6; h++) {
            final Map<String, Object> host = new LinkedHashMap<>();
            host.put("host", "node-" + h + (h == i % 6 ? "-standby".substring(0, i % 9) : "") + ".internal");
            host.put("port", 8000L + h);
            host.put("tags", List.of("zone-" + h % 3, "rack-" + h));
            hosts.add(host);
        }
        c.put("hosts", hosts);
        c.put("owner", "team-" + "x".repeat(i % 5) + "@example.internal");
        return c;
    }

    /** {@code base} with {@code edits} random small insertions, deletions and replacements. */
    private static byte[] edited(final byte[] base, final int edits, final Random random) {
        byte[] b = base;
        for (int k = 0; k < edits; k++) {
            final int at = random.nextInt(b.length + 1);
            final int cut = Math.min(random.nextInt(6), b.length - at);
            final byte[] put = new byte[random.nextInt(6)];
            random.nextBytes(put);
            final byte[] next = new byte[b.length - cut + put.length];
            System.arraycopy(b, 0, next, 0, at);
            System.arraycopy(put, 0, next, at, put.length);
            System.arraycopy(b, at + cut, next, at + put.length, b.length - at - cut);
            b = next;
        }
        return b;
    }

    /** How many padding bytes ({@link ObjectCodec#pad}) {@code content} ends with. */
    private static int padding(final byte[] content) {
        int n = 0;
        while (n < content.length && content[content.length - 1 - n] == (byte) BinaryWireCode.PADDING) {
            n++;
        }
        return n;
    }

    @Test
    void shouldFindEditsThatRebuildTheNewContent() {
        final Random random = new Random(5);
        int found = 0;
        for (int i = 0; i < 20_000; i++) {
            final byte[] old = new byte[random.nextInt(300)];
            if (random.nextBoolean()) {
                random.nextBytes(old);
            } else {
                Arrays.fill(old, (byte) random.nextInt(3)); // runs of equal bytes: ambiguous alignments
            }
            final byte[] neu = random.nextInt(10) == 0 ? new byte[random.nextInt(300)]
                : edited(old, 1 + random.nextInt(4), random);
            final byte[] edits = Splice.diff(old, neu);
            if (edits != null) {
                found++;
                assertArrayEquals(neu, Splice.apply(old, edits, neu.length), "case " + i);
                assertTrue(edits.length <= neu.length / 2, "case " + i);
            }
        }
        assertTrue(found > 10_000, "found=" + found);
        // one small insertion into a content of 64 bytes or more always makes a splice
        for (int i = 0; i < 2_000; i++) {
            final byte[] old = new byte[64 + random.nextInt(1000)];
            random.nextBytes(old);
            final byte[] neu = edited(old, 1, random);
            if (neu.length != old.length) {
                final byte[] edits = Splice.diff(old, neu);
                assertNotNull(edits, "case " + i);
                assertArrayEquals(neu, Splice.apply(old, edits, neu.length));
            }
        }
        // a value that grows or shrinks by more than the walk looks ahead, a length word before it changed
        for (int i = 0; i < 2_000; i++) {
            final byte[] old = new byte[400 + random.nextInt(600)];
            random.nextBytes(old);
            final byte[][] changedAndPut = beyondReach(random, old);
            final byte[] neu = changedAndPut[0];
            final byte[] edits = Splice.diff(old, neu);
            assertNotNull(edits, "case " + i);
            assertTrue(edits.length <= changedAndPut[1].length + 24, "case " + i + ": " + edits.length + " bytes");
            assertArrayEquals(neu, Splice.apply(old, edits, neu.length), "case " + i);
        }
    }

    /**
     * {@code old} with a run of 17-136 bytes put, or 17-56 bytes cut (and 0-2 put), at a place 50-349
     * bytes in, and a byte up to 40 bytes before it changed (a length word): the new content and the
     * bytes put.
     */
    private static byte[][] beyondReach(final Random random, final byte[] old) {
        return beyondReachAt(random, old, 50 + random.nextInt(300));
    }

    /** {@link #beyondReach} at {@code at}. */
    private static byte[][] beyondReachAt(final Random random, final byte[] old, final int at) {
        final int cut = random.nextBoolean() ? 0 : 17 + random.nextInt(40);
        final byte[] put = new byte[cut > 0 ? random.nextInt(3) : 17 + random.nextInt(120)];
        random.nextBytes(put);
        final byte[] neu = new byte[old.length - cut + put.length];
        System.arraycopy(old, 0, neu, 0, at);
        System.arraycopy(put, 0, neu, at, put.length);
        System.arraycopy(old, at + cut, neu, at + put.length, old.length - at - cut);
        neu[at - 1 - random.nextInt(40)] ^= 1;
        return new byte[][] {neu, put};
    }

    @Test
    void shouldFindTheEditsOfAValueThatMovedItsPadding() {
        final Random random = new Random(6);
        final byte pad = (byte) BinaryWireCode.PADDING;
        int spans = 0;
        for (int i = 0; i < 2_000; i++) {
            // a value of 400-1000 bytes, padded; a run of 17-136 bytes put or cut in its middle, a length word
            // before it changed; padded again, to the same length (in place) or to another (a move)
            final byte[] value = new byte[400 + random.nextInt(600)];
            random.nextBytes(value);
            value[value.length - 1] = 1; // not a padding byte
            final byte[][] changedAndPut = beyondReach(random, value);
            final byte[] changed = changedAndPut[0];
            final byte[] put = changedAndPut[1];
            final int room = 140 + random.nextInt(100);
            final byte[] old = Arrays.copyOf(value, value.length + room);
            Arrays.fill(old, value.length, old.length, pad);
            final int length = random.nextBoolean() ? old.length : changed.length + random.nextInt(200);
            final byte[] neu = Arrays.copyOf(changed, length);
            Arrays.fill(neu, changed.length, length, pad);
            final byte[] edits = Splice.diff(old, neu);
            assertNotNull(edits, "case " + i);
            final int padsPut = Math.max(0, (length - changed.length) - room); // padding bytes the new content adds
            assertTrue(edits.length <= put.length + padsPut + 32, "case " + i + ": " + edits.length + " bytes");
            assertArrayEquals(neu, Splice.apply(old, edits, neu.length), "case " + i);
            // the span an in-place put compares: from the first difference to the last, from each end
            if (length == old.length) {
                final int from = Arrays.mismatch(old, neu);
                int to = old.length;
                while (old[to - 1] == neu[to - 1]) {
                    to--;
                }
                final byte[] span = Splice.diff(Arrays.copyOfRange(old, from, to), Arrays.copyOfRange(neu, from, to),
                    from);
                if (span == null) { // only when the edits take over half the span: the put then patches the span
                    assertTrue(edits.length + 16 > (to - from) / 2, "span of case " + i + ": " + (to - from));
                } else {
                    assertTrue(span.length <= put.length + padsPut + 32, "span of case " + i + ": " + span.length);
                    assertArrayEquals(neu, Splice.apply(old, span, neu.length), "span of case " + i);
                    spans++;
                }
            }
        }
        assertTrue(spans > 500, "spans=" + spans);
    }

    @Test
    void shouldFindTheEditsOfSeveralValuesFarApartThatChangedLength() {
        final Random random = new Random(7);
        final byte pad = (byte) BinaryWireCode.PADDING;
        for (int i = 0; i < 2_000; i++) {
            // 2 to 4 runs of 17-136 bytes put or 17-56 cut (beyond the walk's reach), 100-299 bytes apart,
            // each with a length word before it changed; half of the contents padded, in place or moved
            final byte[] old0 = new byte[1_200 + random.nextInt(800)];
            random.nextBytes(old0);
            old0[old0.length - 1] = 1; // not a padding byte
            final int changes = 2 + random.nextInt(3);
            byte[] neu = old0;
            int bytesPut = 0;
            int at = neu.length;
            for (int k = 0; k < changes; k++) { // from the end, so that each change's place is in the old content
                at -= 100 + random.nextInt(200);
                final byte[][] changedAndPut = beyondReachAt(random, neu, at);
                neu = changedAndPut[0];
                bytesPut += changedAndPut[1].length;
            }
            byte[] old = old0;
            int padsPut = 0;
            if (random.nextBoolean()) {
                final int room = 300 + random.nextInt(200);
                old = Arrays.copyOf(old0, old0.length + room);
                Arrays.fill(old, old0.length, old.length, pad);
                final int length = random.nextBoolean() && old.length >= neu.length ? old.length
                    : neu.length + random.nextInt(200);
                padsPut = Math.max(0, (length - neu.length) - room);
                final int valueEnd = neu.length;
                neu = Arrays.copyOf(neu, length);
                Arrays.fill(neu, valueEnd, length, pad);
            }
            final byte[] edits = Splice.diff(old, neu);
            assertNotNull(edits, "case " + i);
            assertTrue(edits.length <= bytesPut + padsPut + 48 * changes, "case " + i + ": " + edits.length
                + " bytes for " + bytesPut + " put in " + changes + " places");
            assertArrayEquals(neu, Splice.apply(old, edits, neu.length), "case " + i);
        }
        // a length word 6-15 bytes before each of two long insertions: too close to split at 16 equal
        // bytes, far enough to be an edit of its own
        for (int i = 0; i < 500; i++) {
            final byte[] old = new byte[1_000 + random.nextInt(500)];
            random.nextBytes(old);
            final int first = 200 + random.nextInt(200);
            final int second = first + 200 + random.nextInt(200);
            final byte[] a = new byte[17 + random.nextInt(100)];
            final byte[] b = new byte[17 + random.nextInt(100)];
            random.nextBytes(a);
            random.nextBytes(b);
            final byte[] neu = new byte[old.length + a.length + b.length];
            System.arraycopy(old, 0, neu, 0, first);
            System.arraycopy(a, 0, neu, first, a.length);
            System.arraycopy(old, first, neu, first + a.length, second - first);
            System.arraycopy(b, 0, neu, second + a.length, b.length);
            System.arraycopy(old, second, neu, second + a.length + b.length, old.length - second);
            neu[first - 6 - random.nextInt(10)] ^= 1;
            neu[second + a.length - 6 - random.nextInt(10)] ^= 1;
            final byte[] edits = Splice.diff(old, neu);
            assertNotNull(edits, "close case " + i);
            assertTrue(edits.length <= a.length + b.length + 20, "close case " + i + ": " + edits.length
                + " bytes for " + (a.length + b.length) + " put");
            assertArrayEquals(neu, Splice.apply(old, edits, neu.length), "close case " + i);
        }
    }

    @Test
    void shouldRefuseDamagedEditsWithoutThrowing() {
        final Random random = new Random(6);
        final byte[] old = new byte[200];
        random.nextBytes(old);
        final byte[] neu = edited(edited(old, 3, random), 1, random);
        final byte[] edits = Splice.diff(old, neu);
        assertNotNull(edits);
        int refused = 0;
        for (int cut = 0; cut < edits.length; cut++) {
            refused += Splice.apply(old, Arrays.copyOf(edits, cut), neu.length) == null ? 1 : 0;
        }
        for (int at = 0; at < edits.length; at++) {
            for (int bit = 0; bit < 8; bit++) {
                final byte[] bad = edits.clone();
                bad[at] ^= (byte) (1 << bit);
                final byte[] out = Splice.apply(old, bad, neu.length);
                refused += out == null ? 1 : 0;
                assertTrue(out == null || out.length == neu.length);
            }
        }
        assertTrue(refused > edits.length, "refused=" + refused);
        assertEquals(null, Splice.apply(Arrays.copyOf(old, 199), edits, neu.length), "another base");
        assertEquals(null, Splice.apply(old, edits, neu.length + 1), "another length");
    }

    @Test
    void shouldJournalAPutOfAnotherLengthAsASpliceAndHandOutWholePuts() {
        final int puts = 200;
        final List<byte[]> expected = new ArrayList<>();
        try (Store store = TestStores.builder().open(dir)) {
            for (int i = 0; i < puts; i++) {
                store.put("config", config(i));
                store.put("other", "value " + i); // interleaved entries of another tag
                expected.add(store.region("config").readAll());
            }
            final List<JournalEntry> raw = TestStores.journaled(store, "config");
            assertEquals(puts, raw.size());
            int splices = 0;
            int patches = 0;
            int sinceWhole = 0;
            for (int i = 0; i < puts; i++) {
                final JournalEntry e = raw.get(i);
                if (e.op() == Op.PUT) {
                    assertTrue(i == 0 || sinceWhole == RecordDescriptor.PATCH_RUN || expected.get(i).length
                        != expected.get(i - 1).length, "a whole put at entry " + i + " after " + sinceWhole);
                    sinceWhole = 0;
                    continue;
                }
                sinceWhole++;
                assertEquals(expected.get(i).length, e.length());
                if (e.op() == Op.SPLICE) {
                    splices++;
                    assertEquals(expected.get(i - 1).length, e.offset(), "the length before, entry " + i);
                    final int padsPut = Math.max(0, padding(expected.get(i)) - padding(expected.get(i - 1)));
                    assertTrue(e.data().length <= 64 + padsPut, "a splice of " + e.data().length + " bytes at entry "
                        + i + " (" + padsPut + " padding bytes added)");
                } else {
                    assertEquals(Op.PATCH, e.op());
                    patches++;
                }
            }
            assertTrue(splices > puts / 2, "splices=" + splices + ", patches=" + patches);

            final List<JournalEntry> history = TestStores.assertWholePuts(store, "config", expected);
            for (int i = 0; i < puts; i++) {
                assertEquals(config(i), history.get(i).object(Map.class));
            }
            for (JournalEntry from : history) { // a reader from any index reads back to the last whole entry
                try (JournalReader r = store.journal().readerFrom(from.index())) {
                    final JournalEntry e = r.next();
                    assertEquals(from.index(), e.index());
                    assertArrayEquals(from.data(), e.data(), "read from index 0x" + Long.toHexString(e.index()));
                }
            }
            assertEquals(config(57), store.getVersioned("config", Map.class, At.version(58)).value());
            try (JournalReader r = store.journal().reader().byNameOnly()) { // Chronicle Wire reads them too
                JournalEntry last = null;
                for (JournalEntry e = r.next(); e != null; e = r.next()) {
                    last = e.tag().equals("config") ? e : last;
                }
                assertEquals(config(puts - 1), last.object(Map.class));
            }
        }
    }

    @Test
    void shouldJournalChangesFarApartInAPutOfTheSameLengthAsASplice() {
        final int puts = 150;
        final List<byte[]> expected = new ArrayList<>();
        try (Store store = TestStores.builder().open(dir)) {
            for (int i = 0; i < puts; i++) {
                final Map<String, Object> m = new LinkedHashMap<>();
                m.put("version", (long) i); // near the start
                m.put("hosts", config(0).get("hosts")); // ~300 bytes that do not change
                m.put("stamp", 7L * i); // near the end
                store.put("far", m);
                expected.add(store.region("far").readAll());
            }
            final List<JournalEntry> raw = TestStores.journaled(store, "far");
            long splices = 0;
            for (JournalEntry e : raw) {
                if (e.op() == Op.SPLICE) {
                    splices++;
                    assertEquals(e.length(), e.offset(), "the same length before and after");
                    assertTrue(e.data().length <= 24, "a splice of " + e.data().length + " bytes");
                }
            }
            assertTrue(splices > puts * 9 / 10, "splices=" + splices);
            TestStores.assertWholePuts(store, "far", expected);
            for (JournalEntry from : store.history("far")) {
                try (JournalReader r = store.journal().readerFrom(from.index())) {
                    assertArrayEquals(from.data(), r.next().data(), "read from index 0x" + Long.toHexString(from.index()));
                }
            }
        }
    }

    @Test
    void shouldKeepWholePutsOfAnotherLengthInAStoreOfJournalFormatTwo() throws IOException {
        final Path descriptor = TestStores.createWithJournalFormat(dir, 2);
        try (Store store = TestStores.builder().open(dir)) {
            for (int i = 0; i < 40; i++) {
                store.put("config", config(i));
            }
            final List<JournalEntry> raw = TestStores.journaled(store, "config");
            assertTrue(raw.stream().noneMatch(e -> e.op() == Op.SPLICE));
            final Map<String, Object> sameLength = config(39);
            sameLength.put("service", "BILLING");
            store.put("config", sameLength);
            final List<JournalEntry> raw2 = TestStores.journaled(store, "config");
            assertEquals(Op.PATCH, raw2.get(raw2.size() - 1).op(), "a put of the same length is still a patch");
            assertEquals(sameLength, store.get("config", Map.class));
            assertTrue(store.verify().ok());
        }
        assertTrue(Files.readString(descriptor, StandardCharsets.UTF_8).contains("journalFormat: 2"));
    }
}
