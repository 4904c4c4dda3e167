package io.memoir.store;

import static net.openhft.chronicle.wire.BinaryWireCode.BYTES_LENGTH32;
import static net.openhft.chronicle.wire.BinaryWireCode.EVENT_NAME;
import static net.openhft.chronicle.wire.BinaryWireCode.FALSE;
import static net.openhft.chronicle.wire.BinaryWireCode.FIELD_NAME0;
import static net.openhft.chronicle.wire.BinaryWireCode.FIELD_NAME31;
import static net.openhft.chronicle.wire.BinaryWireCode.FIELD_NAME_ANY;
import static net.openhft.chronicle.wire.BinaryWireCode.FLOAT32;
import static net.openhft.chronicle.wire.BinaryWireCode.FLOAT64;
import static net.openhft.chronicle.wire.BinaryWireCode.INT16;
import static net.openhft.chronicle.wire.BinaryWireCode.INT32;
import static net.openhft.chronicle.wire.BinaryWireCode.INT64;
import static net.openhft.chronicle.wire.BinaryWireCode.INT8;
import static net.openhft.chronicle.wire.BinaryWireCode.NULL;
import static net.openhft.chronicle.wire.BinaryWireCode.STRING_0;
import static net.openhft.chronicle.wire.BinaryWireCode.STRING_ANY;
import static net.openhft.chronicle.wire.BinaryWireCode.TRUE;
import static net.openhft.chronicle.wire.BinaryWireCode.TYPE_PREFIX;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The fast path of {@link ObjectCodec} for JSON-like trees (maps with string keys, lists, strings,
 * boxed numbers, booleans, null): it writes and reads the subset of Chronicle Wire's binary format
 * those need, directly on a byte array, so Chronicle Wire reads what it writes and the reverse. It is
 * about five times faster than Chronicle's generic path, which looks every value's class up and
 * interns every string. Anything else (a typed object, a date, a byte array, a code it does not know)
 * makes it give up, and {@link ObjectCodec} falls back to Chronicle Wire.
 *
 * <p>Encoding: a map is {@code BYTES_LENGTH32 len (key value)*}; a list is
 * {@code BYTES_LENGTH32 len value*}; empty ones carry a {@code !map} or {@code !seq} type prefix,
 * because Chronicle's binary {@code {}} equals its {@code []} and its reader guesses which by peeking
 * at the byte after; numbers keep their boxed type (INT8/16/32/64, FLOAT32/64).
 *
 * <p>Keys: an ASCII key of up to 31 characters is written byte for byte as Chronicle Wire writes a
 * field name, so such a tree's bytes are exactly Chronicle's. A longer one is written
 * {@code EVENT_NAME n}: Chronicle writes it {@code FIELD_NAME_ANY n} but cannot read a map whose first
 * key is one (it takes the map for a sequence), while it reads an {@code EVENT_NAME} key anywhere.
 * Chronicle writes field names 8-bit (Latin-1; other characters become {@code ?}) and reads every
 * field name 8-bit, so a non-ASCII key has no exact Chronicle form:
 * it is written {@code EVENT_NAME n} and UTF-8, which this reader reads back exactly (Chronicle Wire's
 * own reader does not); Chronicle's {@code FIELD_NAME} keys are read here as Latin-1.
 */
