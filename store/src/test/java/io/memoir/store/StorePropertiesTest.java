package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Model-based property test (STYLE.md §6): random sequences of store operations, valid and invalid,
 * run against a real store (small capacity: 8 regions of at most 256 bytes, so "store full" is hit)
 * and against a model, a map from tag to content, version and deleted flag. After every operation the
 * store equals the model (listing, lengths, versions, contents, objects); an invalid operation throws
 * the documented exception and changes nothing (the journal's last index included); a valid change
 * adds to the journal. At the end {@code verify()} is ok and a replay of the journal equals the model.
 *
 * <p>Tries per build: {@code jqwik.tries.default} in {@code junit-platform.properties} (200);
 * {@code -Djqwik.tries.default=N} for more. jqwik shrinks a failing sequence to a minimal one.
 */
class StorePropertiesTest {
    static final int MAX_REGIONS = 8;
    static final int MAX_SIZE = 256;
    static final List<String> RAW = List.of("r0", "r1", "r2", "r3", "r4", "r5", "r6");
    static final List<String> OBJ = List.of("o0", "o1");
    static final List<String> BAD_TAGS = List.of("", " ", "a b", "-x", ".hidden", "/abs", "../up", "tab\t", "caf\u00e9",
        "x\u0000y", "a;b", "new\nline", "x".repeat(129));

    static final AtomicLong SEQUENCES = new AtomicLong();
    static final AtomicLong OPERATIONS = new AtomicLong();
    static final AtomicLong REJECTED = new AtomicLong();
    static final AtomicLong FULL = new AtomicLong();
    static final Map<String, AtomicLong> REJECTED_BY = new java.util.concurrent.ConcurrentSkipListMap<>();

    /** The kinds of operation. */
    enum Kind { CREATE, WRITE, WRITE_SLICE, READ, PUT, RESIZE, DELETE, CAS, OBJ_PUT, OBJ_PUT_JSON, OBJ_GET, BAD_TAG }

    /** One operation: which kind, on which tag, with which numbers and bytes. */
    record Op(Kind kind, int tag, long a, int b, int c, byte[] bytes) {
        @Override
        public String toString() {
            return kind + "(tag=" + tag + ", a=" + a + ", b=" + b + ", c=" + c + ", bytes=" + bytes.length + ")";
        }
    }

    /** The model of one tag. */
    static final class Model {
        byte[] content;
        long version;
        boolean deleted;
        /** For object tags: the string put, or the JSON text put. */
        String object;
        boolean json;
    }

    @Provide
    Arbitrary<List<Op>> sequences() {
        final Arbitrary<Integer> length = Arbitraries.frequencyOf(
            weighted(6, Arbitraries.integers().between(0, 64)),
            weighted(2, Arbitraries.integers().between(MAX_SIZE - 4, MAX_SIZE + 4)),
            weighted(1, Arbitraries.integers().between(-5, -1)),
            weighted(1, Arbitraries.of(Integer.MAX_VALUE, Integer.MIN_VALUE)));
        final Arbitrary<Long> offset = Arbitraries.frequencyOf(
            weighted(8, Arbitraries.longs().between(-2, 70)),
            weighted(1, Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE, (long) Integer.MAX_VALUE + 1)));
        final Arbitrary<byte[]> bytes = Arbitraries.frequencyOf(
            weighted(8, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40)),
            weighted(1, Arbitraries.bytes().array(byte[].class).ofMinSize(MAX_SIZE - 2).ofMaxSize(MAX_SIZE + 40)));
        final Arbitrary<Integer> small = Arbitraries.integers().between(-2, 42);
        // Creates and puts weighted up, so that most sequences have regions to work on.
        final Arbitrary<Kind> kind = Arbitraries.of(Kind.CREATE, Kind.CREATE, Kind.CREATE, Kind.WRITE, Kind.WRITE,
            Kind.WRITE_SLICE, Kind.READ, Kind.PUT, Kind.RESIZE, Kind.DELETE, Kind.CAS, Kind.CAS, Kind.OBJ_PUT,
            Kind.OBJ_PUT, Kind.OBJ_PUT_JSON, Kind.OBJ_GET, Kind.BAD_TAG);
        final Arbitrary<Op> op = Combinators.combine(kind, Arbitraries.integers().between(0, 100),
            offset, length, small, bytes).as((k, t, a, b, c, data) -> new Op(k, t, a, b, c, data));
        return op.list().ofMinSize(5).ofMaxSize(50);
    }

    private static <T> Tuple2<Integer, Arbitrary<? extends T>> weighted(final int weight, final Arbitrary<T> a) {
        return Tuple.of(weight, a);
    }

    @Property
    void storeEqualsModel(@ForAll("sequences") final List<Op> ops) throws IOException {
        SEQUENCES.incrementAndGet();
        final Path dir = Files.createTempDirectory("memoir-prop");
        try {
            final Map<String, Model> model = new TreeMap<>();
            try (Store store = TestStores.builder().capacity(new Capacity(MAX_REGIONS, 64, MAX_SIZE)).open(dir)) {
                for (Op op : ops) {
                    OPERATIONS.incrementAndGet();
                    apply(store, model, op);
                    assertEquals(model, store, op);
                }
                assertTrue(store.verify().ok(), () -> store.verify().toString());
                final Snapshot replayed = store.replay(store.journal().lastIndex());
                for (Map.Entry<String, Model> e : model.entrySet()) {
                    final Model m = e.getValue();
                    assertEquals(!m.deleted, replayed.contains(e.getKey()), e.getKey());
                    if (!m.deleted) {
                        assertArrayEquals(m.content == null ? store.region(e.getKey()).readAll() : m.content,
                            replayed.content(e.getKey()), e.getKey());
                    }
                }
            }
        } finally {
            deleteTree(dir);
        }
    }

    /** Runs {@code op} on the store and the model; a failure must be expected and change nothing. */
    static void apply(final Store store, final Map<String, Model> model, final Op op) {
        final String tag = op.kind == Kind.OBJ_PUT || op.kind == Kind.OBJ_PUT_JSON || op.kind == Kind.OBJ_GET
            ? OBJ.get(op.tag % OBJ.size()) : RAW.get(op.tag % RAW.size());
        final Model m = model.get(tag);
        final boolean live = m != null && !m.deleted;
        final long before = store.journal().lastIndex();
        final Class<? extends Exception> expected = expectedFailure(model, op, tag, m, live);
        try {
            final boolean changed = run(store, model, op, tag, m, live);
            if (expected != null) {
                fail(op + " should have thrown " + expected.getSimpleName());
            }
            if (changed) {
                assertTrue(store.journal().lastIndex() > before, () -> op + " added nothing to the journal");
            } else {
                assertEquals(before, store.journal().lastIndex(), () -> op + " changed the journal");
            }
        } catch (RuntimeException e) {
            if (expected == null && e instanceof MemoirException.StoreFullException && structural(op, m)) {
                FULL.incrementAndGet(); // the map's bytes, not its region count, ran out: allowed, if nothing changed
            } else if (expected == null || !expected.isInstance(e)) {
                throw new AssertionError(op + " threw unexpectedly (expected " + expected + ")", e);
            }
            REJECTED.incrementAndGet();
            REJECTED_BY.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
            assertEquals(before, store.journal().lastIndex(), () -> op + " failed but changed the journal");
        }
    }

    /** Whether {@code op} makes a new record (Chronicle Map allocates): a create, resize or put of another length. */
    static boolean structural(final Op op, final Model m) {
        return switch (op.kind) {
            case CREATE, RESIZE, OBJ_PUT, OBJ_PUT_JSON -> true;
            case PUT, CAS -> m == null || m.content == null || m.content.length != op.bytes.length;
            default -> false;
        };
    }

    /** The exception the model says {@code op} must throw, or null if it must succeed. */
    static Class<? extends Exception> expectedFailure(final Map<String, Model> model, final Op op, final String tag,
                                                      final Model m, final boolean live) {
        final boolean roomForNew = model.size() < MAX_REGIONS;
        final int length = live && m.content != null ? m.content.length : 0;
        return switch (op.kind) {
            case CREATE -> op.b < 0 ? IllegalArgumentException.class
                : op.b > MAX_SIZE ? MemoirException.StoreFullException.class
                : live ? null : (m == null && !roomForNew) ? MemoirException.StoreFullException.class : null;
            case WRITE -> !live ? MemoirException.RegionNotFoundException.class
                : op.a < 0 || op.a > length - op.bytes.length ? IndexOutOfBoundsException.class : null;
            case WRITE_SLICE -> !live ? MemoirException.RegionNotFoundException.class
                : op.b < 0 || op.c < 0 || op.b > op.bytes.length - op.c || op.a < 0 || op.a > length - op.c
                ? IndexOutOfBoundsException.class : null;
            // Offsets are compared as "offset > length - n" so that Long.MAX_VALUE cannot overflow the model.
            case READ -> !live ? MemoirException.RegionNotFoundException.class
                : op.a < 0 || op.c < 0 || op.a > length - op.c ? IndexOutOfBoundsException.class : null;
            case PUT -> !live ? MemoirException.RegionNotFoundException.class
                : op.bytes.length > MAX_SIZE ? MemoirException.StoreFullException.class : null;
            case RESIZE -> !live ? MemoirException.RegionNotFoundException.class
                : op.b < 0 ? IllegalArgumentException.class
                : op.b > MAX_SIZE ? MemoirException.StoreFullException.class : null;
            case DELETE -> !live ? MemoirException.RegionNotFoundException.class : null;
            case CAS -> !live ? MemoirException.RegionNotFoundException.class
                : op.bytes.length > MAX_SIZE ? MemoirException.StoreFullException.class
                : op.c % 3 != 0 ? MemoirException.VersionConflictException.class : null;
            case OBJ_PUT -> op.c % 5 == 0 ? MemoirException.StoreFullException.class // a string too large
                : m == null && !roomForNew ? MemoirException.StoreFullException.class : null;
            case OBJ_PUT_JSON -> op.c % 4 == 0 ? IllegalArgumentException.class
                : m == null && !roomForNew ? MemoirException.StoreFullException.class : null;
            case OBJ_GET -> !live ? MemoirException.RegionNotFoundException.class : null;
            case BAD_TAG -> op.c % 4 == 3 ? NullPointerException.class : IllegalArgumentException.class;
        };
    }

    /** Runs {@code op} on the store and, when it returns, on the model; returns whether it changed something. */
    static boolean run(final Store store, final Map<String, Model> model, final Op op, final String tag,
                       final Model m, final boolean live) {
        switch (op.kind) {
            case CREATE -> {
                final Region r = store.region(tag, op.b);
                if (live) {
                    assertEquals(m.version, r.version());
                    return false;
                }
                final Model n = new Model();
                n.content = new byte[op.b];
                n.version = m == null ? 1 : m.version + 1;
                assertEquals(n.version, r.version(), op::toString);
                model.put(tag, n);
                return true;
            }
            case WRITE -> {
                final long v = store.region(tag).write(op.a, op.bytes);
                System.arraycopy(op.bytes, 0, m.content, (int) op.a, op.bytes.length);
                assertEquals(++m.version, v, op::toString);
                return true;
            }
            case WRITE_SLICE -> {
                final long v = store.region(tag).write(op.a, op.bytes, op.b, op.c);
                System.arraycopy(op.bytes, op.b, m.content, (int) op.a, op.c);
                assertEquals(++m.version, v, op::toString);
                return true;
            }
            case READ -> {
                final byte[] got = store.region(tag).read(op.a, op.c);
                assertArrayEquals(Arrays.copyOfRange(m.content, (int) op.a, (int) op.a + op.c), got, op::toString);
                return false;
            }
            case PUT -> {
                final long v = store.region(tag).put(op.bytes);
                m.content = op.bytes.clone();
                assertEquals(++m.version, v, op::toString);
                return true;
            }
            case RESIZE -> {
                final long v = store.region(tag).resize(op.b);
                m.content = Arrays.copyOf(m.content, op.b);
                assertEquals(++m.version, v, op::toString);
                return true;
            }
            case DELETE -> {
                final long v = op.c % 2 == 0 ? store.delete(tag) : store.region(tag).delete();
                m.deleted = true;
                m.content = null;
                assertEquals(++m.version, v, op::toString);
                return true;
            }
            case CAS -> {
                final Region r = store.region(tag);
                final long expectedVersion = op.c % 3 == 0 ? m.version : op.c % 3 == 1 ? m.version - 1 : m.version + 1;
                final long v = r.compareAndSet(expectedVersion, op.bytes);
                m.content = op.bytes.clone();
                assertEquals(++m.version, v, op::toString);
                return true;
            }
            case OBJ_PUT -> {
                final String value = op.c % 5 == 0 ? "x".repeat(MAX_SIZE * 2) : "v" + op.a + ":" + op.bytes.length;
                final long v = store.put(tag, value);
                return putObject(model, tag, m, live, v, value, false, op);
            }
            case OBJ_PUT_JSON -> {
                final String json = op.c % 4 == 0 ? "{\"k\":" : "{\"k\":" + op.b + "}";
                final long v = store.putJson(tag, json);
                return putObject(model, tag, m, live, v, json, true, op);
            }
            case OBJ_GET -> {
                if (!live) {
                    store.getJson(tag);
                }
                checkObject(store, tag, m);
                return false;
            }
            case BAD_TAG -> {
                final String bad = op.c % 4 == 3 ? null : BAD_TAGS.get(op.tag % BAD_TAGS.size());
                switch (op.b & 3) {
                    case 0 -> store.region(bad, 8);
                    case 1 -> store.put(bad, "x");
                    case 2 -> store.delete(bad);
                    default -> store.exists(bad);
                }
                return false;
            }
            default -> throw new AssertionError(op);
        }
    }

    static boolean putObject(final Map<String, Model> model, final String tag, final Model m, final boolean live,
                             final long v, final String value, final boolean json, final Op op) {
        final Model n = m == null ? new Model() : m;
        n.version = m == null ? 1 : m.version + 1;
        n.deleted = false;
        n.content = null;
        n.object = value;
        n.json = json;
        model.put(tag, n);
        assertEquals(n.version, v, op::toString);
        return true;
    }

    static void checkObject(final Store store, final String tag, final Model m) {
        if (m.json) {
            assertEquals(m.object, store.getJson(tag).replaceAll("\\s", ""), tag);
        } else {
            assertEquals(m.object, store.get(tag, String.class), tag);
        }
    }

    /** The store equals the model: listing (tags, lengths, versions), contents, objects, tombstones. */
    static void assertEquals(final Map<String, Model> model, final Store store, final Op after) {
        final Map<String, RegionInfo> listed = store.list().stream()
            .collect(Collectors.toMap(RegionInfo::tag, i -> i, (x, y) -> x, TreeMap::new));
        final Set<String> live = model.entrySet().stream().filter(e -> !e.getValue().deleted).map(Map.Entry::getKey)
            .collect(Collectors.toCollection(java.util.TreeSet::new));
        assertEquals(live, listed.keySet(), () -> "tags after " + after);
        for (Map.Entry<String, Model> e : model.entrySet()) {
            final String tag = e.getKey();
            final Model m = e.getValue();
            assertEquals(!m.deleted, store.exists(tag), () -> tag + " after " + after);
            if (m.deleted) {
                continue;
            }
            final RegionInfo info = listed.get(tag);
            assertEquals(m.version, info.version(), () -> tag + " version after " + after);
            if (m.content != null) {
                assertEquals(m.content.length, info.length(), () -> tag + " length after " + after);
                assertArrayEquals(m.content, store.region(tag).readAll(), () -> tag + " content after " + after);
            } else {
                checkObject(store, tag, m);
            }
        }
        for (String never : Stream.concat(RAW.stream(), OBJ.stream()).filter(t -> !model.containsKey(t)).toList()) {
            assertFalse(store.exists(never), never);
        }
    }

    static void assertEquals(final Object expected, final Object actual, final Supplier<String> message) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, actual, message);
    }

    static void assertEquals(final Object expected, final Object actual, final String message) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, actual, message);
    }

    static void assertEquals(final long expected, final long actual) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, actual);
    }

    static void deleteTree(final Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterContainer
    static void report() {
        System.out.println("StorePropertiesTest: sequences=" + SEQUENCES + " operations=" + OPERATIONS
            + " rejected=" + REJECTED + " " + REJECTED_BY + " mapBytesFull=" + FULL);
    }
}
