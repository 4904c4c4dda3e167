package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link CompactMap} against {@link LinkedHashMap} (insertion order), operation by operation: random
 * sequences over keys that include null and strings with equal hash codes, through sizes on both sides
 * of the linear search's limit, and every view.
 */
class CompactMapTest {
    /** "Aa" and "BB" (and their concatenations) share a hash code. */
    private static final List<String> KEYS = new ArrayList<>();

    static {
        KEYS.add(null);
        for (String a : List.of("Aa", "BB")) {
            for (String b : List.of("Aa", "BB")) {
                KEYS.add(a + b);
            }
            KEYS.add(a);
        }
        for (int i = 0; i < 30; i++) {
            KEYS.add("k" + i);
        }
    }

    @Test
    void shouldBehaveAsALinkedHashMapInInsertionOrder() {
        final Random random = new Random(20261130);
        for (int run = 0; run < 400; run++) {
            final Map<String, Integer> model = new LinkedHashMap<>();
            final CompactMap<String, Integer> map = run % 2 == 0 ? new CompactMap<>() : new CompactMap<>(run % 12);
            final int keys = 3 + random.nextInt(KEYS.size() - 2);
            for (int step = 0; step < 200; step++) {
                final String key = KEYS.get(random.nextInt(keys));
                final Integer value = random.nextInt(4) == 0 ? null : random.nextInt(50);
                final String what = "run " + run + " step " + step + " key " + key;
                switch (random.nextInt(16)) {
                    case 0, 1, 2, 3 -> assertEquals(model.put(key, value), map.put(key, value), what);
                    case 4 -> assertEquals(model.remove(key), map.remove(key), what);
                    case 5 -> assertEquals(model.get(key), map.get(key), what);
                    case 6 -> assertEquals(model.containsKey(key), map.containsKey(key), what);
                    case 7 -> assertEquals(model.containsValue(value), map.containsValue(value), what);
                    case 8 -> assertEquals(model.putIfAbsent(key, value), map.putIfAbsent(key, value), what);
                    case 9 -> assertEquals(model.merge(key, 1, Integer::sum), map.merge(key, 1, Integer::sum), what);
                    case 10 -> assertEquals(model.computeIfPresent(key, (k, v) -> v % 3 == 0 ? null : v + 1),
                        map.computeIfPresent(key, (k, v) -> v % 3 == 0 ? null : v + 1), what);
                    case 11 -> { // remove through the entry iterator, and set values through entries
                        removeEvery(model.entrySet().iterator(), 3, step);
                        removeEvery(map.entrySet().iterator(), 3, step);
                        model.entrySet().forEach(e -> e.setValue(e.getValue() == null ? 0 : e.getValue() * 2));
                        map.entrySet().forEach(e -> e.setValue(e.getValue() == null ? 0 : e.getValue() * 2));
                    }
                    case 12 -> {
                        assertEquals(model.keySet().remove(key), map.keySet().remove(key), what);
                        assertEquals(model.values().remove(value), map.values().remove(value), what);
                    }
                    case 13 -> assertEquals(model.getOrDefault(key, -1), map.getOrDefault(key, -1), what);
                    case 14 -> {
                        if (random.nextInt(20) == 0) {
                            model.clear();
                            map.clear();
                        }
                    }
                    default -> {
                        model.replaceAll((k, v) -> v == null ? null : v + 1);
                        map.replaceAll((k, v) -> v == null ? null : v + 1);
                    }
                }
                assertSame(model, map, what);
            }
        }
    }

    private static void assertSame(final Map<String, Integer> model, final CompactMap<String, Integer> map,
                                   final String what) {
        assertEquals(model.size(), map.size(), what);
        assertEquals(new ArrayList<>(model.entrySet()), new ArrayList<>(map.entrySet()), what + ": entries in order");
        assertEquals(new ArrayList<>(model.keySet()), new ArrayList<>(map.keySet()), what);
        assertEquals(new ArrayList<>(model.values()), new ArrayList<>(map.values()), what);
        assertEquals(model, map, what);
        assertEquals(map, model, what);
        assertEquals(model.hashCode(), map.hashCode(), what);
        assertEquals(model.toString(), map.toString(), what);
        final List<String> seen = new ArrayList<>();
        map.forEach((k, v) -> seen.add(k));
        assertEquals(new ArrayList<>(model.keySet()), seen, what);
        for (String k : KEYS) {
            assertEquals(model.get(k), map.get(k), what + " get " + k);
        }
    }

    private static <E> void removeEvery(final Iterator<E> it, final int every, final int offset) {
        for (int i = offset; it.hasNext(); i++) {
            it.next();
            if (i % every == 0) {
                it.remove();
            }
        }
    }

    @Test
    void shouldFailFastAndRefuseMisuse() {
        final CompactMap<String, Integer> map = new CompactMap<>();
        for (int i = 0; i < 12; i++) {
            map.put("k" + i, i);
        }
        final Iterator<Map.Entry<String, Integer>> it = map.entrySet().iterator();
        it.next();
        map.put("new", 1);
        assertThrows(ConcurrentModificationException.class, it::next);
        assertThrows(ConcurrentModificationException.class, () -> map.forEach((k, v) -> map.remove("new")));
        final Iterator<String> keys = map.keySet().iterator();
        assertThrows(IllegalStateException.class, keys::remove, "remove before next");
        keys.next();
        keys.remove();
        assertThrows(IllegalStateException.class, keys::remove, "remove twice");
        final Map.Entry<String, Integer> entry = map.entrySet().iterator().next();
        map.remove(entry.getKey());
        assertThrows(IllegalStateException.class, () -> entry.setValue(5));
        final Iterator<Map.Entry<String, Integer>> end = new CompactMap<String, Integer>().entrySet().iterator();
        assertFalse(end.hasNext());
        assertThrows(java.util.NoSuchElementException.class, end::next);
    }

    @Test
    void shouldKeepEntriesLiveAcrossChanges() {
        final CompactMap<String, Integer> map = new CompactMap<>();
        map.put("a", 1);
        map.put("b", 2);
        final Map.Entry<String, Integer> b = new ArrayList<>(map.entrySet()).get(1);
        map.remove("a"); // b moves down a place
        assertEquals(2, b.getValue());
        assertEquals(2, b.setValue(3));
        assertEquals(Map.of("b", 3), map);
    }

    @Test
    void shouldSerializeAndGrowLarge() throws Exception {
        final CompactMap<String, Object> map = new CompactMap<>();
        for (int i = 0; i < 10_000; i++) {
            map.put("k" + i, i % 2 == 0 ? null : (long) i);
        }
        for (int i = 0; i < 10_000; i += 3) {
            map.remove("k" + i);
        }
        final LinkedHashMap<String, Object> model = new LinkedHashMap<>();
        for (int i = 0; i < 10_000; i++) {
            if (i % 3 != 0) {
                model.put("k" + i, i % 2 == 0 ? null : (long) i);
            }
        }
        assertEquals(new ArrayList<>(model.entrySet()), new ArrayList<>(map.entrySet()));
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(map);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            @SuppressWarnings("unchecked")
            final Map<String, Object> back = (Map<String, Object>) in.readObject();
            assertEquals(new ArrayList<>(model.entrySet()), new ArrayList<>(back.entrySet()));
            assertTrue(back.containsKey("k1") && !back.containsKey("k0"));
            back.put("k0", "again");
            assertEquals("again", back.get("k0"));
        }
        assertNull(map.get("absent"));
    }
}