final class TreeCodec {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class,
        ByteOrder.LITTLE_ENDIAN);
    static final byte[] EMPTY_MAP = {(byte) TYPE_PREFIX, 4, '!', 'm', 'a', 'p', (byte) BYTES_LENGTH32, 0, 0, 0, 0};
    static final byte[] EMPTY_LIST = {(byte) TYPE_PREFIX, 4, '!', 's', 'e', 'q', (byte) BYTES_LENGTH32, 0, 0, 0, 0};
    static final int MAX_DEPTH = 512;
    /** The classes of {@code List.of} results (see {@link #isCommonList}). */
    private static final Class<?> LIST_12 = List.of("x").getClass();
    private static final Class<?> LIST_N = List.of().getClass();

    /** Thrown, without a stack trace, when a value is outside the fast path. */
    static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Unsupported INSTANCE = new Unsupported();

        private Unsupported() {
            super("not a JSON-like tree", null, false, false);
        }
    }

    private TreeCodec() {
    }

    // ---------------------------------------------------------------- writing

    /**
     * A growable output buffer, reused per thread. It is also the callback that writes the entries of
     * a map and the items of a list, so that containers are walked with their own {@code forEach}
     * (no iterator, no entry objects, one dispatch per container) and nothing is allocated.
     */
    static final class Out implements BiConsumer<Object, Object>, Consumer<Object> {
        private static final int KEY_SLOTS = 256;
        /** Keys of up to this many encoded bytes are cached. */
        private static final int KEY_CACHED_MAX = 33;
        byte[] buf = new byte[1024];
        int pos;
        /** The cache of {@link #key}: a key, by its hash code, and its encoded bytes. */
        private final String[] keyStrings = new String[KEY_SLOTS];
        private final byte[][] keyBytes = new byte[KEY_SLOTS][];
        /** The depth of the entries or items the current {@code forEach} is writing. */
        private int depth;

        /** Writes one map entry. */
        @Override
        public void accept(final Object key, final Object value) {
            if (!(key instanceof String)) {
                throw Unsupported.INSTANCE;
            }
            key((String) key);
            accept(value);
        }

        /**
         * Writes a map key, copying its encoded bytes from a small cache of the keys this thread wrote
         * (keys repeat: every version of a config has the same ones). 828 -> 708 ns for the ~1 KiB config.
         */
        void key(final String key) {
            final int slot = key.hashCode() & (KEY_SLOTS - 1);
            final String cached = keyStrings[slot];
            if (cached == key || cached != null && cached.equals(key)) {
                put(keyBytes[slot]);
                return;
            }
            final int start = pos;
            text(key, this, true);
            if (pos - start <= KEY_CACHED_MAX) {
                keyStrings[slot] = key;
                keyBytes[slot] = Arrays.copyOfRange(buf, start, pos);
            }
        }

        /**
         * The string of the characters of {@code text} from {@code from} to {@code to}: the key cached
         * for them if there is one (no copy: a parser's keys then cost no string), else a new one.
         */
        String keyString(final String text, final int from, final int to) {
            int h = 0;
            for (int i = from; i < to; i++) {
                h = 31 * h + text.charAt(i); // String.hashCode's, so key() finds the same slot
            }
            final String cached = keyStrings[h & (KEY_SLOTS - 1)];
            if (cached != null && cached.length() == to - from && cached.regionMatches(0, text, from, to - from)) {
                return cached;
            }
            return text.substring(from, to);
        }

        /** Writes one list item (or map value). */
        @Override
        public void accept(final Object item) {
            final int d = depth;
            write(item, this, d);
            depth = d; // a nested container moved it
        }

        /** Writes the entries of {@code map} at {@code entryDepth}. */
        void entries(final Map<?, ?> map, final int entryDepth) {
            depth = entryDepth;
            map.forEach(this);
        }

        /** Writes the items of {@code list} at {@code itemDepth}. */
        void items(final List<?> list, final int itemDepth) {
            depth = itemDepth;
            list.forEach(this);
        }

        void ensure(final int n) {
            if (pos + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            }
        }

        void put(final int b) {
            ensure(1);
            buf[pos++] = (byte) b;
        }

        void put(final byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }

        /** A float, {@code FLOAT32} and its bits. */
        void float32(final float f) {
            ensure(5);
            buf[pos] = (byte) FLOAT32;
            INT.set(buf, pos + 1, Float.floatToRawIntBits(f));
            pos += 5;
        }

        /** A long, {@code INT64} and its 8 bytes. */
        void int64(final long v) {
            ensure(9);
            buf[pos] = (byte) INT64;
            LONG.set(buf, pos + 1, v);
            pos += 9;
        }

        /** A double, {@code FLOAT64} and its bits. */
        void float64(final double d) {
            ensure(9);
            buf[pos] = (byte) FLOAT64;
            LONG.set(buf, pos + 1, Double.doubleToRawLongBits(d));
            pos += 9;
        }

        void stopBit(final long n) {
            ensure(WireInts.STOP_BIT_MAX);
            pos = WireInts.putStopBit(buf, pos, n);
        }
    }

    /**
     * Writes {@code value} if it is a JSON-like tree.
     *
     * @throws Unsupported if it holds anything else ({@code out} is then partly written)
     */
    static void write(final Object value, final Out out, final int depth) {
        if (depth > MAX_DEPTH) {
            throw Unsupported.INSTANCE;
        }
        if (value == null) {
            out.put(NULL);
        } else if (value instanceof String) {
            text((String) value, out, false);
        } else if (value instanceof Long) {
            out.int64((Long) value);
        } else if (value instanceof Integer) {
            out.ensure(5);
            out.buf[out.pos] = (byte) INT32;
            INT.set(out.buf, out.pos + 1, (int) (Integer) value);
            out.pos += 5;
        } else if (value instanceof Double) {
            out.float64((Double) value);
        } else if (value instanceof Boolean) {
            out.put((Boolean) value ? TRUE : FALSE);
        } else if (isCommonList(value.getClass())) {
            writeList((List<?>) value, out, depth);
        } else if (value instanceof Map) {
            writeMap((Map<?, ?>) value, out, depth);
        } else if (value instanceof List) {
            writeList((List<?>) value, out, depth);
        } else if (value instanceof Short) {
            out.ensure(3);
            out.buf[out.pos] = (byte) INT16;
            SHORT.set(out.buf, out.pos + 1, (short) (Short) value);
            out.pos += 3;
        } else if (value instanceof Byte) {
            out.put(INT8);
            out.put((Byte) value);
        } else if (value instanceof Float) {
            out.float32((Float) value);
        } else {
            throw Unsupported.INSTANCE;
        }
    }

    /**
     * Whether {@code c} is one of the JDK's common lists, tested before {@code instanceof Map} and
     * {@code instanceof List}: a test against an interface that fails searches all the class's
     * interfaces, and on JDK 17 one that succeeds may too (its one-entry cache in the class is shared
     * with every other test of that class); together they took about a seventh of the encoder's time.
     */
    private static boolean isCommonList(final Class<?> c) {
        return c == ArrayList.class || c == LIST_12 || c == LIST_N;
    }

    private static void writeList(final List<?> list, final Out out, final int depth) {
        if (list.isEmpty()) {
            out.put(EMPTY_LIST);
            return;
        }
        final int lengthAt = open(out);
        out.items(list, depth + 1);
        close(out, lengthAt);
    }

    private static void writeMap(final Map<?, ?> map, final Out out, final int depth) {
        if (map.isEmpty()) {
            out.put(EMPTY_MAP);
            return;
        }
        final int lengthAt = open(out);
        out.entries(map, depth + 1);
        close(out, lengthAt);
    }

    /**
     * Writes a string value ({@code STRING_0+n} or {@code STRING_ANY n}) or a map key and its bytes. An
     * ASCII key under 32 characters is written as Chronicle Wire writes field names
     * ({@code FIELD_NAME0+n}); any other as {@code EVENT_NAME n} and UTF-8. ASCII, the common case, is
     * copied char by char with no allocation; any other char restarts the string through
     * {@link String#getBytes}.
     *
     * @return whether it was ASCII
     */
    static boolean text(final String s, final Out out, final boolean key) {
        return text(s, 0, s.length(), out, key);
    }

    /** {@link #text(String, Out, boolean)} of the characters of {@code s} from {@code from} to {@code to}. */
    static boolean text(final String s, final int from, final int to, final Out out, final boolean key) {
        final int n = to - from;
        final int start = out.pos;
        header(n, out, key, true);
        out.ensure(n);
        final byte[] buf = out.buf;
        final int p = out.pos - from;
        for (int i = from; i < to; i++) {
            final char c = s.charAt(i);
            if (c >= 0x80) {
                out.pos = start;
                final byte[] utf8 = s.substring(from, to).getBytes(StandardCharsets.UTF_8);
                header(utf8.length, out, key, false);
                out.put(utf8);
                return false;
            }
            buf[p + i] = (byte) c;
        }
        out.pos = p + to;
        return true;
    }

    private static void header(final int length, final Out out, final boolean key, final boolean ascii) {
        if (key && (!ascii || length >= 32)) { // Chronicle writes FIELD_NAME_ANY for a long key, but cannot read it
            out.put(EVENT_NAME);
            out.stopBit(length);
        } else if (length < 32) {
            out.put((key ? FIELD_NAME0 : STRING_0) + length);
        } else {
            out.put(STRING_ANY);
            out.stopBit(length);
        }
    }

    /** Starts a container, {@code BYTES_LENGTH32} and room for its length; returns where the length goes. */
    static int open(final Out out) {
        out.ensure(5);
        out.buf[out.pos] = (byte) BYTES_LENGTH32;
        out.pos += 5;
        return out.pos - 4;
    }

    /** Ends the container whose length goes at {@code lengthAt}. */
    static void close(final Out out, final int lengthAt) {
        INT.set(out.buf, lengthAt, out.pos - lengthAt - 4);
    }

    /** The little-endian int at {@code p}: a container's length word. */
    static int intAt(final byte[] b, final int p) {
        return (int) INT.get(b, p);
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads the one value in {@code b} from {@code from} to the end.
     *
     * @throws Unsupported if it is not a JSON-like tree in the encoding above
     */
    static Object read(final byte[] b, final int from) {
        final Reader r = READERS.get();
        r.pos = from;
        final Object value = r.value(b, b.length, 0);
        if (r.pos != b.length) {
            throw Unsupported.INSTANCE;
        }
        return value;
    }

    static final ThreadLocal<Reader> READERS = ThreadLocal.withInitial(Reader::new);

    /**
     * A decoder, reused per thread: its position, and a cache of the short strings it made (map keys,
     * enum-like values), since one config decoded again and again repeats them in every version.
     * Strings are immutable, so decoded trees share them safely. A container is made with a guessed
     * capacity and filled as it is read: gathering the items on a long-lived stack first cost a
     * garbage-collector card mark for each young object stored in that old array (decode of the ~1 KiB
     * config 1,420-1,500 -> 1,240 ns), and counting them first a fifth of the rest (-> 980 ns).
     */
    static final class Reader {
        /** Bytes a map entry or a list item usually takes at least (a short key and value; a short string). */
        private static final int MAP_ENTRY_BYTES = 12;
        private static final int LIST_ITEM_BYTES = 6;
        private static final int GUESS_MAX = 8;
        private static final int SLOT_BITS = 10;
        private static final int SLOTS = 1 << SLOT_BITS;
        private static final int CACHED_MAX = 32;
        private static final int WORDS = CACHED_MAX / Long.BYTES;
        /** An odd 64-bit multiplier (the golden ratio's) that mixes the words of a string into its slot. */
        private static final long MIX = 0x9E3779B97F4A7C15L;
        /** The top bit of each byte of a word: set in a word holding a byte that is not ASCII. */
        private static final long HIGH_BITS = 0x8080808080808080L;
        /** Where a short string's length goes in its tag. */
        private static final int SHORT_LENGTH_SHIFT = Long.SIZE - Byte.SIZE;
        /** The words of the slots' strings, {@link #WORDS} per slot (one flat array: no pointer to chase). */
        private final long[] cachedWords = new long[SLOTS * WORDS];
        private final int[] cachedLengths = new int[SLOTS];
        private final String[] cachedStrings = new String[SLOTS];
        /** The tags of the short strings cached, 0 for none, and the strings (see {@link #shortString}). */
        private final long[] shortTags = new long[SLOTS];
        private final String[] shortStrings = new String[SLOTS];
        /** Whether the key {@link #keyHeader} read last is 8-bit. */
        boolean keyLatin1;
        /** The words of the string being looked up. */
        private final long[] words = new long[WORDS];
        int pos;

        Object value(final byte[] b, final int end, final int depth) {
            if (pos >= end || depth > MAX_DEPTH) {
                throw Unsupported.INSTANCE;
            }
            final int p = pos;
            final int code = b[p] & 0xFF;
            if (code >= STRING_0) {
                final int n = code - STRING_0;
                check(p + 1 + n, end);
                pos = p + 1 + n;
                return string(b, p + 1, n, false);
            }
            switch (code) {
                case STRING_ANY: {
                    pos = p + 1;
                    final int n = stopBit(b, end);
                    check(pos + n, end);
                    final String s = string(b, pos, n, false);
                    pos += n;
                    return s;
                }
                case INT64:
                    check(p + 9, end);
                    pos = p + 9;
                    return (long) LONG.get(b, p + 1);
                case INT32:
                    check(p + 5, end);
                    pos = p + 5;
                    return (int) INT.get(b, p + 1);
                case INT16:
                    check(p + 3, end);
                    pos = p + 3;
                    return (short) SHORT.get(b, p + 1);
                case INT8:
                    check(p + 2, end);
                    pos = p + 2;
                    return b[p + 1];
                case FLOAT64:
                    check(p + 9, end);
                    pos = p + 9;
                    return Double.longBitsToDouble((long) LONG.get(b, p + 1));
                case FLOAT32:
                    check(p + 5, end);
                    pos = p + 5;
                    return Float.intBitsToFloat((int) INT.get(b, p + 1));
                case TRUE:
                    pos = p + 1;
                    return Boolean.TRUE;
                case FALSE:
                    pos = p + 1;
                    return Boolean.FALSE;
                case NULL:
                    pos = p + 1;
                    return null;
                case TYPE_PREFIX:
                    if (startsWith(b, p, end, EMPTY_MAP)) {
                        pos = p + EMPTY_MAP.length;
                        return new CompactMap<String, Object>();
                    }
                    if (startsWith(b, p, end, EMPTY_LIST)) {
                        pos = p + EMPTY_LIST.length;
                        return new ArrayList<>();
                    }
                    throw Unsupported.INSTANCE;
                case BYTES_LENGTH32:
                    return container(b, end, depth);
                default:
                    throw Unsupported.INSTANCE;
            }
        }

        private Object container(final byte[] b, final int end, final int depth) {
            final int stop = open(b, end);
            final int first = pos < stop ? b[pos] & 0xFF : -1;
            if (isKey(first)) {
                final Map<String, Object> map = new CompactMap<>(guess(stop - pos, MAP_ENTRY_BYTES));
                while (pos < stop) {
                    final String key = key(b, stop);
                    map.put(key, value(b, stop, depth + 1));
                }
                return map;
            }
            final List<Object> list = new ArrayList<>(guess(stop - pos, LIST_ITEM_BYTES));
            while (pos < stop) {
                list.add(value(b, stop, depth + 1));
            }
            return list;
        }

        /**
         * Reads the header of the {@code BYTES_LENGTH32} container at the position (its code already
         * seen), moving past it.
         *
         * @return where its content stops
         */
        int open(final byte[] b, final int end) {
            final int p = pos;
            check(p + 5, end);
            final int len = (int) INT.get(b, p + 1);
            final int stop = p + 5 + len;
            if (len < 0) {
                throw Unsupported.INSTANCE;
            }
            check(stop, end);
            pos = p + 5;
            return stop;
        }

        static boolean isKey(final int code) {
            return code == EVENT_NAME || code == FIELD_NAME_ANY || (code >= FIELD_NAME0 && code <= FIELD_NAME31);
        }

        /**
         * A first capacity for a container of {@code bytes} bytes: one entry per {@code perEntry} bytes,
         * at least 1 and at most {@value #GUESS_MAX} (a container grows past it as it is filled). Counting
         * the items first instead (a skip over their headers) cost a fifth of the decode.
         */
        private static int guess(final int bytes, final int perEntry) {
            return Math.max(1, Math.min(GUESS_MAX, bytes / perEntry));
        }

        private String key(final byte[] b, final int end) {
            final int n = keyHeader(b, end);
            final String key = string(b, pos, n, keyLatin1);
            pos += n;
            return key;
        }

        /**
         * Reads the header of the map key at the position, moving past it to its bytes (checked to be
         * there): their number, and in {@link #keyLatin1} whether they are 8-bit (Chronicle writes field
         * names so) rather than UTF-8 (an {@code EVENT_NAME}).
         */
        int keyHeader(final byte[] b, final int end) {
            final int code = b[pos] & 0xFF;
            pos++;
            final int n;
            if (code == EVENT_NAME || code == FIELD_NAME_ANY) {
                n = stopBit(b, end);
            } else if (code >= FIELD_NAME0 && code <= FIELD_NAME31) {
                n = code - FIELD_NAME0;
            } else {
                throw Unsupported.INSTANCE;
            }
            check(pos + n, end);
            keyLatin1 = code != EVENT_NAME;
            return n;
        }

        /**
         * The string of {@code n} UTF-8 bytes at {@code from}, or if {@code latin1} and they are not all
         * ASCII, of {@code n} Latin-1 bytes (not cached): from the cache if short and seen before. A
         * short string is taken as up to four little-endian words, which both pick its slot and are
         * compared with the slot's: a few multiplications and compares, where hashing and comparing byte
         * by byte cost about as much as making the string anew.
         */
        String string(final byte[] b, final int from, final int n, final boolean latin1) {
            if (n > CACHED_MAX) {
                return new String(b, from, n, latin1 && !isAscii(b, from, n) ? StandardCharsets.ISO_8859_1
                    : StandardCharsets.UTF_8);
            }
            if (n < Long.BYTES) {
                return n == 0 ? "" : shortString(b, from, n, latin1);
            }
            final int full = n >>> 3;
            long h = n;
            long bits = 0;
            for (int i = 0; i < full; i++) {
                final long w = (long) LONG.get(b, from + (i << 3));
                words[i] = w;
                bits |= w;
                h = (h ^ w) * MIX;
            }
            final int wordCount = (n + 7) >>> 3;
            if (full < wordCount) {
                final long w = tail(b, from + (full << 3), n & 7);
                words[full] = w;
                bits |= w;
                h = (h ^ w) * MIX;
            }
            if (latin1 && (bits & HIGH_BITS) != 0) {
                return new String(b, from, n, StandardCharsets.ISO_8859_1);
            }
            final int slot = (int) (h >>> (Long.SIZE - SLOT_BITS)); // a product's top bits depend on all bits
            if (holds(slot, n, wordCount)) {
                return cachedStrings[slot];
            }
            final int other = slot ^ 1; // two ways: strings whose slots collide can both stay
            if (holds(other, n, wordCount)) {
                return cachedStrings[other];
            }
            return remember(b, from, n, slot, other, wordCount);
        }

        /**
         * Makes the string of the {@code n} bytes at {@code from}, whose {@code wordCount} words are in
         * {@link #words}, and caches it in {@code slot}.
         */
        private String remember(final byte[] b, final int from, final int n, final int slot, final int other,
            final int wordCount) {
            final String s = new String(b, from, n, StandardCharsets.UTF_8);
            if (cachedStrings[slot] != null) { // the slot's string becomes the other way's, the oldest goes
                cachedStrings[other] = cachedStrings[slot];
                cachedLengths[other] = cachedLengths[slot];
                System.arraycopy(cachedWords, slot * WORDS, cachedWords, other * WORDS, WORDS);
            }
            cachedStrings[slot] = s;
            cachedLengths[slot] = n;
            System.arraycopy(words, 0, cachedWords, slot * WORDS, wordCount);
            return s;
        }

        /**
         * {@link #string} of one to seven bytes (most keys, many short values): its bytes and its length
         * make one word, its tag, non-zero, looked up in a table of its own (a word and a reference per
         * string, where a longer one's take three arrays), two ways like {@link #string}'s.
         */
        private String shortString(final byte[] b, final int from, final int n, final boolean latin1) {
            final long w = tail(b, from, n);
            if (latin1 && (w & HIGH_BITS) != 0) {
                return new String(b, from, n, StandardCharsets.ISO_8859_1);
            }
            final long tag = w | (long) n << SHORT_LENGTH_SHIFT; // the top byte is free: at most 7 bytes
            final int slot = (int) ((tag * MIX) >>> (Long.SIZE - SLOT_BITS));
            if (shortTags[slot] == tag) {
                return shortStrings[slot];
            }
            final int other = slot ^ 1;
            if (shortTags[other] == tag) {
                return shortStrings[other];
            }
            final String s = new String(b, from, n, StandardCharsets.UTF_8);
            shortTags[other] = shortTags[slot]; // the slot's string becomes the other way's, the oldest goes
            shortStrings[other] = shortStrings[slot];
            shortTags[slot] = tag;
            shortStrings[slot] = s;
            return s;
        }

        private boolean holds(final int slot, final int length, final int n) {
            if (cachedLengths[slot] != length || cachedStrings[slot] == null) {
                return false;
            }
            final int at = slot * WORDS;
            for (int i = 0; i < n; i++) {
                if (cachedWords[at + i] != words[i]) {
                    return false;
                }
            }
            return true;
        }

        /** The {@code n < 8} bytes at {@code from} as a little-endian word, zero above them. */
        private static long tail(final byte[] b, final int from, final int n) {
            if (from + Long.BYTES <= b.length) {
                return (long) LONG.get(b, from) & (-1L >>> (Long.SIZE - (n << 3)));
            }
            long w = 0;
            for (int i = n - 1; i >= 0; i--) {
                w = (w << 8) | (b[from + i] & 0xFF);
            }
            return w;
        }

        /** The stop-bit length at the position ({@link WireInts#getStopBit}), moving past it. */
        int stopBit(final byte[] b, final int end) {
            final long read = WireInts.getStopBit(b, pos, end);
            if (read < 0) {
                throw Unsupported.INSTANCE;
            }
            pos = (int) (read >>> Integer.SIZE);
            return (int) read;
        }
    }

    private static boolean isAscii(final byte[] b, final int from, final int n) {
        for (int i = from, stop = from + n; i < stop; i++) {
            if (b[i] < 0) {
                return false;
            }
        }
        return true;
    }

    static boolean startsWith(final byte[] b, final int p, final int end, final byte[] prefix) {
        return end - p >= prefix.length && Arrays.equals(b, p, p + prefix.length, prefix, 0, prefix.length);
    }

    static void check(final int needed, final int end) {
        if (needed > end || needed < 0) {
            throw Unsupported.INSTANCE;
        }
    }
}
