package io.memoir.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.util.ClassNotFoundRuntimeException;
import net.openhft.chronicle.wire.BinaryWireCode;
import net.openhft.chronicle.wire.JSONWire;
import net.openhft.chronicle.wire.SelfDescribingMarshallable;
import net.openhft.chronicle.wire.ValueIn;
import net.openhft.chronicle.wire.ValueOut;
import net.openhft.chronicle.wire.Wire;
import net.openhft.chronicle.wire.WireType;
import net.openhft.chronicle.wire.WriteMarshallable;

/**
 * How objects are kept in a region: a 4-byte header, then one value in Chronicle Wire's compact
 * binary form (self-describing: a tool can print it as JSON without the application's classes),
 * then possibly padding.
 *
 * <pre>
 *  0        1        2        3        4
 * +--------+--------+--------+--------+------------------------------------+-----------------+
 * |  'M'   |  'W'   | format | 0      | BINARY_LIGHT wire: one value        | padding, if any |
 * +--------+--------+--------+--------+------------------------------------+-----------------+
 * </pre>
 *
 * <p>Padding lets a value that changed its length stay in its record ({@link #storedLength}): it follows
 * only a value that is a {@code BYTES_LENGTH32} container (a map, a list, a data object, optionally
 * after a type prefix), so where the value ends is read from its length word, and it is Chronicle Wire's
 * own: {@code PADDING} bytes, which Chronicle's readers skip. (Not {@code PADDING32 n}: its count would
 * change with the value's length, an edit more in each journaled splice.) Every decoder here is given
 * the value without it ({@link #unpadded}).
 */
final class ObjectCodec {
    /** Length of the header in front of the wire bytes. */
    static final int HEADER_LENGTH = 4;
    /** The objects format written; readers refuse others. */
    static final byte FORMAT = 1;
    private static final byte MAGIC_0 = 'M';
    private static final byte MAGIC_1 = 'W';
    /** {@code PADDING} bytes, to compare padding with. */
    private static final byte[] PADDINGS = paddings(256);
    /** Room a record replaced for a value of another length gets beyond it: an eighth, at least this. */
    static final int MIN_SLACK = 32;
    /** A value may shrink by a quarter of its record, at least this, and stay in it. */
    static final int MIN_SHRINK = 64;
    /** The {@code owner} of a decode that does not go through {@link TreeCache}. */
    static final long NO_CACHE = 0;
    /**
     * The {@code owner} of the objects of journal entries ({@link JournalEntry#object}), whichever store
     * they come from: a watcher decoding each new version of a tag decodes only what changed. (Entries of
     * two stores under one tag share an entry of the cache: that costs hits, never correctness.)
     */
    static final long JOURNAL_ENTRIES = -1;

    private static final ThreadLocal<TreeCodec.Out> OUTS = ThreadLocal.withInitial(TreeCodec.Out::new);
    private static final ThreadLocal<Wire> WIRES = ThreadLocal.withInitial(() ->
        WireType.BINARY_LIGHT.apply(Bytes.allocateElasticOnHeap(256)));

    private ObjectCodec() {
    }

    /**
     * Encodes a value: a Chronicle Wire marshallable, a {@link Map}/{@link java.util.List} of JSON-like
     * values, a string, a number, a boolean, or null.
     *
     * @throws IllegalArgumentException if Chronicle Wire cannot encode the value's type
     */
    static byte[] encode(final Object value, final String tag) {
        final TreeCodec.Out out = encodeInPlace(value, tag);
        return Arrays.copyOf(out.buf, out.pos);
    }

    /**
     * {@link #encode} into this thread's buffer, without copying it out: the encoded value is
     * {@code out.buf[0, out.pos)}, valid until this thread encodes again. What a put passes to the
     * store, which copies it into the journal and the region.
     */
    static TreeCodec.Out encodeInPlace(final Object value, final String tag) {
        final TreeCodec.Out out = startedOut();
        try {
            if (value instanceof SelfDescribingMarshallable) { // a class test, cheaper than TreeCodec's failing ones
                if (TypedCodec.write(value, out)) {
                    return out;
                }
            } else {
                TreeCodec.write(value, out, 0);
                return out;
            }
        } catch (TreeCodec.Unsupported e) {
            // outside the fast paths: Chronicle Wire's writer
        }
        final byte[] bytes = encodeWithChronicle(value, tag);
        out.pos = 0;
        out.put(bytes);
        return out;
    }

