package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Objects padded to stay in their record (journal format 4): a put of another length that fits the
 * record changes it in place, every reader sees the value without its padding, Chronicle Wire reads the
 * padded bytes too, and stores of older formats are never padded.
 */
class ObjectPaddingTest {

    @Test
    void shouldKeepAValueOfAnotherLengthInItsRecord(@TempDir final Path dir) {
        try (Store store = TestStores.builder().open(dir)) {
            final Map<String, Object> config = config("platform");
            store.put("config", config);
            final int exact = ObjectCodec.encode(config, "config").length;
            assertEquals(exact, store.region("config").length(), "a new tag is stored unpadded");

            config.put("owner", "platform-team"); // longer: the record moves, with room to spare
            store.put("config", config);
            final int capacity = store.region("config").length();
            final int grown = ObjectCodec.encode(config, "config").length;
            assertEquals(grown + Math.max(ObjectCodec.MIN_SLACK, grown / 8), capacity);

            final List<Object> versions = new ArrayList<>();
            final Random random = new Random(7);
            final long record = recordId(store, "config");
            for (int v = 0; v < 200; v++) {
                config.put("version", (long) v);
                config.put("owner", "p".repeat(1 + random.nextInt(20))); // shorter and longer, within the room
                store.put("config", config);
                versions.add(ObjectCodec.decode(ObjectCodec.encode(config, "c"), "c", v)); // a deep copy
                assertEquals(config, store.get("config", Map.class));
                assertEquals(capacity, store.region("config").length(), "in place");
            }
            assertEquals(record, recordId(store, "config"), "no put of these moved the value to another record");
            assertEquals(config, Json.parse(store.getJson("config")));

            final List<JournalEntry> entries = TestStores.journaled(store, "config");
            final List<JournalEntry> last = entries.subList(entries.size() - 200, entries.size());
            int wholePuts = 0;
            for (int i = 0; i < last.size(); i++) {
                final JournalEntry e = last.get(i);
                assertEquals(capacity, e.length(), e.toString()); // a put of the record's own length
                assertTrue(e.op() == Op.PATCH || e.op() == Op.SPLICE && e.offset() == capacity || e.op() == Op.PUT,
                    e.toString()); // a whole PUT when the patch budget is spent
                wholePuts += e.op() == Op.PUT ? 1 : 0;
            }
            assertTrue(wholePuts <= 200 / RecordDescriptor.PATCH_RUN + 1, "whole puts: " + wholePuts);
            try (JournalReader r = store.journal().reader()) {
                int i = 0;
                for (JournalEntry e = r.next(); e != null; e = r.next()) {
                    if (e.tag().equals("config") && e.version() > entries.size() - 200) {
                        assertEquals(versions.get(i), e.object(Map.class));
                        assertEquals(versions.get(i), Json.parse(e.objectJson()));
                        i++;
                    }
                }
                assertEquals(200, i);
            }
            final long lastVersion = store.region("config").version();
            assertEquals(versions.get(100), store.getVersioned("config", Map.class, At.version(lastVersion - 99)).value());
            assertArrayEquals(store.region("config").readAll(), store.replay(store.journal().lastIndex())
                .content("config"));
            assertTrue(store.verify().ok());
        }
    }

    @Test
    void shouldJournalALongerChangeInTheMiddleAsASpliceInPlace(@TempDir final Path dir) {
        try (Store store = TestStores.builder().open(dir)) {
            final Map<String, Object> config = config("owner");
            config.put("notes", "n".repeat(600)); // the changed name is in the middle, far from the end
            store.put("config", config);
            @SuppressWarnings("unchecked")
            final List<Object> hosts = (List<Object>) config.get("hosts");
            for (int v = 0; v < 20; v++) {
                hosts.set(0, v % 2 == 0 ? "node-1" : "node-1.a-much-longer-domain-name.example"); // 33 bytes more
                store.put("config", config);
                assertEquals(config, store.get("config", Map.class));
            }
            final List<JournalEntry> entries = TestStores.journaled(store, "config");
            final int capacity = store.region("config").length();
            for (JournalEntry e : entries.subList(3, entries.size())) { // after the first move
                assertEquals(Op.SPLICE, e.op(), e.toString());
                assertEquals(capacity, e.offset(), "in place: " + e);
                assertTrue(e.data().length < 64, e.toString()); // not the ~700-byte span
            }
            assertTrue(store.verify().ok());
        }
    }

