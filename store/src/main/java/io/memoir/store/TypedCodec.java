package io.memoir.store;

import static net.openhft.chronicle.wire.BinaryWireCode.BYTES_LENGTH32;
import static net.openhft.chronicle.wire.BinaryWireCode.FALSE;
import static net.openhft.chronicle.wire.BinaryWireCode.FIELD_NAME0;
import static net.openhft.chronicle.wire.BinaryWireCode.FIELD_NAME_ANY;
import static net.openhft.chronicle.wire.BinaryWireCode.FLOAT32;
import static net.openhft.chronicle.wire.BinaryWireCode.FLOAT64;
import static net.openhft.chronicle.wire.BinaryWireCode.INT32;
import static net.openhft.chronicle.wire.BinaryWireCode.INT64;
import static net.openhft.chronicle.wire.BinaryWireCode.NULL;
import static net.openhft.chronicle.wire.BinaryWireCode.STRING_0;
import static net.openhft.chronicle.wire.BinaryWireCode.STRING_ANY;
import static net.openhft.chronicle.wire.BinaryWireCode.TRUE;
import static net.openhft.chronicle.wire.BinaryWireCode.TYPE_PREFIX;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.UnsafeMemory;
import net.openhft.chronicle.core.io.Validatable;
import net.openhft.chronicle.core.pool.ClassAliasPool;
import net.openhft.chronicle.core.util.ObjectUtils;
import net.openhft.chronicle.wire.SelfDescribingMarshallable;
import net.openhft.chronicle.wire.Wire;
import net.openhft.chronicle.wire.WireMarshaller;
import net.openhft.chronicle.wire.WireType;

/**
 * The fast path of {@link ObjectCodec} for typed objects: plain data classes extending Chronicle Wire's
 * {@link SelfDescribingMarshallable}, the kind a config or a message is. Chronicle Wire marshals them
 * field by field through a generic, reflective marshaller (a dispatch and a boxed or looked-up value per
 * field, every string interned); this writes and reads the same binary form from a plan made once per
 * class: the fields in Chronicle's order, each with its encoded name, its offset and its kind, read and
 * set directly. About six times faster both ways for a ~1 KiB config.
 *
 * <p>What it writes is what Chronicle Wire writes for the object, except that numbers take the
 * smallest fixed-size code instead of Chronicle's decimal forms: {@code !type} prefix (the class's
 * name or alias, as {@link ClassAliasPool#nameFor} gives it), {@code BYTES_LENGTH32 len}, then each
 * field as its name and value; a nested object of its field's declared class (or a list's element
 * class) is written without a type prefix, as Chronicle writes it. Chronicle Wire reads it back into an
 * equal object, so tools and any process without this path read it as before.
 *
 * <p>A class has a plan only when Chronicle Wire would marshal it by its generic marshaller and every
 * field is one this path knows: {@code long int short byte double float boolean char}, the boxes of
 * all but {@code char}, {@code String}, an enum, a {@code List} of strings, boxes or enum constants
 * (or a {@code Set} of them, read into the set the constructor made), a {@code Map<String, ?>} of
 * JSON-like values (written and read as {@link TreeCodec} does), an object or {@code List} of
 * objects of a class with a plan (resolved at use, so a class may refer to itself), and a value type
 * whose form Chronicle Wire owns ({@code java.time} classes, {@code UUID}, {@code BigDecimal},
 * {@code BigInteger}, and the arrays of primitives and of strings: that one field goes through
 * Chronicle's {@code ValueOut}/{@code ValueIn}, see {@link Kind#WIRE}). Not when the class or a superclass below
 * {@code SelfDescribingMarshallable} declares its own {@code readMarshallable}/{@code writeMarshallable}
 * (or {@code unexpectedField}, {@code readResolve}, {@code writeReplace}), is {@link Validatable}, is an
 * inner (non-static) class, or has a field that is annotated (Chronicle's conversions and comments are
 * annotations) or of any other type. Anything unexpected in a value (a nested object of a subclass, a
 * list item of another class) or in the bytes (Chronicle's own compact numbers, fields in another order
 * or missing, a type prefix) makes it give up with {@link TreeCodec.Unsupported}, and
 * {@link ObjectCodec} falls back to Chronicle Wire, which handles every case.
 */
final class TypedCodec {
    private static final UnsafeMemory U = UnsafeMemory.INSTANCE;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int MAX_DEPTH = 512;
    /** Methods whose declaration in a data class means Chronicle Wire does not marshal it generically. */
    private static final Set<String> CUSTOM_METHODS = Set.of("readMarshallable", "writeMarshallable",
        "unexpectedField", "readResolve", "writeReplace", "usesSelfDescribingMessage");
    /** The {@code char} Chronicle Wire writes as null, and reads a null or empty string as. */
    private static final char NO_CHAR = '\uFFFF';
    /** The bytes of negative zero, which must not be written as the integer 0. */
    private static final long NEGATIVE_ZERO = Double.doubleToRawLongBits(-0.0);
    private static final Plan NONE = new Plan(null, null, null);
    private static final Map<Class<?>, Kind> BOXED = Map.of(Long.class, Kind.BOXED_LONG, Integer.class, Kind.BOXED_INT,
        Short.class, Kind.BOXED_SHORT, Byte.class, Kind.BOXED_BYTE, Double.class, Kind.BOXED_DOUBLE,
        Float.class, Kind.BOXED_FLOAT, Boolean.class, Kind.BOXED_BOOLEAN);
    /**
     * Set types a field of strings, boxes or enum constants may be declared as: Chronicle Wire writes it
     * as a sequence, as a list, and reads it into the set the constructor made.
     */
    private static final Set<Class<?>> SET_TYPES = Set.of(Set.class, SortedSet.class, NavigableSet.class,
        HashSet.class, LinkedHashSet.class, TreeSet.class);
    /** Up to this many bytes after a {@link Kind#WIRE} value are copied for Chronicle Wire to read it. */
    private static final int COPY_MAX = 4096;
    /** Arrays a field may hold that Chronicle Wire writes and reads on their own as in a field. */
    private static final Set<Class<?>> ARRAYS = Set.of(byte[].class, short[].class, int[].class, long[].class,
        float[].class, double[].class, boolean[].class, char[].class, String[].class);
    /** Chronicle Wire's form of an empty map in a field of type {@code Map}: an empty marshallable. */
    private static final byte[] EMPTY_FIELD_MAP = {(byte) BYTES_LENGTH32, 0, 0, 0, 0};

