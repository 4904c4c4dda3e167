package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.openhft.chronicle.wire.SelfDescribingMarshallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TreeCache} against a whole decode ({@link TreeCodec#read}, {@link TypedCodec#read}) of the same
 * bytes: after changes of every kind (values of the same and of another length, keys, container
 * lengths, damaged bytes), every read through the cache equals the whole decode, or fails as it does,
 * and hands out fresh containers and objects.
 */
class TreeCacheTest {
    private static final String UNSUPPORTED = "unsupported";
    private static long owners = 1_000_000;

    /** Leaves of every kind, a data object, lists of strings and of data objects, a constructor's list. */
    public static final class Leafy extends SelfDescribingMarshallable {
        TypedCodecTest.Level level = TypedCodecTest.Level.LOW;
        Long boxedLong;
        Integer boxedInt = 7;
        Double boxedDouble;
        Boolean flag;
        char c = 'x';
        String name;
        TypedCodecTest.Node node;
        List<String> added = new ArrayList<>(List.of("default"));
        List<TypedCodecTest.Prims> prims = new ArrayList<>();
    }

    /** A constructor that reads through the cache while the cache is copying an object of this class. */
    public static final class Reading extends SelfDescribingMarshallable {
        static final byte[] OTHER = ObjectCodec.encode(Map.of("k", List.of("v", "w")), "other");
        long seq;
        transient Object fromConstructor = ObjectCodec.decode(OTHER.clone(), Map.class, "t", 1, 7);
        String name = "n";
    }

    @Test
    void shouldReadEveryChangeAsAWholeDecodeDoes() {
        final long before = TreeCache.counts()[0];
        campaign(new Random(21), 2_000, new Subject() {
            @Override
            public Object fresh(final Random r) {
                return r.nextBoolean() ? map(r, 0) : list(r, 0);
            }

            @Override
            public Object changed(final Random r, final Object current) {
                return changeLeaves(r, current);
            }

            @Override
            public void assertReads(final long owner, final byte[] bytes) {
                TreeCacheTest.assertReads(owner, bytes);
            }

            @Override
            public boolean decodes(final byte[] bytes) {
                return readWhole(bytes) != UNSUPPORTED;
            }
        });
        assertTrue(TreeCache.counts()[0] - before > 20_000, "most reads were answered by a patched private tree: "
            + (TreeCache.counts()[0] - before));
    }

    /** What {@link #campaign} changes and reads. */
    private interface Subject {
        Object fresh(Random r);

        /** {@code current} with some leaves changed, often to values of the same length (may change it). */
        Object changed(Random r, Object current);

        void assertReads(long owner, byte[] bytes);

        boolean decodes(byte[] bytes);
    }

    /**
     * For each of {@code objects} fresh objects, read twice (the second read builds the private copy),
     * 20 changes, each read and followed by a read of the last good bytes: leaves changed (to values of
     * the same or another length), a random byte changed, inserted or removed, a whole other object, or
     * the same bytes again.
     */
    private static void campaign(final Random random, final int objects, final Subject subject) {
        for (int n = 0; n < objects; n++) {
            final long owner = ++owners;
            Object object = subject.fresh(random);
            byte[] bytes = ObjectCodec.encode(object, "t");
            subject.assertReads(owner, bytes);
            subject.assertReads(owner, bytes);
            for (int k = 0; k < 20; k++) {
                final byte[] next;
                switch (random.nextInt(5)) {
                    case 0:
                        object = subject.changed(random, object);
                        next = ObjectCodec.encode(object, "t");
                        break;
                    case 1:
                        next = bytes.clone();
                        next[ObjectCodec.HEADER_LENGTH + random.nextInt(next.length - ObjectCodec.HEADER_LENGTH)] =
                            (byte) random.nextInt(256);
                        break;
                    case 2:
                        object = subject.fresh(random);
                        next = ObjectCodec.encode(object, "t");
                        break;
                    case 3:
                        next = insertOrRemove(random, bytes);
                        break;
                    default:
                        next = bytes;
                        break;
                }
                subject.assertReads(owner, next);
                if (subject.decodes(next)) {
                    bytes = next;
                }
                subject.assertReads(owner, bytes);
            }
        }
    }

    @Test
    void shouldHandOutFreshContainersThatItsCallersMayChange(@TempDir final Path dir) {
        final Map<String, Object> config = config();
        try (Store store = TestStores.builder().open(dir)) {
            store.put("config", config);
            assertEquals(config, store.get("config", Map.class));
            final long[] before = TreeCache.counts();
            for (long v = 0; v < 100; v++) {
                config.put("version", v);
                store.put("config", config);
                @SuppressWarnings("unchecked")
                final Map<String, Object> got = store.get("config", Map.class);
                assertEquals(config, got);
                final Map<?, ?> again = store.getVersioned("config", Map.class).value();
                assertNotSame(got, again);
                assertNotSame(got.get("hosts"), again.get("hosts"));
                got.put("version", -1L); // a caller's changes stay its own
                ((List<?>) got.get("hosts")).clear();
                ((Map<?, ?>) got.get("limits")).clear();
                got.remove("owner");
                assertEquals(config, store.get("config", Map.class));
            }
            final long[] after = TreeCache.counts();
            assertTrue(after[0] - before[0] >= 200, "patched reads: " + (after[0] - before[0]));
            assertEquals(1, after[1] - before[1], "the private tree was built once");
            config.put("owner", "another owner, longer than the one before");
            store.put("config", config);
            assertEquals(config, store.get("config", Map.class)); // another length
            assertEquals(config, store.get("config", Map.class));
            assertTrue(store.verify().ok());
        }
    }

    @Test
    void shouldDecodeOnlyTheValuesThatChangedTheirLength(@TempDir final Path dir) {
        final Map<String, Object> config = config();
        try (Store store = TestStores.builder().open(dir)) {
            store.put("config", config);
            assertEquals(config, store.get("config", Map.class));
            assertEquals(config, store.get("config", Map.class)); // builds the private tree
            final long[] before = TreeCache.counts();
            final StringBuilder owner = new StringBuilder("o");
            for (int v = 0; v < 100; v++) {
                config.put("version", (long) v);
                owner.append((char) ('a' + v % 26)); // one longer at each put
                config.put("owner", v % 10 == 9 ? "o" : owner.toString()); // and back to one character
                if (v % 10 == 9) {
                    owner.setLength(1);
                }
                @SuppressWarnings("unchecked")
                final Map<String, Object> host = (Map<String, Object>) ((List<?>) config.get("hosts")).get(v % 4);
                host.put("host", "node-" + v + ".example.internal"); // in a map in a list
                @SuppressWarnings("unchecked")
                final List<Object> tags = (List<Object>) host.get("tags");
                tags.set(1, "rack-" + v * v); // in a list in a map in a list
                store.put("config", config);
                @SuppressWarnings("unchecked")
                final Map<String, Object> got = store.get("config", Map.class);
                assertEquals(config, got);
                got.put("owner", "changed by the caller");
                ((List<?>) got.get("hosts")).clear();
                assertEquals(config, store.get("config", Map.class));
            }
            final long[] after = TreeCache.counts();
            assertEquals(200, after[0] - before[0], "every read was answered by patching");
            assertEquals(0, after[1] - before[1], "the private tree was never rebuilt");
        }
    }

    @Test
    void shouldDecodeOnlyWhatChangedInTheObjectsOfJournalEntries(@TempDir final Path dir) {
        final Map<String, Object> config = config();
        final List<Object> versions = new ArrayList<>();
        try (Store store = TestStores.builder().open(dir)) {
            for (long v = 0; v < 50; v++) {
                config.put("version", v);
                store.put("config", config);
                versions.add(ObjectCodec.decode(ObjectCodec.encode(config, "c"), "c", v)); // a deep copy
            }
            final long[] before = TreeCache.counts();
            int i = 0;
            try (JournalReader r = store.journal().reader()) {
                for (JournalEntry e = r.next(); e != null; e = r.next()) {
                    @SuppressWarnings("unchecked")
                    final Map<String, Object> got = e.object(Map.class);
                    assertEquals(versions.get(i++), got);
                    got.clear(); // the caller's own
                }
            }
            assertEquals(50, i);
            assertTrue(TreeCache.counts()[0] - before[0] >= 45, "patched: " + (TreeCache.counts()[0] - before[0]));
            final byte[] buffer; // entries made over one reused array
            try (JournalReader r = store.journal().reader()) {
                buffer = r.next().data().clone();
            }
            for (int v = 0; v < 5; v++) {
                final byte[] bytes = ObjectCodec.encode(versions.get(v), "c");
                System.arraycopy(bytes, 0, buffer, 0, bytes.length);
                assertEquals(versions.get(v), new JournalEntry(v, 0, "config", Op.PUT, v + 1, 0, buffer.length, 1, buffer)
                    .object(Map.class));
            }
        }
    }

    @Test
    void shouldNotKeepAnObjectOfMoreLeavesThanItsBound() {
        for (int n : new int[] {TreeCache.MAX_LEAVES, TreeCache.MAX_LEAVES + 1}) {
            final List<Object> flags = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                flags.add(i % 3 == 0);
            }
            final long owner = ++owners;
            final long built = TreeCache.counts()[1];
            for (int k = 0; k < 4; k++) {
                flags.set(k, !(Boolean) flags.get(k));
                assertReads(owner, ObjectCodec.encode(flags, "t"));
            }
            assertEquals(n <= TreeCache.MAX_LEAVES ? 1 : 0, TreeCache.counts()[1] - built, "built, of " + n + " leaves");
        }
    }

    @Test
    void shouldDecodeWholeAMapWithAKeyTwice() {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", 1L);
        m.put("b", 2L);
        m.put("c", List.of("x", "y"));
        final byte[] bytes = ObjectCodec.encode(m, "t");
        final int key = indexOf(bytes, (byte) 'b');
        bytes[key] = 'a'; // {"a": 1, "a": 2, "c": [..]}: the map has two entries, its bytes three
        final long owner = ++owners;
        assertReads(owner, bytes);
        assertReads(owner, bytes);
        final byte[] changed = bytes.clone();
        changed[key + 1 + 1] = 7; // the second "a"'s value: 2 -> 7
        assertReads(owner, changed);
        assertEquals(Map.of("a", 7L, "c", List.of("x", "y")), TreeCodec.read(changed, ObjectCodec.HEADER_LENGTH));
    }

    @Test
    void shouldDecodeWholeWhenAKeyOrALeafsKindChanges() {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", "node-1");
        m.put("port", 8001L);
        m.put("weight", 0.5);
        final long owner = ++owners;
        final byte[] bytes = ObjectCodec.encode(m, "t");
        assertReads(owner, bytes);
        assertReads(owner, bytes);
        final Map<String, Object> renamed = new LinkedHashMap<>();
        renamed.put("hosx", "node-1"); // a key of the same length
        renamed.put("port", 8001L);
        renamed.put("weight", 0.5);
        assertReads(owner, ObjectCodec.encode(renamed, "t"));
        assertReads(owner, bytes);
        final Map<String, Object> retyped = new LinkedHashMap<>(m);
        retyped.put("port", 8001.0); // FLOAT64 where INT64 was: 9 bytes both
        final byte[] retypedBytes = ObjectCodec.encode(retyped, "t");
        assertEquals(bytes.length, retypedBytes.length);
        assertReads(owner, retypedBytes);
        assertEquals(retyped, TreeCodec.read(retypedBytes, ObjectCodec.HEADER_LENGTH));
    }

    @Test
    void shouldReadEveryChangeOfATypedObjectAsAWholeDecodeDoes() {
        final TypedCodec.Plan plan = TypedCodec.plan(Leafy.class);
        assertTrue(plan.patchable);
        final long before = TreeCache.counts()[0];
        campaign(new Random(22), 1_000, new Subject() {
            @Override
            public Object fresh(final Random r) {
                return leafy(r);
            }

            @Override
            public Object changed(final Random r, final Object current) {
                final Leafy copy = ObjectCodec.decode(ObjectCodec.encode(current, "t"), Leafy.class, "t", 1);
                changeLeaves(r, copy);
                return copy;
            }

            @Override
            public void assertReads(final long owner, final byte[] bytes) {
                assertReadsTyped(owner, bytes, plan);
            }

            @Override
            public boolean decodes(final byte[] bytes) {
                return readTypedWhole(bytes, plan) != UNSUPPORTED;
            }
        });
        assertTrue(TreeCache.counts()[0] - before > 8_000, "most reads were answered by a patched private object: "
            + (TreeCache.counts()[0] - before));
    }

    @Test
    void shouldReadTypedObjectsThroughTheStoreAndLetTheirConstructorsRead(@TempDir final Path dir) {
        try (Store store = TestStores.builder().open(dir)) {
            final Reading r = new Reading();
            final long[] before = TreeCache.counts();
            for (long v = 0; v < 100; v++) {
                r.seq = v;
                store.put("reading", r);
                final Reading got = store.get("reading", Reading.class);
                assertEquals(r, got);
                assertEquals(Map.of("k", List.of("v", "w")), got.fromConstructor);
                final Object asObject = store.get("reading", Object.class);
                assertEquals(r, asObject);
                assertNotSame(got, asObject);
            }
            final long[] after = TreeCache.counts();
            assertTrue(after[0] - before[0] >= 150, "patched reads: " + (after[0] - before[0]));
        }
    }

    /** Reads {@code bytes} through the cache and whole, and checks they agree (a fresh container each time). */
    private static void assertReads(final long owner, final byte[] bytes) {
        final Object expected = readWhole(bytes.clone());
        Object actual;
        try {
            actual = TreeCache.read(owner, "t", bytes.clone());
        } catch (TreeCodec.Unsupported e) {
            actual = UNSUPPORTED;
        }
        assertEquals(expected, actual);
        if (actual instanceof Map) {
            ((Map<?, ?>) actual).clear(); // must not reach the cache's own tree
        } else if (actual instanceof List) {
            ((List<?>) actual).clear();
        }
    }

    private static Object readWhole(final byte[] bytes) {
        try {
            return TreeCodec.read(bytes, ObjectCodec.HEADER_LENGTH);
        } catch (TreeCodec.Unsupported e) {
            return UNSUPPORTED;
        }
    }

    /** {@link #assertReads} of a typed object: equal, byte for byte once encoded again, and fresh. */
    private static void assertReadsTyped(final long owner, final byte[] bytes, final TypedCodec.Plan plan) {
        final Object expected = readTypedWhole(bytes.clone(), plan);
        Object actual;
        try {
            actual = TreeCache.readTyped(owner, "t", bytes.clone(), plan);
        } catch (TreeCodec.Unsupported e) {
            actual = UNSUPPORTED;
        }
        if (expected == UNSUPPORTED || actual == UNSUPPORTED) {
            assertEquals(expected, actual);
            return;
        }
        assertEquals(expected, actual);
        assertTrue(Arrays.equals(ObjectCodec.encode(expected, "t"), ObjectCodec.encode(actual, "t")));
        final Leafy mine = (Leafy) actual; // a caller's changes must not reach the cache's own object
        mine.name = "changed";
        if (mine.added != null) {
            mine.added.add("more");
        }
        mine.prims.clear();
        if (mine.node != null) {
            mine.node.name = "changed";
        }
    }

    private static Object readTypedWhole(final byte[] bytes, final TypedCodec.Plan plan) {
        try {
            return TypedCodec.read(bytes, ObjectCodec.HEADER_LENGTH, plan);
        } catch (TreeCodec.Unsupported e) {
            return UNSUPPORTED;
        }
    }

    private static Leafy leafy(final Random r) {
        final Leafy x = new Leafy();
        x.level = r.nextInt(3) == 0 ? null : TypedCodecTest.Level.values()[r.nextInt(2)];
        x.boxedLong = r.nextBoolean() ? null : r.nextLong() >> r.nextInt(64);
        x.boxedInt = r.nextBoolean() ? null : r.nextInt() >> r.nextInt(32);
        x.boxedDouble = r.nextBoolean() ? null : r.nextDouble();
        x.flag = r.nextBoolean() ? null : r.nextBoolean();
        x.c = (char) ('a' + r.nextInt(26));
        x.name = r.nextInt(5) == 0 ? null : TypedCodecTest.string(r);
        x.node = r.nextInt(4) == 0 ? null : TypedCodecTest.node(r, 1);
        if (r.nextInt(5) == 0) {
            x.added = null;
        } else {
            x.added.clear();
            for (int k = r.nextInt(4); k > 0; k--) {
                x.added.add(r.nextInt(6) == 0 ? null : TypedCodecTest.string(r));
            }
        }
        for (int k = r.nextInt(3); k > 0; k--) {
            x.prims.add(r.nextInt(5) == 0 ? null : TypedCodecTest.prims(r));
        }
        return x;
    }

    /** Changes about one leaf in three, to a value of the same or another length. */
    private static void changeLeaves(final Random r, final Leafy x) {
        if (r.nextInt(3) == 0) {
            x.boxedInt = x.boxedInt == null ? null : x.boxedInt ^ 1;
        }
        if (r.nextInt(3) == 0) {
            x.c = (char) ('a' + r.nextInt(26));
        }
        if (r.nextInt(3) == 0 && x.boxedDouble != null) {
            x.boxedDouble = r.nextDouble();
        }
        if (r.nextInt(3) == 0 && x.flag != null) {
            x.flag = !x.flag;
        }
        if (r.nextInt(3) == 0 && x.level != null) {
            x.level = TypedCodecTest.Level.values()[r.nextInt(2)];
        }
        if (r.nextInt(3) == 0) {
            x.name = sameOrOther(r, x.name);
        }
        if (r.nextInt(4) == 0) { // null, or a number of another width
            x.boxedLong = r.nextInt(4) == 0 ? null : (long) r.nextInt(1 << r.nextInt(31));
        }
        if (x.added != null && !x.added.isEmpty() && r.nextInt(3) == 0) {
            final int i = r.nextInt(x.added.size());
            x.added.set(i, sameOrOther(r, x.added.get(i)));
        }
        for (TypedCodecTest.Prims p : x.prims) {
            if (p != null && r.nextInt(3) == 0) {
                p.l ^= 1;
                p.d = r.nextDouble();
                p.b = !p.b;
                p.s = sameOrOther(r, p.s);
            }
        }
        for (TypedCodecTest.Node n = x.node; n != null; n = n.next) {
            if (r.nextInt(3) == 0) {
                n.name = sameOrOther(r, n.name);
            }
            if (n.prims != null && r.nextInt(3) == 0) {
                n.prims.i ^= 2;
                n.prims.f = r.nextFloat();
            }
        }
    }

    /** A string of the same length with one character changed (null stays null). */
    private static String same(final Random r, final String s) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        final char[] c = s.toCharArray();
        c[r.nextInt(c.length)] = (char) ('a' + r.nextInt(26));
        return new String(c);
    }

    /** {@code b} with a random byte inserted or one removed (after the header). */
    private static byte[] insertOrRemove(final Random r, final byte[] b) {
        final int at = ObjectCodec.HEADER_LENGTH + r.nextInt(b.length - ObjectCodec.HEADER_LENGTH);
        final byte[] next = new byte[b.length + (r.nextBoolean() ? 1 : -1)];
        System.arraycopy(b, 0, next, 0, at);
        if (next.length > b.length) {
            next[at] = (byte) r.nextInt(256);
            System.arraycopy(b, at, next, at + 1, b.length - at);
        } else {
            System.arraycopy(b, at + 1, next, at, b.length - at - 1);
        }
        return next;
    }

    /** A string with one character changed, or one added or removed (null stays null). */
    private static String sameOrOther(final Random r, final String s) {
        if (s == null || !r.nextBoolean()) {
            return same(r, s);
        }
        if (!s.isEmpty() && r.nextBoolean()) {
            final int i = r.nextInt(s.length());
            return s.substring(0, i) + s.substring(i + 1);
        }
        final int i = r.nextInt(s.length() + 1);
        return s.substring(0, i) + (char) ('a' + r.nextInt(26)) + s.substring(i);
    }

    private static int indexOf(final byte[] b, final byte v) {
        for (int i = ObjectCodec.HEADER_LENGTH; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        throw new AssertionError("no byte " + v + " in " + Arrays.toString(b));
    }

    /** The tree with about one leaf in four replaced, mostly by a value of the same kind (a string of the same or another length). */
    @SuppressWarnings("unchecked")
    private static Object changeLeaves(final Random r, final Object node) {
        if (node instanceof Map) {
            final Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<String, Object>) node).forEach((k, v) -> copy.put(k, changeLeaves(r, v)));
            return copy;
        }
        if (node instanceof List) {
            final List<Object> copy = new ArrayList<>();
            for (Object v : (List<Object>) node) {
                copy.add(changeLeaves(r, v));
            }
            return copy;
        }
        if (r.nextInt(4) != 0) {
            return node;
        }
        if (r.nextInt(8) == 0) {
            return leaf(r); // of another kind, or length, or a container
        }
        if (node instanceof Long) {
            return r.nextLong();
        }
        if (node instanceof Integer) {
            return r.nextInt();
        }
        if (node instanceof Short) {
            return (short) r.nextInt();
        }
        if (node instanceof Byte) {
            return (byte) r.nextInt();
        }
        if (node instanceof Double) {
            return r.nextDouble();
        }
        if (node instanceof Float) {
            return r.nextFloat();
        }
        if (node instanceof Boolean) {
            return !(Boolean) node;
        }
        if (node instanceof String) {
            return sameOrOther(r, (String) node);
        }
        return node; // null
    }

    private static Map<String, Object> map(final Random r, final int depth) {
        final Map<String, Object> map = new LinkedHashMap<>();
        for (int k = r.nextInt(depth == 0 ? 12 : 5); k > 0; k--) {
            map.put("k" + r.nextInt(40), value(r, depth + 1));
        }
        return map;
    }

    private static List<Object> list(final Random r, final int depth) {
        final List<Object> list = new ArrayList<>();
        for (int k = r.nextInt(depth == 0 ? 12 : 5); k > 0; k--) {
            list.add(value(r, depth + 1));
        }
        return list;
    }

    private static Object value(final Random r, final int depth) {
        final int kind = r.nextInt(depth < 3 ? 10 : 8);
        if (kind == 8) {
            return map(r, depth);
        }
        if (kind == 9) {
            return list(r, depth);
        }
        return leaf(r);
    }

    private static Object leaf(final Random r) {
        switch (r.nextInt(11)) {
            case 0:
                return r.nextLong();
            case 1:
                return r.nextInt();
            case 2:
                return (short) r.nextInt();
            case 3:
                return (byte) r.nextInt();
            case 4:
                return r.nextDouble();
            case 5:
                return r.nextFloat();
            case 6:
                return r.nextBoolean();
            case 7:
                return null;
            case 8: { // a long string: STRING_ANY
                final StringBuilder sb = new StringBuilder();
                for (int i = 32 + r.nextInt(40); i > 0; i--) {
                    sb.append((char) ('a' + r.nextInt(26)));
                }
                return sb.toString();
            }
            case 9:
                return r.nextBoolean() ? "é中" + r.nextInt(10) : "";
            default:
                return "s" + r.nextInt(1000);
        }
    }

    private static Map<String, Object> config() {
        final Map<String, Object> c = new LinkedHashMap<>();
        c.put("service", "billing-gateway");
        c.put("version", 42L);
        final List<Object> hosts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            final Map<String, Object> h = new LinkedHashMap<>();
            h.put("host", "node-" + i + ".example.internal");
            h.put("port", 8000L + i);
            h.put("tags", new ArrayList<>(List.of("zone-" + i, "rack-" + i)));
            hosts.add(h);
        }
        c.put("hosts", hosts);
        c.put("limits", new LinkedHashMap<>(Map.of("rps", 5000L)));
        c.put("owner", "platform-team");
        return c;
    }
}