    @Test
    void shouldMoveAValueThatNoLongerFitsWithRoomToSpare(@TempDir final Path dir) {
        try (Store store = TestStores.builder().open(dir)) {
            final Map<String, Object> config = config("a");
            store.put("config", config);
            config.put("owner", "b".repeat(10));
            store.put("config", config);
            final int capacity = store.region("config").length();
            final long record = recordId(store, "config");

            config.put("owner", "c".repeat(10 + capacity)); // far longer: moved, with an eighth to spare
            store.put("config", config);
            assertNotEquals(record, recordId(store, "config"));
            final int grown = ObjectCodec.encode(config, "config").length;
            assertEquals(grown + Math.max(ObjectCodec.MIN_SLACK, grown / 8), store.region("config").length());
            assertEquals(config, store.get("config", Map.class));

            config.put("owner", "d"); // far shorter: moved to a smaller record
            store.put("config", config);
            final int shrunk = ObjectCodec.encode(config, "config").length;
            assertEquals(shrunk + Math.max(ObjectCodec.MIN_SLACK, shrunk / 8), store.region("config").length());
            assertEquals(config, store.get("config", Map.class));
            assertTrue(store.verify().ok());
        }
    }

    @Test
    void shouldPadTypedObjectsAndComparedAndUpdatedOnes(@TempDir final Path dir) {
        try (Store store = TestStores.builder().open(dir)) {
            final TreeCacheTest.Leafy x = new TreeCacheTest.Leafy();
            x.name = "n";
            store.put("typed", x);
            x.name = "a longer name";
            store.put("typed", x);
            final int capacity = store.region("typed").length();
            final long record = recordId(store, "typed");
            for (int i = 0; i < 50; i++) {
                x.name = "n".repeat(1 + i % 7);
                x.boxedLong = (long) i << (i % 40);
                final long v = store.region("typed").version();
                assertTrue(store.compareAndSet("typed", v, x) > v);
                assertEquals(x, store.get("typed", TreeCacheTest.Leafy.class));
            }
            store.put("counter", new LinkedHashMap<>(Map.of("n", 0L, "note", "")));
            for (int i = 0; i < 50; i++) {
                store.update("counter", Map.class, m -> {
                    @SuppressWarnings("unchecked")
                    final Map<String, Object> c = (Map<String, Object>) m;
                    c.put("n", (Long) c.get("n") + 1);
                    c.put("note", "x".repeat((int) ((Long) c.get("n") % 5)));
                    return c;
                });
            }
            assertEquals(50L, store.get("counter", Map.class).get("n"));
            assertEquals(capacity, store.region("typed").length());
            assertEquals(record, recordId(store, "typed"), "every compare-and-set in place");
            assertTrue(store.verify().ok());
        }
    }

    @Test
    void shouldBeReadByChronicleWireAsTheValueItPads() {
        final Map<String, Object> config = config("platform");
        final TreeCodec.Out out = ObjectCodec.encodeInPlace(config, "t");
        final int length = out.pos;
        final byte[] exact = java.util.Arrays.copyOf(out.buf, length);
        for (int n : new int[] {1, 2, 4, 5, 6, 100, 256, 1000}) {
            out.pos = length;
            ObjectCodec.pad(out, length + n);
            final byte[] padded = java.util.Arrays.copyOf(out.buf, out.pos);
            assertEquals(length, ObjectCodec.valueEnd(padded), "padding of " + n);
            assertArrayEquals(exact, ObjectCodec.unpadded(padded));
            assertEquals(config, ObjectCodec.decode(padded, Map.class, "t", 1));
            assertEquals(config, ObjectCodec.decodeWithChronicle(ObjectCodec.wireOver(padded, "t", 1), "t", 1),
                "Chronicle Wire skips the padding of " + n);
        }
        for (Object unpaddable : new Object[] {"text", 42L, 1.5, true}) {
            final byte[] b = ObjectCodec.encode(unpaddable, "t");
            assertEquals(b.length, ObjectCodec.valueEnd(b));
            assertEquals(b.length, ObjectCodec.storedLength(b, b.length, b.length + 10, 1 << 20), unpaddable.toString());
        }
        for (Object empty : new Object[] {Map.of(), List.of(), new TreeCacheTest.Leafy()}) { // after a type prefix
            final TreeCodec.Out o = ObjectCodec.encodeInPlace(empty, "t");
            final int n = o.pos;
            assertEquals(n + 10, ObjectCodec.storedLength(o.buf, n, n + 10, 1 << 20), empty.toString());
            ObjectCodec.pad(o, n + 10);
            final byte[] padded = java.util.Arrays.copyOf(o.buf, o.pos);
            assertEquals(n, ObjectCodec.valueEnd(padded));
            assertEquals(empty, ObjectCodec.decode(padded, Object.class, "t", 1));
        }
        for (int n : new int[] {1, 255, 256, 257, 600}) { // another byte in the padding: not padding
            out.pos = length;
            ObjectCodec.pad(out, length + n);
            final byte[] bad = java.util.Arrays.copyOf(out.buf, out.pos);
            bad[bad.length - 1 - n / 2] = 0;
            assertEquals(bad.length, ObjectCodec.valueEnd(bad), "a zero in padding of " + n);
        }
    }

