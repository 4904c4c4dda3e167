package io.memoir.store;

import static net.openhft.chronicle.wire.BinaryWireCode.BYTES_LENGTH32;
import static net.openhft.chronicle.wire.BinaryWireCode.FALSE;
import static net.openhft.chronicle.wire.BinaryWireCode.FLOAT32;
import static net.openhft.chronicle.wire.BinaryWireCode.FLOAT64;
import static net.openhft.chronicle.wire.BinaryWireCode.NULL;
import static net.openhft.chronicle.wire.BinaryWireCode.STRING_0;
import static net.openhft.chronicle.wire.BinaryWireCode.STRING_ANY;
import static net.openhft.chronicle.wire.BinaryWireCode.TRUE;
import static net.openhft.chronicle.wire.BinaryWireCode.TYPE_PREFIX;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * The objects a thread read last, one per tag for a few tags, so that reading a tag again when only a
 * few of its values changed (the master/follower pattern: a version, a counter, a flag) costs a copy
 * of the object and the decoding of those values, not a decode of the whole object. It serves
 * JSON-like trees and plain typed data objects whose fields are leaves, data objects and lists of
 * strings or data objects ({@link TypedCodec.Plan#patchable}).
 *
 * <p>Each entry keeps the bytes last read and, once a tag has been read twice, a private object
 * decoded from them (never handed out) with the byte range of each of its leaves (a string, number,
 * boolean, null or enum constant: a value with no container inside) and the container or object and
 * place that holds it, and the place of each container's length word. A read compares the new bytes
 * with the kept ones ({@link Arrays#mismatch}), in lockstep once a leaf changed its length. If every
 * byte that differs lies inside a leaf that still decodes to a leaf, or in a container's length word
 * that equals the container's new length, the parse of the new bytes would make the same containers
 * and objects at the same places with those leaves replaced: the private object takes the new leaves
 * and the caller gets a deep copy of it (fresh {@link CompactMap}s, {@link ArrayList}s and data
 * objects, made as the decoder makes them; strings, boxed numbers and enum constants are immutable, so
 * they are shared). Anything else (a key, an entry added or removed, more than {@value #MAX_CHANGED}
 * leaves) decodes the whole object. Correctness rests on the bytes alone, not on versions: the cache
 * never answers for bytes it has not compared.
 *
 * <p>Bounded: {@value #SLOTS} entries a thread, of objects of at most
 * {@code memoir.objects.treeCache.maxBytes} bytes (default {@value #DEFAULT_MAX_BYTES}; 0 turns the
 * cache off) and {@value #MAX_LEAVES} leaves (and containers). A tag whose changes keep missing the
 * leaves backs off from rebuilding its private object. A read made while the
 * thread is inside the cache (a data class's constructor that reads a tag) decodes whole.
 */
final class TreeCache {
    static final String MAX_BYTES_PROP = "memoir.objects.treeCache.maxBytes";
    static final int DEFAULT_MAX_BYTES = 32 * 1024;
    static final int MAX_BYTES = Integer.getInteger(MAX_BYTES_PROP, DEFAULT_MAX_BYTES);
    /** Entries per thread: a power of two. */
    private static final int SLOTS = 8;
    /** More changed leaves than this in one read decode the whole tree. */
    static final int MAX_CHANGED = 8;
    /** More leaves than this and an object is not kept (its index would outgrow it: a list of booleans). */
    static final int MAX_LEAVES = 4096;
    /** The most reads a tag skips rebuilding its private tree for after its changes kept missing leaves. */
    private static final int MAX_COOL_DOWN = 64;
    private static final ThreadLocal<TreeCache> CACHES = ThreadLocal.withInitial(TreeCache::new);
    private static final UnaryOperator<Object> COPY = TreeCache::copy;
    private static final int[] NO_INTS = {};
    private static final Object[] NO_OBJECTS = {};
    private static final byte[] NO_BYTES = {};
    /** A leaf's holder is a tree's {@link CompactMap} or {@link ArrayList}, its place an entry's or item's. */
    static final byte TREE = 0;
    /** A leaf's holder is a data object, its place the number of the field in its plan. */
    static final byte FIELD = 1;
    /** A leaf's holder is a data object's list of strings, its place the string's. */
    static final byte ITEM = 2;

    /** Where {@link TypedCodec#index} reports the leaves and containers it finds. */
    interface Leaves {
        void leaf(int start, int end, Object holder, int at, byte kind);

        /** A {@code BYTES_LENGTH32} container whose length word is at {@code lengthAt} and content ends at {@code stop}. */
        void container(int lengthAt, int stop);
    }

    private final TreeCodec.Reader reader = TreeCodec.READERS.get();
    private final Entry[] slots = new Entry[SLOTS];
    /** The leaves a {@link #patch} found changed in length: their ends before and how much they grew. */
    private final int[] grownEnds = new int[MAX_CHANGED];
    private final int[] growths = new int[MAX_CHANGED];
    private int grown;
    /** Reads this thread answered by patching a private tree, and private trees it built (for tests). */
    private long patched;
    private long built;
    /** Whether this thread is inside the cache (a constructor run by a copy or a decode may read again). */
    private boolean busy;

    /** What a thread knows of one tag of one store. */
    private static final class Entry implements Leaves {
        long owner;
        String tag;
        /** The bytes read last. */
        byte[] bytes;
        /** Decoded from {@link #bytes}, private; null until the tag is read twice with the same length. */
        Object tree;
        /** The plan {@link #tree} was decoded by, null for a JSON-like tree. */
        TypedCodec.Plan plan;
        /**
         * Leaf {@code i} is {@code bytes[starts[i], ends[i])}, place {@code at[i]} of {@code holders[i]},
         * of kind {@code kinds[i]} ({@link #TREE}, {@link #FIELD}, {@link #ITEM}).
         */
        int leaves;
        int[] starts = NO_INTS;
        int[] ends = NO_INTS;
        int[] at = NO_INTS;
        Object[] holders = NO_OBJECTS;
        byte[] kinds = NO_BYTES;
        /** Container {@code i}'s length word is at {@code words[i]}, its content ends at {@code stops[i]}. */
        int containers;
        int[] words = NO_INTS;
        int[] stops = NO_INTS;
        /** Consecutive reads whose changes were not all inside leaves. */
        int misses;
        /** Reads left before the private tree may be rebuilt. */
        int coolDown;

        Entry(final long owner, final String tag) {
            this.owner = owner;
            this.tag = tag;
        }

        /** Makes this entry another tag's, as new (its index arrays kept for reuse). */
        void reuse(final long newOwner, final String newTag) {
            forget();
            owner = newOwner;
            tag = newTag;
            bytes = null;
            misses = 0;
            coolDown = 0;
        }

        /** Whether the object being indexed has more than {@link #MAX_LEAVES} leaves or containers. */
        boolean tooMany;

        @Override
        public void leaf(final int start, final int end, final Object holder, final int index, final byte kind) {
            if (leaves == MAX_LEAVES) {
                tooMany = true;
                return;
            }
            if (leaves == starts.length) {
                final int n = Math.max(16, 2 * leaves);
                starts = Arrays.copyOf(starts, n);
                ends = Arrays.copyOf(ends, n);
                at = Arrays.copyOf(at, n);
                holders = Arrays.copyOf(holders, n);
                kinds = Arrays.copyOf(kinds, n);
            }
            starts[leaves] = start;
            ends[leaves] = end;
            at[leaves] = index;
            holders[leaves] = holder;
            kinds[leaves] = kind;
            leaves++;
        }

        @Override
        public void container(final int lengthAt, final int stop) {
            if (containers == MAX_LEAVES) {
                tooMany = true;
                return;
            }
            if (containers == words.length) {
                final int n = Math.max(8, 2 * containers);
                words = Arrays.copyOf(words, n);
                stops = Arrays.copyOf(stops, n);
            }
            words[containers] = lengthAt;
            stops[containers] = stop;
            containers++;
        }

        /** The container whose length word holds position {@code p}, or -1. */
        int wordAt(final int p) {
            final int i = lastAtOrBefore(words, containers, p);
            return i >= 0 && p < words[i] + 4 ? i : -1;
        }

        /** The last of the first {@code n} (ascending) positions {@code at} that is at or before {@code p}, or -1. */
        private static int lastAtOrBefore(final int[] at, final int n, final int p) {
            int lo = 0;
            int hi = n - 1;
            while (lo <= hi) {
                final int mid = (lo + hi) >>> 1;
                if (at[mid] <= p) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return hi;
        }

        /** The leaf whose bytes hold position {@code p}, or -1. */
        int leafAt(final int p) {
            final int i = lastAtOrBefore(starts, leaves, p);
            return i >= 0 && p < ends[i] ? i : -1;
        }

        void forget() {
            tree = null;
            plan = null;
            Arrays.fill(holders, 0, leaves, null);
            leaves = 0;
            containers = 0;
            tooMany = false;
        }
    }

    private TreeCache() {
    }

    /**
     * The tree in {@code content} (an object's bytes, header included), as
     * {@link TreeCodec#read TreeCodec.read(content, HEADER_LENGTH)} makes it.
     *
     * @param owner   which store (a number of its own: an entry keeps no store alive);
     *                {@link ObjectCodec#NO_CACHE} to decode without the cache
     * @param tag     the tag it was read from
     * @param content the bytes, now owned by the cache: the caller must not change them
     * @throws TreeCodec.Unsupported if it is not a JSON-like tree
     */
    static Object read(final long owner, final String tag, final byte[] content) {
        return read(owner, tag, content, null);
    }

    /**
     * The data object of plan {@code plan} in {@code content}, as
     * {@link TypedCodec#read TypedCodec.read(content, HEADER_LENGTH, plan)} makes it.
     *
     * @throws TreeCodec.Unsupported if it is not in that plan's form
     * @see #read(long, String, byte[])
     */
    static Object readTyped(final long owner, final String tag, final byte[] content, final TypedCodec.Plan plan) {
        return read(owner, tag, content, plan);
    }

    private static Object read(final long owner, final String tag, final byte[] content, final TypedCodec.Plan plan) {
        if (owner == ObjectCodec.NO_CACHE || content.length > MAX_BYTES || !keepable(content, plan)) {
            return decode(content, plan);
        }
        final TreeCache cache = CACHES.get();
        if (cache.busy) {
            return decode(content, plan);
        }
        cache.busy = true;
        try {
            return cache.lookup(owner, tag, content, plan);
        } finally {
            cache.busy = false;
        }
    }

    /**
     * Whether {@code content} is in the form {@code plan} (null: a tree) reads: an object of the plan's
     * class, or a tree that does not start with a type prefix (a typed object, which as a tree would only
     * fail; or an empty map or list, too small to gain from the cache).
     */
    private static boolean keepable(final byte[] content, final TypedCodec.Plan plan) {
        final int at = ObjectCodec.HEADER_LENGTH;
        return plan == null ? content.length > at && (content[at] & 0xFF) != TYPE_PREFIX
            : TreeCodec.startsWith(content, at, content.length, plan.prefix);
    }

    private static Object decode(final byte[] content, final TypedCodec.Plan plan) {
        return plan == null ? TreeCodec.read(content, ObjectCodec.HEADER_LENGTH)
            : TypedCodec.read(content, ObjectCodec.HEADER_LENGTH, plan);
    }

    /** This thread's reads answered by patching a private object so far, and the private objects it built. */
    static long[] counts() {
        final TreeCache c = CACHES.get();
        return new long[] {c.patched, c.built};
    }

    private Object lookup(final long owner, final String tag, final byte[] content, final TypedCodec.Plan plan) {
        final int slot = (tag.hashCode() + Long.hashCode(owner) * 31) & (SLOTS - 1);
        Entry e = slots[slot];
        if (e == null) {
            e = new Entry(owner, tag);
            slots[slot] = e;
        } else if (e.owner != owner || !e.tag.equals(tag)) {
            e.reuse(owner, tag); // another tag had this slot: no allocation when a thread reads many tags
        }
        final byte[] before = e.bytes;
        e.bytes = content;
        if (before == null) {
            return decode(content, plan); // a first read: decoded whole; a private object waits for a second
        }
        if (e.tree != null && e.plan == plan) {
            final Object copy = patch(e, before, content) ? copyOf(e) : null;
            if (copy != null) {
                e.misses = 0;
                patched++;
                return copy;
            }
            e.forget();
            e.misses++;
            e.coolDown = e.misses == 1 ? 0 : Math.min(MAX_COOL_DOWN, 1 << (e.misses - 1));
        } else if (e.tree != null) {
            e.forget(); // read as another type
        }
        if (e.coolDown > 0) {
            e.coolDown--;
            return decode(content, plan);
        }
        return build(e, content, plan);
    }

    /** A copy of the entry's private object, or null if one cannot be made as the decoder would. */
    private static Object copyOf(final Entry e) {
        if (e.plan == null) {
            return copy(e.tree);
        }
        try {
            return TypedCodec.copy(e.tree, e.plan);
        } catch (TreeCodec.Unsupported constructorChanged) {
            return null;
        }
    }

    /** Decodes {@code content} as the entry's private object and indexes its leaves; returns a copy. */
    private Object build(final Entry e, final byte[] content, final TypedCodec.Plan plan) {
        final Object decoded = decode(content, plan);
        final boolean indexed;
        if (plan == null) {
            if (!(decoded instanceof CompactMap || decoded instanceof ArrayList)) {
                return decoded; // a string or number at the top: immutable, nothing to keep
            }
            reader.pos = ObjectCodec.HEADER_LENGTH;
            indexed = walk(e, content, content.length, decoded);
        } else {
            reader.pos = ObjectCodec.HEADER_LENGTH + plan.prefix.length;
            indexed = TypedCodec.index(content, content.length, decoded, plan, reader, e);
        }
        if (!indexed || reader.pos != content.length || e.tooMany) {
            e.forget(); // a map with a key twice, a typed object with a map field, ...: decoded whole each time
            return decoded;
        }
        e.tree = decoded;
        e.plan = plan;
        final Object copy = copyOf(e);
        if (copy == null) {
            e.forget();
            return decoded;
        }
        built++;
        return copy;
    }

    /**
     * Records the leaves of {@code node}, the container decoded from the bytes at the reader's
     * position, and moves past it.
     *
     * @return false if the bytes and the container do not match entry for entry
     */
    private boolean walk(final Entry e, final byte[] b, final int end, final Object node) {
        final TreeCodec.Reader r = reader;
        if ((b[r.pos] & 0xFF) == TYPE_PREFIX) { // an empty map or list
            r.pos += TreeCodec.EMPTY_MAP.length;
            return node instanceof CompactMap ? ((CompactMap<?, ?>) node).isEmpty() : ((ArrayList<?>) node).isEmpty();
        }
        if ((b[r.pos] & 0xFF) != BYTES_LENGTH32) {
            return false;
        }
        final int stop = open(b, end, r, e);
        int i = 0;
        if (node instanceof CompactMap) {
            final CompactMap<?, ?> map = (CompactMap<?, ?>) node;
            while (r.pos < stop) {
                final int keyLength = r.keyHeader(b, stop); // moves to the key's bytes
                r.pos += keyLength;
                if (i >= map.size() || !item(e, b, stop, node, i, map.valueAt(i))) {
                    return false;
                }
                i++;
            }
            return i == map.size();
        }
        final ArrayList<?> list = (ArrayList<?>) node;
        while (r.pos < stop) {
            if (i >= list.size() || !item(e, b, stop, node, i, list.get(i))) {
                return false;
            }
            i++;
        }
        return i == list.size();
    }

    private boolean item(final Entry e, final byte[] b, final int end, final Object holder, final int index,
                         final Object value) {
        if (value instanceof CompactMap || value instanceof ArrayList) {
            return walk(e, b, end, value);
        }
        return leaf(b, end, reader, e, holder, index, TREE);
    }

    /**
     * Opens the {@code BYTES_LENGTH32} container at the reader's position ({@link TreeCodec.Reader#open}) and
     * tells {@code leaves} of it: a step of {@link #walk} and of {@link TypedCodec#index}.
     *
     * @return where its content stops
     */
    static int open(final byte[] b, final int end, final TreeCodec.Reader r, final Leaves leaves) {
        final int stop = r.open(b, end);
        leaves.container(r.pos - 4, stop);
        return stop;
    }

    /**
     * Tells {@code leaves} of the leaf at the reader's position (place {@code at} of {@code holder}, of
     * kind {@code kind}) and moves past it: a step of {@link #walk} and of {@link TypedCodec#index}.
     *
     * @return false if no leaf starts there
     */
    static boolean leaf(final byte[] b, final int end, final TreeCodec.Reader r, final Leaves leaves,
                        final Object holder, final int at, final byte kind) {
        final int start = r.pos;
        final int stop = leafEnd(b, start, end);
        if (stop < 0) {
            return false;
        }
        leaves.leaf(start, stop, holder, at, kind);
        r.pos = stop;
        return true;
    }

    /**
     * Where the leaf (scalar) value at {@code p} ends, as {@link TreeCodec.Reader#value} or a typed
     * object's field reader reads it; -1 if none.
     */
    static int leafEnd(final byte[] b, final int p, final int end) {
        final int code = b[p] & 0xFF;
        final int stop;
        if (code >= STRING_0) {
            stop = p + 1 + code - STRING_0;
        } else {
            switch (code) {
                case STRING_ANY: {
                    final long read = WireInts.getStopBit(b, p + 1, end);
                    stop = read < 0 ? -1 : (int) (read >>> Integer.SIZE) + (int) read;
                    break;
                }
                case FLOAT64:
                    stop = p + 9;
                    break;
                case FLOAT32:
                    stop = p + 5;
                    break;
                case TRUE:
                case FALSE:
                case NULL:
                    stop = p + 1;
                    break;
                default: {
                    final int n = WireInts.length(code); // INT8/16/32/64, and UINT8/16/32 as typed objects write
                    if (n == 0) {
                        return -1;
                    }
                    stop = p + n;
                }
            }
        }
        return stop < 0 || stop > end ? -1 : stop;
    }

    /**
     * Brings the private object from {@code before} to {@code now} by decoding the leaves that changed.
     * It compares the bytes in lockstep: position {@code o} of {@code before} against {@code o + shift} of
     * {@code now}, where {@code shift} is how much the leaves changed so far grew. A difference must lie
     * in a leaf, which is decoded from {@code now} (and may end elsewhere than before: the shift moves), or
     * in a container's length word; when a leaf grew or shrank, every container's length word in
     * {@code now} must then equal its length before plus what the leaves inside it grew. So every byte of
     * {@code now} is a byte of {@code before} in the same place of the same structure, a byte of a decoded
     * leaf, or a length word that a whole decode would find consistent: that decode would make the same
     * containers and objects, with those leaves replaced. The index then moves with the shift.
     *
     * @return false if a difference lies elsewhere, a leaf decodes to a container or does not decode, a
     *         length word is not what the leaves inside make it, or too many leaves changed (the private
     *         object is then partly updated: forget it)
     */
    private boolean patch(final Entry e, final byte[] before, final byte[] now) {
        final int length = before.length;
        final int newLength = now.length;
        int o = 0;
        int shift = 0;
        int changed = 0;
        boolean words = false;
        grown = 0;
        while (true) {
            final int q = Arrays.mismatch(before, o, length, now, o + shift, newLength);
            if (q < 0) {
                break;
            }
            final int p = o + q;
            final int leaf = p < length ? e.leafAt(p) : -1;
            if (leaf < 0) {
                final int word = p < length ? e.wordAt(p) : -1;
                if (word < 0) {
                    return false;
                }
                words = true; // checked below, once every leaf's growth is known
                o = e.words[word] + 4;
                if (o + shift > newLength) {
                    return false;
                }
                continue;
            }
            if (++changed > MAX_CHANGED) {
                return false;
            }
            final int start = e.starts[leaf];
            final int end = e.ends[leaf];
            reader.pos = start + shift;
            try {
                if (!patchLeaf(e.kinds[leaf], now, newLength, e.holders[leaf], e.at[leaf])) {
                    return false;
                }
            } catch (TreeCodec.Unsupported damaged) {
                return false;
            }
            final int growth = reader.pos - shift - end;
            if (growth != 0) {
                grownEnds[grown] = end;
                growths[grown++] = growth;
                shift += growth;
            }
            o = end;
        }
        if (grown == 0) {
            return !words; // a length word changed though no leaf changed its length
        }
        for (int i = 0; i < e.containers; i++) {
            final int w = e.words[i];
            final int moved = shiftAt(w);
            final int inside = shiftAt(e.stops[i]) - moved;
            if (TreeCodec.intAt(now, w + moved) != TreeCodec.intAt(before, w) + inside) {
                return false;
            }
        }
        for (int i = 0; i < e.containers; i++) {
            e.stops[i] += shiftAt(e.stops[i]);
            e.words[i] += shiftAt(e.words[i]);
        }
        for (int i = 0; i < e.leaves; i++) {
            e.ends[i] += shiftAt(e.ends[i]);
            e.starts[i] += shiftAt(e.starts[i]);
        }
        return true;
    }

    /** How far position {@code p} of the bytes before moved: the growth of the changed leaves ending at or before it. */
    private int shiftAt(final int p) {
        int s = 0;
        for (int i = 0; i < grown && grownEnds[i] <= p; i++) {
            s += growths[i];
        }
        return s;
    }

    /**
     * Decodes the leaf at the reader's position (within {@code end}) into its holder.
     *
     * @return false if it decoded to a container
     * @throws TreeCodec.Unsupported if it does not decode
     */
    @SuppressWarnings("unchecked")
    private boolean patchLeaf(final byte kind, final byte[] b, final int end, final Object holder, final int at) {
        if (kind == FIELD) {
            return TypedCodec.readLeaf(b, end, holder, TypedCodec.plan(holder.getClass()).slots[at], reader);
        }
        final Object value = kind == ITEM ? TypedCodec.stringItem(b, end, reader) : reader.value(b, end, 1);
        if (value instanceof CompactMap || value instanceof ArrayList) {
            return false;
        }
        if (holder instanceof CompactMap) {
            ((CompactMap<String, Object>) holder).setValueAt(at, value);
        } else {
            ((ArrayList<Object>) holder).set(at, value);
        }
        return true;
    }

    /** A copy of {@code value} with fresh containers (its strings and numbers shared: they are immutable). */
    static Object copy(final Object value) {
        if (value instanceof CompactMap) {
            return ((CompactMap<?, ?>) value).copy(COPY);
        }
        if (value instanceof ArrayList) {
            final ArrayList<Object> list = new ArrayList<>((ArrayList<?>) value);
            for (int i = 0, n = list.size(); i < n; i++) {
                final Object item = list.get(i);
                if (item instanceof CompactMap || item instanceof ArrayList) {
                    list.set(i, copy(item));
                }
            }
            return list;
        }
        return value;
    }
}