    private static final ClassValue<Plan> PLANS = new ClassValue<>() {
        @Override
        protected Plan computeValue(final Class<?> type) {
            try {
                final Plan p = Plan.of(type);
                return p == null ? NONE : p;
            } catch (RuntimeException | LinkageError e) {
                return NONE; // Chronicle Wire's path reports what is wrong with the class
            }
        }
    };

    /** How a field is written and read. */
    enum Kind {
        LONG, INT, SHORT, BYTE, DOUBLE, FLOAT, BOOLEAN, STRING, STRINGS, OBJECT, OBJECTS, MAP, ENUM,
        /** A {@code char}: as Chronicle writes it, a one-character string, or null for {@code '\uFFFF'}. */
        CHAR,
        /**
         * A list (or set) of boxed values, enum constants or values of a {@link #WIRE} type:
         * {@link Slot#element} says which.
         */
        VALUES,
        /** Boxed numbers and booleans: null, or as their primitive. */
        BOXED_LONG, BOXED_INT, BOXED_SHORT, BOXED_BYTE, BOXED_DOUBLE, BOXED_FLOAT, BOXED_BOOLEAN,
        /**
         * A value of a type this path has no form for (a {@code java.time} type, {@code UUID},
         * {@code BigDecimal}, {@code BigInteger}, some arrays): written and read by Chronicle Wire's own
         * {@code ValueOut}/{@code ValueIn} for its declared type, as its marshaller does an object field,
         * while the other fields keep this path.
         */
        WIRE
    }

    /** One field: its encoded name, where it is in an instance, its kind and (for objects) its class. */
    static final class Slot {
        final byte[] key;
        final long offset;
        final Kind kind;
        final Class<?> type;
        /** An enum's constants by name; empty for other kinds. */
        final Map<String, Object> constants;
        /** For {@link Kind#VALUES}: how each item is written and read; null for other kinds. */
        final Slot element;
        /**
         * For a collection field: whether it is declared a {@code Set} (read only into the set its
         * constructor made), rather than a type an {@code ArrayList} fits.
         */
        final boolean setField;
        /** The key's first two little-endian words, zero past its end, and masks of its bytes in them. */
        private final long key0;
        private final long key1;
        private final long mask0;
        private final long mask1;

        Slot(final byte[] key, final long offset, final Kind kind, final Class<?> type,
             final boolean setField) {
            this.key = key;
            this.offset = offset;
            this.kind = kind;
            this.type = type;
            this.setField = setField;
            this.element = kind == Kind.VALUES
                ? new Slot(new byte[0], 0, type.isEnum() ? Kind.ENUM : BOXED.getOrDefault(type, Kind.WIRE), type,
                    false) : null;
            final Map<String, Object> byName = new HashMap<>();
            if (kind == Kind.ENUM) {
                for (Object c : type.getEnumConstants()) {
                    byName.put(((Enum<?>) c).name(), c);
                }
            }
            this.constants = Map.copyOf(byName);
            final byte[] padded = Arrays.copyOf(key, 2 * Long.BYTES);
            key0 = (long) LONG.get(padded, 0);
            key1 = (long) LONG.get(padded, Long.BYTES);
            mask0 = mask(key.length);
            mask1 = mask(key.length - Long.BYTES);
        }

        private static long mask(final int bytes) {
            return bytes >= Long.BYTES ? -1L : bytes <= 0 ? 0L : -1L >>> (Long.SIZE - 8 * bytes);
        }

        /** Writes the key: a field name of up to 15 characters as two word stores, where a copy cost more. */
        void putKey(final TreeCodec.Out out) {
            final int n = key.length;
            if (n > 2 * Long.BYTES) {
                out.put(key);
                return;
            }
            out.ensure(2 * Long.BYTES); // the bytes past the key are written over next
            LONG.set(out.buf, out.pos, key0);
            LONG.set(out.buf, out.pos + Long.BYTES, key1);
            out.pos += n;
        }

        /**
         * Whether {@code b} holds this field's key at {@code at} (before {@code stop}): a field name of up to
         * 15 characters is compared as two words, where a range compare cost about as much as the value.
         */
        boolean keyAt(final byte[] b, final int at, final int stop) {
            final int n = key.length;
            if (stop - at < n) {
                return false;
            }
            if (n <= 2 * Long.BYTES && at + 2 * Long.BYTES <= b.length) {
                return ((long) LONG.get(b, at) & mask0) == key0 && ((long) LONG.get(b, at + Long.BYTES) & mask1) == key1;
            }
            return Arrays.equals(b, at, at + n, key, 0, n);
        }
    }

    /** A class's plan: its type prefix and its fields in Chronicle Wire's order. */
    static final class Plan {
        final Class<?> type;
        final byte[] prefix;
        final Slot[] slots;

        /**
         * Whether {@link TreeCache} can keep an object of this plan and patch its leaves: every field a
         * {@link #isLeaf leaf}, a data object, or a list (not a set) of strings or of data objects. (A
         * map, a list of other values or a {@link Kind#WIRE} field is decoded whole every time.) Nested
         * plans are checked again as {@link #index} meets their objects.
         */
        final boolean patchable;

        private Plan(final Class<?> type, final byte[] prefix, final Slot[] slots) {
            this.type = type;
            this.prefix = prefix;
            this.slots = slots;
            this.patchable = slots != null // NONE, the "no plan" marker, has no slots
                && Arrays.stream(slots).allMatch(s -> isLeaf(s.kind) || s.kind == Kind.OBJECT
                    || (s.kind == Kind.STRINGS || s.kind == Kind.OBJECTS) && !s.setField);
        }

