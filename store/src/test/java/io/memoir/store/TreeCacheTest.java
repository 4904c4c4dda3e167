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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TreeCache} against a whole decode ({@link TreeCodec#read}) of the same bytes: after changes
 * of every kind (values of the same and of another length, keys, container lengths, damaged bytes),
 * every read through the cache equals the whole decode, or fails as it does, and hands out fresh
 * containers.
 */
class TreeCacheTest {
    private static final String UNSUPPORTED = "unsupported";
    private static long owners = 1_000_000;

    @Test
    void shouldReadEveryChangeAsAWholeDecodeDoes() {
        final Random random = new Random(21);
        final long before = TreeCache.counts()[0];
        for (int n = 0; n < 2_000; n++) {
            final long owner = ++owners;
            Object tree = random.nextBoolean() ? map(random, 0) : list(random, 0);
            byte[] bytes = ObjectCodec.encode(tree, "t");
            assertReads(owner, bytes);
            assertReads(owner, bytes); // the second read of the same length builds the private tree
            for (int k = 0; k < 20; k++) {
                final byte[] next;
                switch (random.nextInt(4)) {
                    case 0: // some leaves changed, often to values of the same length
                        tree = changeLeaves(random, tree);
                        next = ObjectCodec.encode(tree, "t");
                        break;
                    case 1: // a random byte anywhere after the header
                        next = bytes.clone();
                        next[ObjectCodec.HEADER_LENGTH + random.nextInt(next.length - ObjectCodec.HEADER_LENGTH)] =
                            (byte) random.nextInt(256);
                        break;
                    case 2: // a whole other tree
                        tree = random.nextBoolean() ? map(random, 0) : list(random, 0);
                        next = ObjectCodec.encode(tree, "t");
                        break;
                    default: // the same bytes again
                        next = bytes;
                        break;
                }
                assertReads(owner, next);
                if (isTree(next)) {
                    bytes = next;
                }
                assertReads(owner, bytes);
            }
        }
        assertTrue(TreeCache.counts()[0] - before > 20_000, "most reads were answered by a patched private tree: "
            + (TreeCache.counts()[0] - before));
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
            assertEquals(config, store.get("config", Map.class)); // another length: a whole decode
            assertEquals(config, store.get("config", Map.class));
            assertTrue(store.verify().ok());
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

    private static boolean isTree(final byte[] bytes) {
        return readWhole(bytes) != UNSUPPORTED;
    }

    private static int indexOf(final byte[] b, final byte v) {
        for (int i = ObjectCodec.HEADER_LENGTH; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        throw new AssertionError("no byte " + v + " in " + Arrays.toString(b));
    }

    /** The tree with about one leaf in four replaced, mostly by a value of the same kind. */
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
            final char[] c = ((String) node).toCharArray();
            if (c.length > 0) {
                c[r.nextInt(c.length)] = (char) ('a' + r.nextInt(26));
            }
            return new String(c);
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