    /**
     * The value of JSON text, as {@link #encodeInPlace} encodes what {@link Json#parse} gives, but
     * written as it is parsed ({@link Json#parseInto}): {@code putJson}'s path.
     *
     * @throws IllegalArgumentException if the text is not strict JSON (line, column and what was expected)
     */
    static TreeCodec.Out encodeJsonInPlace(final String json) {
        final TreeCodec.Out out = startedOut();
        Json.parseInto(json, out);
        return out;
    }

    /** This thread's encoder buffer, emptied, with the header of an object written. */
    private static TreeCodec.Out startedOut() {
        final TreeCodec.Out out = OUTS.get();
        out.pos = 0;
        out.put(MAGIC_0);
        out.put(MAGIC_1);
        out.put(FORMAT);
        out.put(0);
        return out;
    }

    /** {@link #encode} through Chronicle Wire's own writer: for values outside the fast path. */
    static byte[] encodeWithChronicle(final Object value, final String tag) {
        final Wire wire = WIRES.get();
        final Bytes<?> bytes = wire.bytes();
        bytes.clear();
        bytes.writeByte(MAGIC_0).writeByte(MAGIC_1).writeByte(FORMAT).writeByte((byte) 0);
        try {
            writeValue(wire.getValueOut(), value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot encode a value of class=" + value.getClass().getName()
                + " for tag=" + tag + ": " + e.getMessage() + " (use a class extending SelfDescribingMarshallable,"
                + " or Map/List/String/Number/Boolean values; Java records are not supported by Chronicle Wire)", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Chronicle Wire's writer, keeping empty maps and lists apart: its binary {@code {}} equals its
     * {@code []}, so empty ones get a {@code !map} or {@code !seq} type prefix (see {@link TreeCodec}).
     */
    private static void writeValue(final ValueOut out, final Object value) {
        if (value instanceof Map && hasStringKeys((Map<?, ?>) value)) {
            final Map<?, ?> map = (Map<?, ?>) value;
            if (map.isEmpty()) {
                out.typePrefix(Map.class).marshallable((WriteMarshallable) w -> { });
            } else {
                out.marshallable((WriteMarshallable) w -> map.forEach((k, v) -> writeValue(w.write((CharSequence) k), v)));
            }
        } else if (value instanceof List && ((List<?>) value).isEmpty()) {
            out.typePrefix(List.class).sequence((List<?>) value, (list, seq) -> { });
        } else if (value instanceof List) {
            out.sequence((List<?>) value, (list, seq) -> {
                for (Object item : list) {
                    writeValue(seq, item);
                }
            });
        } else {
            out.object(value);
        }
    }

    private static boolean hasStringKeys(final Map<?, ?> map) {
        for (Object k : map.keySet()) {
            if (!(k instanceof CharSequence)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The length to store an encoded object of {@code length} bytes at ({@code content[0, length)}), in a
     * tag whose record holds {@code recordLength} bytes (0 if none), in a store that pads objects: the
     * record's own length if the value fits it (it is at most as long, and shorter by at most a quarter
     * of the record, or {@value #MIN_SHRINK} bytes), so that the put changes the record in place;
     * otherwise, for a tag that exists, the value's length plus an eighth ({@value #MIN_SLACK} bytes at
     * least, {@code max} at most), so that the next change of length fits; for a new tag, or a value that
     * cannot be padded (a string, number, boolean or null), its own length.
     */
    static int storedLength(final byte[] content, final int length, final int recordLength, final int max) {
        if (length == recordLength || recordLength == 0
            || containerEnd(content, Memory.BYTE_ARRAY_BASE, length) != length) {
            return length;
        }
        if (length < recordLength && recordLength - length <= Math.max(MIN_SHRINK, recordLength / 4)) {
            return recordLength;
        }
        return (int) Math.max(length, Math.min(max, (long) length + Math.max(MIN_SLACK, length / 8)));
    }

    /** Pads the encoded object {@code out.buf[0, out.pos)} to {@code length} bytes ({@link #storedLength}). */
    static void pad(final TreeCodec.Out out, final int length) {
        final int n = length - out.pos;
        if (n <= 0) {
            return;
        }
        out.ensure(n);
        Arrays.fill(out.buf, out.pos, length, (byte) BinaryWireCode.PADDING);
        out.pos = length;
    }

    private static byte[] paddings(final int n) {
        final byte[] b = new byte[n];
        Arrays.fill(b, (byte) BinaryWireCode.PADDING);
        return b;
    }

    /** {@code content} without its padding: the same array if it has none, else a copy. */
    static byte[] unpadded(final byte[] content) {
        final int end = valueEnd(content);
        return end == content.length ? content : Arrays.copyOf(content, end);
    }

    /** {@code content} without its padding, always a copy. */
    static byte[] unpaddedCopy(final byte[] content) {
        return Arrays.copyOf(content, valueEnd(content));
    }

    /**
     * Where the value of the object in {@code content} ends: before its padding, if it has padding as
     * {@link #pad} writes it; else at the end.
     */
    static int valueEnd(final byte[] content) {
        return valueEnd(content, Memory.BYTE_ARRAY_BASE, content.length);
    }

    /**
     * {@link #valueEnd(byte[])} of the {@code length} bytes at {@code address}: a record's content, read
     * under its seqlock (a torn read gives some end within {@code length}, and the seqlock's check fails).
     */
    static int valueEnd(final long address, final int length) {
        return valueEnd(null, address, length);
    }

    /** {@link #valueEnd(byte[])} of the {@code length} bytes at {@code offset} of {@code base} ({@link Memory#byteAt}). */
    private static int valueEnd(final Object base, final long offset, final int length) {
        final int end = containerEnd(base, offset, length);
        return end >= 0 && end < length
            && Memory.filledWith(base, offset + end, length - end, (byte) BinaryWireCode.PADDING) ? end : length;
    }

    /**
     * Where the value of the object in the {@code length} bytes at {@code offset} of {@code base} ends if
     * it is a {@code BYTES_LENGTH32} container, optionally after a type prefix (by its length word); -1
     * if it is not an object, not one, or its length word points past {@code length}.
     */
    private static int containerEnd(final Object base, final long offset, final int length) {
        if (length < HEADER_LENGTH + 5 || Memory.byteAt(base, offset) != MAGIC_0
            || Memory.byteAt(base, offset + 1) != MAGIC_1 || Memory.byteAt(base, offset + 2) != FORMAT) {
            return -1;
        }
        int p = HEADER_LENGTH;
        if (Memory.byteAt(base, offset + p) == BinaryWireCode.TYPE_PREFIX) { // a stop-bit length, then the name
            long nameLength = 0;
            int b;
            int shift = 0;
            do {
                if (++p >= length || shift > 28) {
                    return -1;
                }
                b = Memory.byteAt(base, offset + p);
                nameLength |= (long) (b & 0x7F) << shift;
                shift += 7;
            } while (b >= 0x80);
            if (nameLength > length) {
                return -1;
            }
            p += 1 + (int) nameLength;
        }
        if (p + 5 > length || Memory.byteAt(base, offset + p) != BinaryWireCode.BYTES_LENGTH32) {
            return -1;
        }
        final long end = p + 5L + Memory.intAt(base, offset + p + 1);
        return end < p + 5L || end > length ? -1 : (int) end;
    }

    /** Whether {@code content} holds an encoded object. */
    static boolean isObject(final byte[] content) {
        return content.length >= HEADER_LENGTH && content[0] == MAGIC_0 && content[1] == MAGIC_1
            && content[2] == FORMAT;
    }

    /**
     * Decodes the value of a tag as {@code type}.
     *
     * @throws MemoirException.WrongTypeException if the region holds no object, or one of another type
     */
    static <T> T decode(final byte[] content, final Class<T> type, final String tag, final long version) {
        return decode(content, type, tag, version, NO_CACHE);
    }

    /**
     * {@link #decode(byte[], Class, String, long)} of a tag's latest content, which this thread may
     * well have read before: a JSON-like tree or a plain typed object goes through this thread's
     * {@link TreeCache} under {@code owner} (a store's number, {@link #JOURNAL_ENTRIES}, or
     * {@link #NO_CACHE} for none), which then keeps {@code padded} (or, if it is padded, a copy of it
     * without): the caller must not change it.
     */
    static <T> T decode(final byte[] padded, final Class<T> type, final String tag, final long version,
                        final long owner) {
        final byte[] content = unpadded(padded);
        TypedCodec.Plan tried = null;
        if (SelfDescribingMarshallable.class.isAssignableFrom(type) && isObject(content)) {
            tried = TypedCodec.plan(type);
            if (tried != null) {
                try {
                    return type.cast(TreeCache.readTyped(owner, tag, content, tried));
                } catch (TreeCodec.Unsupported e) {
                    // another class, or written by Chronicle Wire: the readers below
                }
            }
        }
        final Object value = decode(content, tag, version, tried, owner);
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        final Object converted = convertNumber(value, type);
        if (converted != null) {
            return type.cast(converted);
        }
        throw new MemoirException.WrongTypeException(tag, version, value.getClass().getName(), type.getName());
    }

    /**
     * A number read back as another boxed type when no precision is lost (integers in untyped maps
     * come back as {@code Long}); null if it cannot be.
     */
    private static Object convertNumber(final Object value, final Class<?> type) {
        if (!(value instanceof Number)) {
            return null;
        }
        final Number n = (Number) value;
        final boolean integral = value instanceof Long || value instanceof Integer || value instanceof Short
            || value instanceof Byte;
        if (integral) {
            final long v = n.longValue();
            if (type == Long.class) {
                return v;
            }
            if (type == Integer.class && v == (int) v) {
                return (int) v;
            }
            if (type == Short.class && v == (short) v) {
                return (short) v;
            }
            if (type == Byte.class && v == (byte) v) {
                return (byte) v;
            }
            if (type == Double.class && v == (long) (double) v) {
                return (double) v;
            }
        } else if (type == Double.class && value instanceof Float) {
            return n.doubleValue();
        } else if (type == Float.class && value instanceof Double && (double) (float) n.doubleValue() == n.doubleValue()) {
            return n.floatValue();
        }
        return null;
    }

    /** Decodes the value of a tag, whatever its type. */
    static Object decode(final byte[] content, final String tag, final long version) {
        return decode(unpadded(content), tag, version, null, NO_CACHE);
    }

    /**
     * {@link #decode(byte[], String, long)} of content without padding ({@link #unpadded}), not trying
     * the plan {@code tried} (it failed already) again, through {@link TreeCache} unless {@code owner}
     * is {@link #NO_CACHE}.
     */
    private static Object decode(final byte[] content, final String tag, final long version,
                                 final TypedCodec.Plan tried, final long owner) {
        if (isObject(content)) {
            try {
                return TreeCache.read(owner, tag, content);
            } catch (TreeCodec.Unsupported e) {
                // not a JSON-like tree: a typed object, by its name
            }
            final TypedCodec.Plan plan = TypedCodec.planNamed(content, HEADER_LENGTH);
            if (plan != null && plan != tried) {
                try {
                    return TreeCache.readTyped(owner, tag, content, plan);
                } catch (TreeCodec.Unsupported e) {
                    // not in its plan's form: Chronicle Wire's reader
                }
            }
        }
        return decodeWithChronicle(wireOver(content, tag, version), tag, version);
    }

    /** {@link #decode} through Chronicle Wire's own reader: for values outside the fast path. */
    static Object decodeWithChronicle(final Wire wire, final String tag, final long version) {
        try {
            return wire.getValueIn().object();
        } catch (ClassNotFoundRuntimeException e) {
            throw new MemoirException.WrongTypeException("tag=" + tag + " (version " + version + ") holds an object "
                + "whose class is not on this classpath: " + e.getMessage() + " (read it as JSON with getJson)", e);
        } catch (RuntimeException e) {
            throw new MemoirException.CorruptStoreException("cannot decode the object of tag=" + tag + " (version "
                + version + "): " + e, e);
        }
    }

    /**
     * The object of a tag as JSON text. With the object's classes on the classpath it is exact
     * (typed objects as {@code {"@class.Name":{fields}}}, as Chronicle Wire writes JSON). Without
     * them (a tool reading an application's store), fields are read from the self-describing binary
     * form, where an empty list and an empty map inside a typed object cannot be told apart.
     */
    static String toJson(final byte[] padded, final String tag, final long version) {
        final byte[] content = unpadded(padded);
        if (isObject(content)) {
            try {
                return TreeJson.write(content, HEADER_LENGTH);
            } catch (TreeCodec.Unsupported e) {
                // not a JSON-like tree: through the decoded value below
            }
        }
        Object value;
        boolean classMissing = false;
        try {
            value = decode(content, tag, version);
        } catch (MemoirException.WrongTypeException e) {
            if (!(e.getCause() instanceof ClassNotFoundRuntimeException)) {
                throw e;
            }
            value = null;
            classMissing = true;
        }
        try {
            if (classMissing || value == null || value instanceof Map || value instanceof List || value instanceof CharSequence
                || value instanceof Number || value instanceof Boolean) {
                final Object tree = classMissing ? withoutClasses(content, tag, version) : value;
                final StringBuilder sb = new StringBuilder(content.length * 2 + 16);
                Json.write(tree, sb, ObjectCodec::viaChronicleJson);
                return sb.toString();
            }
            return toJson(value);
        } catch (ClassNotFoundRuntimeException e) {
            throw new MemoirException.WrongTypeException("cannot convert the object of tag=" + tag + " (version "
                + version + ") to JSON: it holds a nested typed value whose class is not on this classpath: "
                + e.getMessage(), e);
        }
    }

    /** A typed object as JSON text, as {@link #toJson(byte[], String, long)} gives it. */
    static String toJson(final Object value) {
        final StringBuilder sb = new StringBuilder(256);
        Json.write(viaChronicleJson(value), sb, ObjectCodec::viaChronicleJson);
        return sb.toString();
    }

    /**
     * Any value as JSON-like data, through Chronicle Wire's JSON writer (types kept as "@type" keys). It
     * writes UTF-8, which {@code Bytes.toString()} would read as Latin-1 ("한" became "í\u0095\u009c").
     */
    private static Object viaChronicleJson(final Object value) {
        final Bytes<?> out = Bytes.allocateElasticOnHeap(64);
        final JSONWire json = new JSONWire(out);
        json.useTypes(true);
        json.getValueOut().object(value);
        final String text = new String(out.toByteArray(), StandardCharsets.UTF_8);
        try {
            return Json.parse(text);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    /**
     * The value as JSON-like data without loading any class: a typed marshallable becomes
     * {@code {"@type": {fields}}}. One padding byte after the content stops Chronicle peeking past the
     * end at an empty last field.
     */
    private static Object withoutClasses(final byte[] content, final String tag, final long version) {
        final byte[] padded = Arrays.copyOf(content, content.length + 1);
        final ValueIn in = wireOver(padded, tag, version).getValueIn();
        if (!in.isTyped()) {
            return in.object();
        }
        final StringBuilder type = new StringBuilder();
        in.typePrefix(type, StringBuilder::append);
        final Map<String, Object> typed = new LinkedHashMap<>();
        typed.put("@" + type, in.marshallableAsMap(String.class, Object.class));
        return typed;
    }

    static Wire wireOver(final byte[] content, final String tag, final long version) {
        if (!isObject(content)) {
            throw new MemoirException.WrongTypeException("tag=" + tag + " (version " + version + ") holds "
                + content.length + " raw bytes, not an object (it was written with Region.write/put; read it with"
                + " Region.readAll)", null);
        }
        final Bytes<byte[]> bytes = Bytes.wrapForRead(content);
        bytes.readSkip(HEADER_LENGTH);
        return WireType.BINARY_LIGHT.apply(bytes);
    }
}