        /** The plan of {@code c}, or null if this path does not handle it (see the class comment). */
        static Plan of(final Class<?> c) {
            if (!SelfDescribingMarshallable.class.isAssignableFrom(c) || c.isInterface()
                || Modifier.isAbstract(c.getModifiers()) || Validatable.class.isAssignableFrom(c)
                || c.getEnclosingClass() != null && !Modifier.isStatic(c.getModifiers())
                || WireMarshaller.WIRE_MARSHALLER_CL.get(c).getClass() != WireMarshaller.class) {
                return null;
            }
            for (Class<?> k = c; k != SelfDescribingMarshallable.class; k = k.getSuperclass()) {
                for (Method m : k.getDeclaredMethods()) {
                    if (CUSTOM_METHODS.contains(m.getName()) && !Modifier.isStatic(m.getModifiers())) {
                        return null;
                    }
                }
            }
            final Map<String, Field> fields = new LinkedHashMap<>();
            WireMarshaller.getAllField(c, fields); // Chronicle's own order and choice of fields
            final List<Slot> slots = new ArrayList<>();
            for (Field f : fields.values()) {
                if (f.getName().matches("^.*\\$\\d+$")) {
                    continue; // Chronicle leaves these out too (compiler-made fields)
                }
                final Slot s = slot(f);
                if (s == null) {
                    return null;
                }
                slots.add(s);
            }
            final byte[] name = ascii(ClassAliasPool.CLASS_ALIASES.nameFor(c));
            if (name == null) {
                return null;
            }
            final TreeCodec.Out out = new TreeCodec.Out();
            out.put(TYPE_PREFIX);
            out.stopBit(name.length);
            out.put(name);
            return new Plan(c, Arrays.copyOf(out.buf, out.pos), slots.toArray(new Slot[0]));
        }

        private static Slot slot(final Field f) {
            final byte[] name = ascii(f.getName());
            if (name == null || f.getDeclaredAnnotations().length > 0) {
                return null;
            }
            final TreeCodec.Out key = new TreeCodec.Out();
            if (name.length < 32) {
                key.put(FIELD_NAME0 + name.length);
            } else {
                key.put(FIELD_NAME_ANY);
                key.stopBit(name.length);
            }
            key.put(name);
            final Class<?> t = f.getType();
            final Kind kind;
            Class<?> of = null;
            if (t == long.class) {
                kind = Kind.LONG;
            } else if (t == int.class) {
                kind = Kind.INT;
            } else if (t == short.class) {
                kind = Kind.SHORT;
            } else if (t == byte.class) {
                kind = Kind.BYTE;
            } else if (t == double.class) {
                kind = Kind.DOUBLE;
            } else if (t == float.class) {
                kind = Kind.FLOAT;
            } else if (t == boolean.class) {
                kind = Kind.BOOLEAN;
            } else if (t == char.class) {
                kind = Kind.CHAR;
            } else if (t == String.class) {
                kind = Kind.STRING;
            } else if (t == List.class || t == ArrayList.class || t == Collection.class || SET_TYPES.contains(t)) {
                of = elementClass(f.getGenericType());
                if (of == String.class) {
                    kind = Kind.STRINGS;
                } else if (of != null && isDataClass(of) && !SET_TYPES.contains(t)) {
                    kind = Kind.OBJECTS;
                } else if (of != null && (BOXED.containsKey(of) || of.isEnum() && !chronicleTyped(of)
                    || chronicleOwns(of) && !of.isArray())) {
                    kind = Kind.VALUES;
                } else {
                    return null;
                }
            } else if (isDataClass(t)) {
                kind = Kind.OBJECT;
                of = t;
            } else if (t == Map.class && hasStringKeys(f.getGenericType())) {
                kind = Kind.MAP;
            } else if (t.isEnum() && !chronicleTyped(t)) {
                kind = Kind.ENUM;
                of = t;
            } else if (chronicleOwns(t)) {
                kind = Kind.WIRE;
                of = t;
            } else {
                kind = BOXED.get(t);
                if (kind == null) {
                    return null;
                }
            }
            return new Slot(Arrays.copyOf(key.buf, key.pos), U.objectFieldOffset(f), kind, of, SET_TYPES.contains(t));
        }

        /**
         * Whether a field of type {@code t} is left to Chronicle Wire's {@code ValueOut.object(t, value)}
         * and {@code ValueIn.object(t)}: value types whose form Chronicle owns (the final
         * {@code java.time} classes, such as {@code Instant}, {@code LocalDate}, {@code ZonedDateTime} and
         * {@code Duration}; {@code UUID}; {@code BigDecimal}; {@code BigInteger}; the arrays of
         * {@link #ARRAYS}), which it writes and reads the same way in a field as on their own, as
         * {@code TypedCodecTest} checks with Chronicle as the oracle (collections and maps are not: its
         * marshaller writes their items with the field's generic type).
         */
        private static boolean chronicleOwns(final Class<?> t) {
            return t.getName().startsWith("java.time.") && Modifier.isFinal(t.getModifiers()) && !t.isEnum()
                || t == UUID.class || t == BigDecimal.class || t == BigInteger.class || ARRAYS.contains(t);
        }

