package io.memoir.store;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * The maps that objects decode to: mutable, insertion-ordered like a {@link java.util.LinkedHashMap}
 * (a key put again keeps its place), null keys and values allowed, equal to any map with the same
 * entries. The entries live in one array, key and value side by side; a map of up to
 * {@value #LINEAR_MAX} entries is searched from one end to the other (comparing the keys' cached hash
 * codes first), a larger one through an index of their hash codes made when first needed. A decoded
 * config is mostly small maps: one object and one array each, where a {@code LinkedHashMap} makes a
 * node per entry and a table, so decoding makes half the garbage and takes about a sixth less time.
 * Removal shifts the later entries down. Not thread-safe; iterators fail fast.
 *
 * @param <K> the keys' type
 * @param <V> the values' type
 */
final class CompactMap<K, V> extends AbstractMap<K, V> implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Up to this many entries a lookup is a linear search; above it the map keeps an index. */
    static final int LINEAR_MAX = 8;
    private static final Object[] NO_ENTRIES = {};

    /** Key {@code i} at {@code 2i}, its value at {@code 2i + 1}; {@code size} entries in use. */
    private Object[] entries;
    private int size;
    /**
     * Open addressing over the entries (entry number + 1, 0 for free): a power of two, at most half
     * full; null while the map is small, and after a removal or growth until the next lookup.
     */
    private transient int[] index;
    private transient int modCount;
    private transient Set<Map.Entry<K, V>> entrySet;

    /** An empty map. */
    CompactMap() {
        entries = NO_ENTRIES;
    }

    /** An empty map with room for {@code expected} entries. */
    CompactMap(final int expected) {
        entries = expected == 0 ? NO_ENTRIES : new Object[2 * expected];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public V get(final Object key) {
        final int i = find(key);
        return i < 0 ? null : value(i);
    }

    @Override
    public V getOrDefault(final Object key, final V defaultValue) {
        final int i = find(key);
        return i < 0 ? defaultValue : value(i);
    }

    @Override
    public boolean containsKey(final Object key) {
        return find(key) >= 0;
    }

    @Override
    public boolean containsValue(final Object value) {
        for (int i = 0; i < size; i++) {
            if (Objects.equals(value, entries[2 * i + 1])) {
                return true;
            }
        }
        return false;
    }

    @Override
    public V put(final K key, final V value) {
        final int i = find(key);
        if (i >= 0) {
            final V old = value(i);
            entries[2 * i + 1] = value;
            return old;
        }
        append(key, value);
        return null;
    }

    @Override
    public V remove(final Object key) {
        final int i = find(key);
        if (i < 0) {
            return null;
        }
        final V old = value(i);
        removeAt(i);
        return old;
    }

    @Override
    public void clear() {
        if (size > 0) {
            Arrays.fill(entries, 0, 2 * size, null);
            size = 0;
            index = null;
            modCount++;
        }
    }

    @Override
    public void forEach(final BiConsumer<? super K, ? super V> action) {
        Objects.requireNonNull(action, "action");
        final int expected = modCount;
        final Object[] e = entries;
        for (int i = 0, n = size; i < n; i++) {
            action.accept(key(e, i), value(e, i));
            if (modCount != expected) {
                throw new ConcurrentModificationException();
            }
        }
    }

    @Override
    public void replaceAll(final BiFunction<? super K, ? super V, ? extends V> function) {
        Objects.requireNonNull(function, "function");
        final int expected = modCount;
        for (int i = 0, n = size; i < n; i++) {
            final V v = function.apply(key(entries, i), value(i));
            if (modCount != expected) {
                throw new ConcurrentModificationException();
            }
            entries[2 * i + 1] = v;
        }
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        final Set<Map.Entry<K, V>> s = entrySet;
        return s != null ? s : (entrySet = new EntrySet());
    }

    // ---------------------------------------------------------------- for TreeCache

    /** The value of entry {@code i} (in insertion order, {@code i < size()}). */
    V valueAt(final int i) {
        return value(i);
    }

    /** Replaces the value of entry {@code i}, as a put of its key would (not a structural change). */
    void setValueAt(final int i, final V value) {
        entries[2 * i + 1] = value;
    }

    /**
     * A copy of this map, each value replaced by {@code values} of it: one object and one array of
     * exactly its entries, no index.
     */
    CompactMap<K, V> copy(final UnaryOperator<Object> values) {
        final CompactMap<K, V> c = new CompactMap<>();
        final int n = size;
        if (n > 0) {
            final Object[] e = Arrays.copyOf(entries, 2 * n);
            for (int i = 1; i < 2 * n; i += 2) {
                e[i] = values.apply(e[i]);
            }
            c.entries = e;
            c.size = n;
        }
        return c;
    }

    // ---------------------------------------------------------------- the array and its index

    /** The entry number of {@code key}, or -1. */
    private int find(final Object key) {
        final int n = size;
        if (n > LINEAR_MAX) {
            return findIndexed(key);
        }
        final Object[] e = entries;
        if (key == null) {
            for (int i = 0; i < n; i++) {
                if (e[2 * i] == null) {
                    return i;
                }
            }
            return -1;
        }
        final int h = key.hashCode();
        for (int i = 0; i < n; i++) {
            final Object k = e[2 * i];
            if (k == key || k != null && k.hashCode() == h && key.equals(k)) {
                return i;
            }
        }
        return -1;
    }

    private int findIndexed(final Object key) {
        int[] ix = index;
        if (ix == null) {
            ix = reindex();
        }
        final int mask = ix.length - 1;
        for (int slot = spread(key) & mask; ; slot = (slot + 1) & mask) {
            final int at = ix[slot];
            if (at == 0) {
                return -1;
            }
            final Object k = entries[2 * (at - 1)];
            if (Objects.equals(k, key)) {
                return at - 1;
            }
        }
    }

    private void append(final K key, final V value) {
        final int n = size;
        if (2 * n == entries.length) {
            entries = Arrays.copyOf(entries, 2 * Math.max(4, 2 * n)); // twice the entries, at least four
        }
        entries[2 * n] = key;
        entries[2 * n + 1] = value;
        size = n + 1;
        modCount++;
        if (index != null) {
            if (2 * size > index.length) {
                index = null; // over half full: rebuilt larger at the next lookup
            } else {
                insert(index, key, n);
            }
        }
    }

    private void removeAt(final int i) {
        final int n = size;
        System.arraycopy(entries, 2 * i + 2, entries, 2 * i, 2 * (n - 1 - i));
        entries[2 * n - 2] = null;
        entries[2 * n - 1] = null;
        size = n - 1;
        index = null; // the later entries moved: rebuilt at the next lookup of a large map
        modCount++;
    }

    private int[] reindex() {
        final int length = Integer.highestOneBit(4 * size - 1) << 1; // four slots an entry, a power of two
        final int[] ix = new int[Math.max(length, 4 * (LINEAR_MAX + 1))];
        for (int i = 0; i < size; i++) {
            insert(ix, entries[2 * i], i);
        }
        index = ix;
        return ix;
    }

    private static void insert(final int[] ix, final Object key, final int i) {
        final int mask = ix.length - 1;
        int slot = spread(key) & mask;
        while (ix[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        ix[slot] = i + 1;
    }

    private static int spread(final Object key) {
        final int h = (key == null ? 0 : key.hashCode()) * 0x9E3779B9; // the golden ratio's odd multiplier
        return h ^ (h >>> 16);
    }

    @SuppressWarnings("unchecked")
    private static <K> K key(final Object[] e, final int i) {
        return (K) e[2 * i];
    }

    @SuppressWarnings("unchecked")
    private static <V> V value(final Object[] e, final int i) {
        return (V) e[2 * i + 1];
    }

    private V value(final int i) {
        return value(entries, i);
    }

    private void readObject(final ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (entries == null || size < 0 || 2 * size > entries.length) {
            throw new java.io.InvalidObjectException("CompactMap: size=" + size + " does not fit its entries");
        }
    }

    // ---------------------------------------------------------------- views

    private final class EntrySet extends AbstractSet<Map.Entry<K, V>> {
        @Override
        public int size() {
            return size;
        }

        @Override
        public void clear() {
            CompactMap.this.clear();
        }

        @Override
        public Iterator<Map.Entry<K, V>> iterator() {
            return new EntryIterator();
        }

        @Override
        public boolean contains(final Object o) {
            if (!(o instanceof Map.Entry)) {
                return false;
            }
            final Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
            final int i = find(e.getKey());
            return i >= 0 && Objects.equals(value(i), e.getValue());
        }

        @Override
        public boolean remove(final Object o) {
            if (!contains(o)) {
                return false;
            }
            removeAt(find(((Map.Entry<?, ?>) o).getKey()));
            return true;
        }
    }

    private final class EntryIterator implements Iterator<Map.Entry<K, V>> {
        private int next;
        private int last = -1;
        private int expected = modCount;

        @Override
        public boolean hasNext() {
            return next < size;
        }

        @Override
        public Map.Entry<K, V> next() {
            if (modCount != expected) {
                throw new ConcurrentModificationException();
            }
            if (next >= size) {
                throw new NoSuchElementException();
            }
            last = next++;
            return new Entry(key(entries, last));
        }

        @Override
        public void remove() {
            if (last < 0) {
                throw new IllegalStateException("next() first, and once per remove()");
            }
            if (modCount != expected) {
                throw new ConcurrentModificationException();
            }
            removeAt(last);
            next = last;
            last = -1;
            expected = modCount;
        }
    }

    /** An entry: it finds its key's place again if the map changed since (as a LinkedHashMap's stays live). */
    private final class Entry implements Map.Entry<K, V> {
        private final K key;

        Entry(final K key) {
            this.key = key;
        }

        @Override
        public K getKey() {
            return key;
        }

        @Override
        public V getValue() {
            return get(key);
        }

        @Override
        public V setValue(final V value) {
            final int i = find(key);
            if (i < 0) {
                throw new IllegalStateException("key=" + key + " was removed from the map");
            }
            final V old = value(i);
            entries[2 * i + 1] = value;
            return old;
        }

        @Override
        public boolean equals(final Object o) {
            return o instanceof Map.Entry && Objects.equals(key, ((Map.Entry<?, ?>) o).getKey())
                && Objects.equals(getValue(), ((Map.Entry<?, ?>) o).getValue());
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(key) ^ Objects.hashCode(getValue());
        }

        @Override
        public String toString() {
            return key + "=" + getValue();
        }
    }
}