    @Test
    void shouldFindTheValueEndInMemoryAsInAnArray() {
        final Random random = new Random(11);
        final TreeCodec.Out out = ObjectCodec.encodeInPlace(new TreeCacheTest.Leafy(), "t"); // a type prefix
        final byte[][] seeds = {ObjectCodec.encode(config("o"), "t"), java.util.Arrays.copyOf(out.buf, out.pos),
            ObjectCodec.encode("text", "t"), ObjectCodec.encode(Map.of(), "t")};
        final long address = net.openhft.chronicle.core.UnsafeMemory.MEMORY.allocate(4096);
        try {
            for (int n = 0; n < 20_000; n++) {
                final byte[] seed = seeds[random.nextInt(seeds.length)];
                final byte[] b = java.util.Arrays.copyOf(seed, seed.length + random.nextInt(40));
                java.util.Arrays.fill(b, seed.length, b.length, (byte) net.openhft.chronicle.wire.BinaryWireCode.PADDING);
                for (int k = random.nextInt(3); k > 0; k--) { // damage: a length word, a stop bit, a padding byte
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
                final byte[] cut = java.util.Arrays.copyOf(b, random.nextInt(4) == 0 ? random.nextInt(b.length + 1) : b.length);
                Memory.copy(cut, 0, address, cut.length);
                final int end = ObjectCodec.valueEnd(cut);
                assertEquals(referenceValueEnd(cut), end, java.util.Arrays.toString(cut));
                assertEquals(end, ObjectCodec.valueEnd(address, cut.length), java.util.Arrays.toString(cut));
                assertTrue(end <= cut.length);
                if (end < cut.length) {
                    assertTrue(ObjectCodec.isObject(cut));
                }
            }
        } finally {
            net.openhft.chronicle.core.UnsafeMemory.MEMORY.freeMemory(address, 4096);
        }
    }

    @Test
    void shouldNotPadInStoresOfOlderFormats(@TempDir final Path dir) throws Exception {
        TestStores.createWithJournalFormat(dir, JournalFields.FORMAT_SPLICE);
        try (Store store = TestStores.builder().open(dir)) {
            final Map<String, Object> config = config("a");
            for (int i = 0; i < 10; i++) {
                config.put("owner", "o".repeat(1 + i));
                store.put("config", config);
                assertEquals(ObjectCodec.encode(config, "c").length, store.region("config").length());
                assertEquals(config, store.get("config", Map.class));
            }
            assertTrue(store.verify().ok());
        }
    }

    @Test
    void shouldLeaveNoMoreRoomThanTheLargestRegion(@TempDir final Path dir) {
        try (Store store = TestStores.builder().capacity(new Capacity(16, 256, 1024)).open(dir)) {
            final Map<String, Object> config = new LinkedHashMap<>(Map.of("text", "a"));
            store.put("big", config);
            config.put("text", "b".repeat(1000 - 20));
            final int n = ObjectCodec.encode(config, "big").length;
            assertTrue(n <= 1024 && n + n / 8 > 1024, "n=" + n);
            store.put("big", config);
            assertEquals(1024, store.region("big").length());
            assertEquals(config, store.get("big", Map.class));
            config.put("text", "c".repeat(1100));
            final Map<String, Object> tooLarge = config;
            TestStores.assertUnchanged(store, s -> {
                final MemoirException.StoreFullException e = org.junit.jupiter.api.Assertions.assertThrows(
                    MemoirException.StoreFullException.class, () -> s.put("big", tooLarge));
                assertTrue(e.getMessage().contains("tag=big"), e.getMessage());
            });
        }
    }

    /** {@link ObjectCodec#valueEnd(byte[])} as the format describes it, with checked array reads. */
    private static int referenceValueEnd(final byte[] b) {
        if (b.length < ObjectCodec.HEADER_LENGTH + 5 || !ObjectCodec.isObject(b)) {
            return b.length;
        }
        long p = ObjectCodec.HEADER_LENGTH;
        if ((b[(int) p] & 0xFF) == net.openhft.chronicle.wire.BinaryWireCode.TYPE_PREFIX) {
            final long read = WireInts.getStopBit(b, (int) p + 1, b.length);
            if (read < 0) {
                return b.length;
            }
            p = (read >>> Integer.SIZE) + (int) read;
        }
        if (p + 5 > b.length || (b[(int) p] & 0xFF) != net.openhft.chronicle.wire.BinaryWireCode.BYTES_LENGTH32) {
            return b.length;
        }
        final long end = p + 5 + TreeCodec.intAt(b, (int) p + 1);
        if (end < p + 5 || end >= b.length) {
            return b.length;
        }
        for (int i = (int) end; i < b.length; i++) {
            if ((b[i] & 0xFF) != net.openhft.chronicle.wire.BinaryWireCode.PADDING) {
                return b.length;
            }
        }
        return (int) end;
    }

    /** The id of the tag's current record: a put that moves the value to another record changes it. */
    private static long recordId(final Store store, final String tag) {
        return store.region(tag).ref.recordId;
    }

    private static Map<String, Object> config(final String owner) {
        final Map<String, Object> c = new LinkedHashMap<>();
        c.put("service", "billing");
        c.put("version", 1L);
        c.put("hosts", new ArrayList<>(List.of("node-1", "node-2")));
        c.put("owner", owner);
        return c;
    }
}