        /** An enum Chronicle Wire marshals its own way (a dynamic enum, a marshallable one). */
        private static boolean chronicleTyped(final Class<?> c) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().startsWith("net.openhft.")) {
                    return true;
                }
            }
            return false;
        }

        private static boolean hasStringKeys(final Type generic) {
            if (!(generic instanceof ParameterizedType)) {
                return false;
            }
            final Type key = ((ParameterizedType) generic).getActualTypeArguments()[0];
            return key == String.class || key == CharSequence.class;
        }

        private static boolean isDataClass(final Class<?> c) {
            return SelfDescribingMarshallable.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers());
        }

        private static Class<?> elementClass(final Type generic) {
            if (generic instanceof ParameterizedType) {
                final Type[] args = ((ParameterizedType) generic).getActualTypeArguments();
                if (args.length == 1 && args[0] instanceof Class) {
                    return (Class<?>) args[0];
                }
            }
            return null;
        }

        private static byte[] ascii(final String s) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) >= 0x80) {
                    return null;
                }
            }
            return s.getBytes(StandardCharsets.US_ASCII);
        }
    }

    private TypedCodec() {
    }

    /** Plans by the type name in the bytes: for reads that do not name the class (JSON, tools). */
    private static final Map<String, Plan> BY_NAME = new ConcurrentHashMap<>();
    private static final int BY_NAME_MAX = 1024;

    /**
     * The plan of the class named by the type prefix at {@code from}, or null if the bytes have none,
     * the class is not on this classpath or has no plan.
     */
    static Plan planNamed(final byte[] b, final int from) {
        if (b.length - from < 2 || (b[from] & 0xFF) != TYPE_PREFIX) {
            return null;
        }
        final TreeCodec.Reader r = TreeCodec.READERS.get();
        r.pos = from + 1;
        try {
            final int n = r.stopBit(b, b.length);
            TreeCodec.check(r.pos + n, b.length);
            final String name = new String(b, r.pos, n, StandardCharsets.UTF_8);
            Plan p = BY_NAME.get(name);
            if (p == null) {
                Plan found;
                try {
                    found = PLANS.get(ClassAliasPool.CLASS_ALIASES.forName(name));
                } catch (RuntimeException | LinkageError e) {
                    found = NONE; // not on this classpath: Chronicle's path says so, or reads it without classes
                }
                p = found;
                if (BY_NAME.size() < BY_NAME_MAX) {
                    BY_NAME.put(name, p);
                }
            }
            return p == NONE ? null : p;
        } catch (TreeCodec.Unsupported e) {
            return null;
        }
    }

    /** The plan of {@code c}, or null if it has none. */
    static Plan plan(final Class<?> c) {
        final Plan p = PLANS.get(c);
        return p == NONE ? null : p;
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes {@code value} if its class has a plan.
     *
     * @return false if it has none (nothing written)
     * @throws TreeCodec.Unsupported if a value in it is outside the plan ({@code out} is then partly written)
     */
    static boolean write(final Object value, final TreeCodec.Out out) {
        final Plan p = plan(value.getClass());
        if (p == null) {
            return false;
        }
        out.put(p.prefix);
        fields(value, p, out, 0);
        return true;
    }

    private static void fields(final Object o, final Plan p, final TreeCodec.Out out, final int depth) {
        if (depth > MAX_DEPTH) {
            throw TreeCodec.Unsupported.INSTANCE;
        }
        final int lengthAt = TreeCodec.open(out);
        for (Slot s : p.slots) {
            s.putKey(out);
            switch (s.kind) {
                case LONG:
                    integer(U.readLong(o, s.offset), out);
                    break;
                case INT:
                    integer(U.readInt(o, s.offset), out);
                    break;
                case SHORT:
                    integer(U.readShort(o, s.offset), out);
                    break;
                case BYTE:
                    integer(U.readByte(o, s.offset), out);
                    break;
                case DOUBLE:
                    real(U.readDouble(o, s.offset), out);
                    break;
                case FLOAT:
                    out.float32(U.readFloat(o, s.offset));
                    break;
                case BOOLEAN:
                    out.put(U.readByte(o, s.offset) != 0 ? TRUE : FALSE);
                    break;
                case CHAR: {
                    final char c = UnsafeMemory.unsafeGetChar(o, s.offset);
                    string(c == NO_CHAR ? null : String.valueOf(c), out);
                    break;
                }
                case STRING:
                    string(U.<Object>getObject(o, s.offset), out);
                    break;
                case STRINGS:
                case OBJECTS:
                case VALUES:
                    list(U.<Object>getObject(o, s.offset), s, out, depth);
                    break;
                case OBJECT:
                    object(U.<Object>getObject(o, s.offset), s.type, out, depth);
                    break;
                case WIRE:
                    byChronicle(U.<Object>getObject(o, s.offset), s.type, out);
                    break;
                default:
                    reference(U.<Object>getObject(o, s.offset), s.kind, out, depth);
                    break;
            }
        }
        TreeCodec.close(out, lengthAt);
    }

    /** A map, an enum or a boxed value: null, or its form. */
    private static void reference(final Object value, final Kind kind, final TreeCodec.Out out, final int depth) {
        if (value == null) {
            out.put(NULL);
            return;
        }
        switch (kind) {
            case MAP:
                if (((Map<?, ?>) value).isEmpty()) {
                    out.put(EMPTY_FIELD_MAP);
                } else {
                    TreeCodec.write(value, out, depth + 1); // JSON-like values, string keys, or Unsupported
                }
                break;
            case ENUM:
                TreeCodec.text(((Enum<?>) value).name(), out, false);
                break;
            case BOXED_DOUBLE:
                real((Double) value, out);
                break;
            case BOXED_FLOAT:
                out.float32((Float) value);
                break;
            case BOXED_BOOLEAN:
                out.put((Boolean) value ? TRUE : FALSE);
                break;
            default:
                integer(((Number) value).longValue(), out); // Long, Integer, Short, Byte
                break;
        }
    }

    private static void list(final Object value, final Slot s, final TreeCodec.Out out, final int depth) {
        if (value == null) {
            out.put(NULL);
            return;
        }
        final int lengthAt = TreeCodec.open(out);
        for (Object item : (Collection<?>) value) {
            if (s.kind == Kind.STRINGS) {
                string(item, out);
            } else if (s.kind == Kind.OBJECTS) {
                object(item, s.type, out, depth);
            } else if (item == null || s.type.isInstance(item)) {
                if (s.element.kind == Kind.WIRE) {
                    byChronicle(item, s.type, out);
                } else {
                    reference(item, s.element.kind, out, depth);
                }
            } else {
                throw TreeCodec.Unsupported.INSTANCE; // an unchecked list holding another type: Chronicle types it
            }
        }
        TreeCodec.close(out, lengthAt);
    }

    private static void object(final Object value, final Class<?> declared, final TreeCodec.Out out,
                               final int depth) {
        if (value == null) {
            out.put(NULL);
            return;
        }
        final Plan p = value.getClass() == declared ? plan(declared) : null;
        if (p == null) {
            throw TreeCodec.Unsupported.INSTANCE; // a subclass needs a type prefix: Chronicle's path writes it
        }
        fields(value, p, out, depth + 1);
    }

    /** A per-thread Chronicle Wire over its own bytes, for the values of {@link Kind#WIRE} fields. */
    private static final class ChronicleWire {
        final Bytes<?> bytes = Bytes.allocateElasticOnHeap(64);
        final Wire wire = WireType.BINARY_LIGHT.apply(bytes);
        /** In use by a caller up the stack. */
        private boolean busy;

        /** This thread's, emptied and marked in use; a new one if a caller up the stack is using it. */
        static ChronicleWire acquire() {
            ChronicleWire c = CHRONICLE_WIRES.get();
            if (c.busy) {
                c = new ChronicleWire(); // a value whose writing or reading goes through this path again
            }
            c.busy = true;
            c.bytes.clear();
            return c;
        }

        void release() {
            busy = false;
        }
    }

    private static final ThreadLocal<ChronicleWire> CHRONICLE_WIRES = ThreadLocal.withInitial(ChronicleWire::new);

    /** A {@link Kind#WIRE} field's value, as Chronicle Wire's marshaller writes an object field of its type. */
    private static void byChronicle(final Object value, final Class<?> declared, final TreeCodec.Out out) {
        if (value == null) {
            out.put(NULL);
            return;
        }
        final ChronicleWire c = ChronicleWire.acquire();
        try {
            c.wire.getValueOut().object(declared, value);
            final int n = (int) c.bytes.readRemaining();
            out.ensure(n);
            c.bytes.read(out.buf, out.pos, n);
            out.pos += n;
        } catch (RuntimeException e) {
            throw TreeCodec.Unsupported.INSTANCE; // Chronicle's whole-object path reports it
        } finally {
            c.release();
        }
    }

    /**
     * A string as UTF-8. Chronicle Wire writes a character outside the Basic Multilingual Plane as two
     * 3-byte surrogates (and fails on the 4-byte UTF-8 form): a string holding one goes its way.
     */
    private static void string(final Object value, final TreeCodec.Out out) {
        if (value == null) {
            out.put(NULL);
        } else if (value instanceof String) {
            final String s = (String) value;
            if (!TreeCodec.text(s, out, false) && hasSurrogate(s)) {
                throw TreeCodec.Unsupported.INSTANCE;
            }
        } else {
            throw TreeCodec.Unsupported.INSTANCE; // a raw or unchecked list holding something else
        }
    }

    private static boolean hasSurrogate(final String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** An integer in the smallest fixed-size code that holds it, as Chronicle's binary wire writes it. */
    private static void integer(final long v, final TreeCodec.Out out) {
        out.ensure(WireInts.MAX_LENGTH);
        out.pos = WireInts.put(out.buf, out.pos, v);
    }

    /** A double: as an integer if it is one (not -0.0), as a float if that is exact, else in 8 bytes. */
    private static void real(final double d, final TreeCodec.Out out) {
        final long whole = (long) d;
        if (whole == d && Math.abs(whole) <= Integer.MAX_VALUE && Double.doubleToRawLongBits(d) != NEGATIVE_ZERO) {
            integer(whole, out);
            return;
        }
        final float f = (float) d;
        if (f == d) { // false for NaN, whose bits are then kept exactly
            out.float32(f);
        } else {
            out.float64(d);
        }
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads the object of class {@code p.type} in {@code b} from {@code from} to the end.
     *
     * @throws TreeCodec.Unsupported if the bytes are not that class's plan (another class, Chronicle's
     *                               own number forms, fields in another order): read them with Chronicle
     */
    static Object read(final byte[] b, final int from, final Plan p) {
        final byte[] prefix = p.prefix;
        if (b.length - from < prefix.length || !Arrays.equals(b, from, from + prefix.length, prefix, 0, prefix.length)) {
            throw TreeCodec.Unsupported.INSTANCE;
        }
        final TreeCodec.Reader r = TreeCodec.READERS.get();
        r.pos = from + prefix.length;
        final Object o = fields(b, b.length, p, r, 0);
        if (r.pos != b.length) {
            throw TreeCodec.Unsupported.INSTANCE;
        }
        return o;
    }

    private static Object fields(final byte[] b, final int end, final Plan p, final TreeCodec.Reader r,
                                 final int depth) {
        final int stop = open(b, end, r, depth);
        final int at = r.pos;
        final Object o = ObjectUtils.newInstance(p.type); // runs its constructor, which might decode too
        r.pos = at;
        for (Slot s : p.slots) {
            final int k = r.pos;
            if (!s.keyAt(b, k, stop)) {
                throw TreeCodec.Unsupported.INSTANCE;
            }
            r.pos = k + s.key.length;
            if (readLeaf(b, stop, o, s, r)) {
                continue;
            }
            switch (s.kind) {
                case STRINGS:
                case OBJECTS:
                case VALUES:
                    U.putObject(o, s.offset, list(b, stop, r, s, U.<Object>getObject(o, s.offset), depth));
                    break;
                case OBJECT:
                    U.putObject(o, s.offset, object(b, stop, r, s.type, depth));
                    break;
                case WIRE:
                    U.putObject(o, s.offset, byChronicle(b, stop, r, s.type));
                    break;
                default:
                    U.putObject(o, s.offset, reference(b, stop, r, s, U.<Object>getObject(o, s.offset), depth));
                    break;
            }
        }
        if (r.pos != stop) {
            throw TreeCodec.Unsupported.INSTANCE;
        }
        return o;
    }

    /** Whether a field of this kind is a leaf: a primitive, a string, a boxed value or an enum constant. */
    static boolean isLeaf(final Kind kind) {
        switch (kind) {
            case STRINGS:
            case OBJECTS:
            case VALUES:
            case OBJECT:
            case WIRE:
            case MAP:
                return false;
            default:
                return true;
        }
    }

    /**
     * Reads the value at the reader's position into field {@code s} of {@code o} if the field is a
     * {@link #isLeaf leaf}.
     *
     * @return false if it is not (nothing read)
     */
    static boolean readLeaf(final byte[] b, final int end, final Object o, final Slot s, final TreeCodec.Reader r) {
        switch (s.kind) {
            case LONG:
                U.writeLong(o, s.offset, integer(b, end, r));
                return true;
            case INT:
                U.writeInt(o, s.offset, (int) narrow(integer(b, end, r), Integer.MIN_VALUE, Integer.MAX_VALUE));
                return true;
            case SHORT:
                U.writeShort(o, s.offset, (short) narrow(integer(b, end, r), Short.MIN_VALUE, Short.MAX_VALUE));
                return true;
            case BYTE:
                U.writeByte(o, s.offset, (byte) narrow(integer(b, end, r), Byte.MIN_VALUE, Byte.MAX_VALUE));
                return true;
            case DOUBLE:
                U.writeDouble(o, s.offset, real(b, end, r));
                return true;
            case FLOAT:
                U.writeFloat(o, s.offset, (float) real(b, end, r));
                return true;
            case BOOLEAN:
                U.writeByte(o, s.offset, bool(b, end, r) ? (byte) 1 : (byte) 0);
                return true;
            case CHAR: {
                final String c = string(b, end, r);
                UnsafeMemory.unsafePutChar(o, s.offset, c == null || c.isEmpty() ? NO_CHAR : c.charAt(0));
                return true;
            }
            case STRING:
                U.putObject(o, s.offset, string(b, end, r));
                return true;
            default:
                if (!isLeaf(s.kind)) {
                    return false;
                }
                U.putObject(o, s.offset, reference(b, end, r, s, null, 0)); // a boxed value or an enum constant
                return true;
        }
    }

    /**
     * A {@link Kind#WIRE} field's value, read by Chronicle Wire as its marshaller reads an object field:
     * from a per-thread copy of the rest of the object when that is short (a wire made over the array
     * itself costs more than the value), else from a wire over the array (no copy that grows with the
     * object for every such field).
     */
    private static Object byChronicle(final byte[] b, final int end, final TreeCodec.Reader r, final Class<?> type) {
        if (isNull(b, end, r)) {
            return null;
        }
        final int rest = end - r.pos;
        if (rest > COPY_MAX) {
            final Bytes<byte[]> bytes = Bytes.wrapForRead(b);
            bytes.readPositionRemaining(r.pos, rest);
            final Object value = byChronicle(WireType.BINARY_LIGHT.apply(bytes), type);
            r.pos = (int) bytes.readPosition();
            return value;
        }
        final ChronicleWire c = ChronicleWire.acquire();
        try {
            c.bytes.write(b, r.pos, rest);
            final Object value = byChronicle(c.wire, type);
            r.pos += (int) c.bytes.readPosition();
            return value;
        } finally {
            c.release();
        }
    }

    /** One value of {@code type} read by Chronicle Wire from {@code wire}. */
    private static Object byChronicle(final Wire wire, final Class<?> type) {
        final Object value;
        try {
            value = wire.getValueIn().object(type);
        } catch (RuntimeException e) {
            throw TreeCodec.Unsupported.INSTANCE; // Chronicle's whole-object path reports it
        }
        if (value != null && !type.isInstance(value)) {
            throw TreeCodec.Unsupported.INSTANCE;
        }
        return value;
    }

    /** Reads a {@code BYTES_LENGTH32 len} header; returns where its content stops. */
    private static int open(final byte[] b, final int end, final TreeCodec.Reader r, final int depth) {
        TreeCodec.check(r.pos + 1, end);
        if ((b[r.pos] & 0xFF) != BYTES_LENGTH32 || depth > MAX_DEPTH) {
            throw TreeCodec.Unsupported.INSTANCE;
        }
        return r.open(b, end);
    }

    /** A map, an enum or a boxed value. */
    private static Object reference(final byte[] b, final int end, final TreeCodec.Reader r, final Slot s,
                                    final Object existing, final int depth) {
        if (isNull(b, end, r)) {
            return null;
        }
        switch (s.kind) {
            case MAP:
                return map(b, end, r, existing, depth);
            case WIRE: // a list's item
                return byChronicle(b, end, r, s.type);
            case ENUM: {
                final String name = string(b, end, r);
                final Object constant = name == null ? null : s.constants.get(name);
                if (constant == null) {
                    throw TreeCodec.Unsupported.INSTANCE; // not a constant of this version: Chronicle decides
                }
                return constant;
            }
            case BOXED_LONG:
                return integer(b, end, r);
            case BOXED_INT:
                return (int) narrow(integer(b, end, r), Integer.MIN_VALUE, Integer.MAX_VALUE);
            case BOXED_SHORT:
                return (short) narrow(integer(b, end, r), Short.MIN_VALUE, Short.MAX_VALUE);
            case BOXED_BYTE:
                return (byte) narrow(integer(b, end, r), Byte.MIN_VALUE, Byte.MAX_VALUE);
            case BOXED_DOUBLE:
                return real(b, end, r);
            case BOXED_FLOAT:
                return (float) real(b, end, r);
            default:
                return bool(b, end, r);
        }
    }

    /**
     * A map field: read as {@link TreeCodec} reads a map, into the field's map from the constructor if it
     * has one (Chronicle Wire reuses it too: a {@code TreeMap} stays sorted), else into a new
     * {@code LinkedHashMap}, as Chronicle makes.
     */
    private static Object map(final byte[] b, final int end, final TreeCodec.Reader r, final Object existing,
                              final int depth) {
        final int p = r.pos;
        final Object read;
        if (end - p >= EMPTY_FIELD_MAP.length && Arrays.equals(b, p, p + EMPTY_FIELD_MAP.length, EMPTY_FIELD_MAP, 0,
            EMPTY_FIELD_MAP.length)) {
            r.pos = p + EMPTY_FIELD_MAP.length;
            read = Map.of();
        } else {
            read = r.value(b, end, depth + 1);
            if (!(read instanceof Map)) {
                throw TreeCodec.Unsupported.INSTANCE;
            }
        }
        @SuppressWarnings("unchecked")
        final Map<Object, Object> target = existing instanceof Map ? (Map<Object, Object>) existing : new LinkedHashMap<>();
        target.clear();
        target.putAll((Map<?, ?>) read);
        return target;
    }

    /**
     * A list field, read into the collection the constructor made if it has one, as Chronicle Wire reads
     * it (a {@code Set} there stays a set), else into a new {@code ArrayList}.
     */
    private static Object list(final byte[] b, final int end, final TreeCodec.Reader r, final Slot s,
                               final Object existing, final int depth) {
        if (isNull(b, end, r)) {
            return null;
        }
        final int stop = open(b, end, r, depth);
        final boolean direct = existing != null && existing.getClass() == ArrayList.class; // the common case
        @SuppressWarnings("unchecked")
        final List<Object> list = direct ? (List<Object>) existing : new ArrayList<>();
        list.clear();
        while (r.pos < stop) {
            list.add(s.kind == Kind.STRINGS ? string(b, stop, r)
                : s.kind == Kind.OBJECTS ? object(b, stop, r, s.type, depth)
                : reference(b, stop, r, s.element, null, depth));
        }
        if (direct) {
            return list;
        }
        if (!(existing instanceof Collection)) {
            if (s.setField) {
                throw TreeCodec.Unsupported.INSTANCE; // no set to read into: Chronicle Wire chooses one
            }
            return list;
        }
        @SuppressWarnings("unchecked")
        final Collection<Object> target = (Collection<Object>) existing;
        try {
            target.clear();
            target.addAll(list);
        } catch (UnsupportedOperationException e) {
            throw TreeCodec.Unsupported.INSTANCE; // an immutable one: Chronicle Wire decides
        }
        return target;
    }

    private static Object object(final byte[] b, final int end, final TreeCodec.Reader r, final Class<?> type,
                                 final int depth) {
        if (isNull(b, end, r)) {
            return null;
        }
        final Plan p = plan(type);
        if (p == null) {
            throw TreeCodec.Unsupported.INSTANCE;
        }
        return fields(b, end, p, r, depth + 1);
    }

    private static boolean isNull(final byte[] b, final int end, final TreeCodec.Reader r) {
        TreeCodec.check(r.pos + 1, end);
        if ((b[r.pos] & 0xFF) == NULL) {
            r.pos++;
            return true;
        }
        return false;
    }

    private static String string(final byte[] b, final int end, final TreeCodec.Reader r) {
        final int p = r.pos;
        TreeCodec.check(p + 1, end);
        final int code = b[p] & 0xFF;
        final int n;
        if (code >= STRING_0) {
            n = code - STRING_0;
            r.pos = p + 1;
        } else if (code == STRING_ANY) {
            r.pos = p + 1;
            n = r.stopBit(b, end);
        } else if (code == NULL) {
            r.pos = p + 1;
            return null;
        } else {
            throw TreeCodec.Unsupported.INSTANCE;
        }
        final int from = r.pos;
        TreeCodec.check(from + n, end);
        r.pos = from + n;
        if (hasSurrogateBytes(b, from, n)) {
            throw TreeCodec.Unsupported.INSTANCE; // Chronicle's 3-byte surrogates: not UTF-8, its reader's
        }
        return r.string(b, from, n, false);
    }

    /** Whether UTF-8 bytes hold a surrogate's 3-byte form ({@code ED A0..BF}), 8 ASCII bytes at a time. */
    private static boolean hasSurrogateBytes(final byte[] b, final int from, final int n) {
        final int stop = from + n;
        int i = from;
        for (; i + Long.BYTES <= stop; i += Long.BYTES) {
            if (((long) LONG.get(b, i) & 0x8080_8080_8080_8080L) != 0) {
                break;
            }
        }
        for (; i < stop - 1; i++) {
            if (b[i] == (byte) 0xED && (b[i + 1] & 0xFF) >= 0xA0) {
                return true;
            }
        }
        return false;
    }

    private static boolean bool(final byte[] b, final int end, final TreeCodec.Reader r) {
        TreeCodec.check(r.pos + 1, end);
        final int code = b[r.pos++] & 0xFF;
        if (code == TRUE || code == FALSE) {
            return code == TRUE;
        }
        throw TreeCodec.Unsupported.INSTANCE;
    }

    private static long narrow(final long v, final long min, final long max) {
        if (v < min || v > max) {
            throw TreeCodec.Unsupported.INSTANCE;
        }
        return v;
    }

    /** An integer in any fixed-size code, or a float or double holding a whole number (Chronicle writes some so). */
    private static long integer(final byte[] b, final int end, final TreeCodec.Reader r) {
        final int p = r.pos;
        TreeCodec.check(p + 1, end);
        final int code = b[p] & 0xFF;
        final int n = WireInts.length(code);
        if (n != 0) {
            TreeCodec.check(p + n, end);
            r.pos = p + n;
            return WireInts.get(b, p);
        }
        if (code != FLOAT32 && code != FLOAT64) {
            throw TreeCodec.Unsupported.INSTANCE;
        }
        final double d = real(b, end, r);
        final long whole = (long) d;
        if (whole != d || whole == Long.MAX_VALUE || whole == Long.MIN_VALUE) {
            throw TreeCodec.Unsupported.INSTANCE;
        }
        return whole;
    }

    /** A number in any fixed-size code, as a double. */
    private static double real(final byte[] b, final int end, final TreeCodec.Reader r) {
        final int p = r.pos;
        TreeCodec.check(p + 1, end);
        switch (b[p] & 0xFF) {
            case FLOAT64:
                TreeCodec.check(p + 9, end);
                r.pos = p + 9;
                return Double.longBitsToDouble((long) LONG.get(b, p + 1));
            case FLOAT32:
                TreeCodec.check(p + 5, end);
                r.pos = p + 5;
                return Float.intBitsToFloat((int) INT.get(b, p + 1));
            case INT64: {
                final long v = integer(b, end, r);
                if ((long) (double) v != v) {
                    throw TreeCodec.Unsupported.INSTANCE; // not exact as a double: Chronicle decides
                }
                return v;
            }
            default:
                return integer(b, end, r);
        }
    }

    // ---------------------------------------------------------------- kept and patched by TreeCache

    /**
     * Walks the bytes of {@code o}, the object of plan {@code p} decoded from the container at the
     * reader's position, telling {@code leaves} where each container (its own, its data objects' and
     * lists') and each leaf lies: a leaf field ({@link TreeCache#FIELD},
     * the holder {@code o} and the field's number in the plan) or a string in a list of strings
     * ({@link TreeCache#ITEM}, the list and the string's place).
     *
     * @return false if the object's plan is not {@link Plan#patchable}, or the object does not match its
     *         bytes field for field
     */
    static boolean index(final byte[] b, final int end, final Object o, final Plan p, final TreeCodec.Reader r,
                         final TreeCache.Leaves leaves) {
        if (!p.patchable || o.getClass() != p.type || r.pos >= end || (b[r.pos] & 0xFF) != BYTES_LENGTH32) {
            return false;
        }
        final int stop = TreeCache.open(b, end, r, leaves);
        final Slot[] slots = p.slots;
        for (int i = 0; i < slots.length; i++) {
            final Slot s = slots[i];
            if (!s.keyAt(b, r.pos, stop)) {
                return false;
            }
            final int start = r.pos + s.key.length;
            r.pos = start;
            if (isLeaf(s.kind)) {
                if (!TreeCache.leaf(b, stop, r, leaves, o, i, TreeCache.FIELD)) {
                    return false;
                }
                continue;
            }
            final Object v = U.getObject(o, s.offset);
            if (v == null) {
                if (start >= stop || (b[start] & 0xFF) != NULL) {
                    return false;
                }
                r.pos = start + 1;
            } else if (s.kind == Kind.OBJECT) {
                final Plan q = plan(v.getClass());
                if (q == null || !index(b, stop, v, q, r, leaves)) {
                    return false;
                }
            } else if (!indexList(b, stop, s, v, r, leaves)) {
                return false;
            }
        }
        return r.pos == stop;
    }

    private static boolean indexList(final byte[] b, final int end, final Slot s, final Object v,
                                     final TreeCodec.Reader r, final TreeCache.Leaves leaves) {
        if (v.getClass() != ArrayList.class || r.pos >= end || (b[r.pos] & 0xFF) != BYTES_LENGTH32) {
            return false; // another collection: its copy could not be made as the decoder makes it
        }
        final ArrayList<?> list = (ArrayList<?>) v;
        final int stop = TreeCache.open(b, end, r, leaves);
        int j = 0;
        for (; r.pos < stop; j++) {
            if (j >= list.size()) {
                return false;
            }
            final Object item = list.get(j);
            if (s.kind == Kind.STRINGS) {
                if (!TreeCache.leaf(b, stop, r, leaves, list, j, TreeCache.ITEM)) {
                    return false;
                }
            } else if (item == null) {
                if ((b[r.pos] & 0xFF) != NULL) {
                    return false;
                }
                r.pos++;
            } else {
                final Plan q = plan(item.getClass());
                if (q == null || !index(b, stop, item, q, r, leaves)) {
                    return false;
                }
            }
        }
        return j == list.size();
    }

    /** Reads a string of a list of strings at the reader's position, as the decoder does. */
    static String stringItem(final byte[] b, final int end, final TreeCodec.Reader r) {
        return string(b, end, r);
    }

    /**
     * A copy of {@code o}, an object of the {@link Plan#patchable} plan {@code p} that {@link #index} walked,
     * as the decoder would make it from the same bytes: a new instance (its constructor run), its
     * primitives copied, its strings, boxes and enum constants shared (immutable), its data objects
     * copied, its lists filled into the list the constructor made (or a new {@code ArrayList}).
     *
     * @throws TreeCodec.Unsupported if the constructor made a list of another class than before
     */
    static Object copy(final Object o, final Plan p) {
        final Object n = ObjectUtils.newInstance(p.type); // runs its constructor, as the decoder does
        for (Slot s : p.slots) {
            final long off = s.offset;
            switch (s.kind) {
                case LONG:
                case DOUBLE:
                    U.writeLong(n, off, U.readLong(o, off));
                    break;
                case INT:
                case FLOAT:
                    U.writeInt(n, off, U.readInt(o, off));
                    break;
                case SHORT:
                case CHAR:
                    U.writeShort(n, off, U.readShort(o, off));
                    break;
                case BYTE:
                case BOOLEAN:
                    U.writeByte(n, off, U.readByte(o, off));
                    break;
                case OBJECT: {
                    final Object v = U.getObject(o, off);
                    U.putObject(n, off, v == null ? null : copy(v, plan(v.getClass())));
                    break;
                }
                case STRINGS:
                case OBJECTS:
                    U.putObject(n, off, copyList(U.getObject(o, off), U.getObject(n, off), s.kind == Kind.OBJECTS));
                    break;
                default: // a string, a boxed value, an enum constant: immutable
                    U.putObject(n, off, U.getObject(o, off));
                    break;
            }
        }
        return n;
    }

    private static Object copyList(final Object from, final Object existing, final boolean objects) {
        if (from == null) {
            return null;
        }
        final ArrayList<?> items = (ArrayList<?>) from;
        final ArrayList<Object> to;
        if (existing == null) {
            to = new ArrayList<>(items.size());
        } else if (existing.getClass() == ArrayList.class) {
            @SuppressWarnings("unchecked")
            final ArrayList<Object> made = (ArrayList<Object>) existing;
            to = made;
            to.clear();
        } else {
            throw TreeCodec.Unsupported.INSTANCE;
        }
        for (int i = 0, n = items.size(); i < n; i++) {
            final Object item = items.get(i);
            to.add(objects && item != null ? copy(item, plan(item.getClass())) : item);
        }
        return to;
    }
}
