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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fast path of {@link ObjectCodec} for JSON-like trees (maps with string keys, lists, strings,
 * boxed numbers, booleans, null): it writes and reads the subset of Chronicle Wire's binary format
 * those need, directly on a byte array, so Chronicle Wire reads what it writes and the reverse. It is
 * about five times faster than Chronicle's generic path, which looks every value's class up and
 * interns every string. Anything else (a typed object, a date, a byte array, a code it does not know)
 * makes it give up, and {@link ObjectCodec} falls back to Chronicle Wire.
 *
 * <p>Encoding: a map is {@code BYTES_LENGTH32 len (EVENT_NAME key value)*}; a list is
 * {@code BYTES_LENGTH32 len value*}; empty ones carry a {@code !map} or {@code !seq} type prefix,
 * because Chronicle's binary {@code {}} equals its {@code []} and its reader guesses which by peeking
 * at the byte after; numbers keep their boxed type (INT8/16/32/64, FLOAT32/64).
 */
final class TreeCodec {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class,
        ByteOrder.LITTLE_ENDIAN);
    private static final byte[] EMPTY_MAP = {(byte) TYPE_PREFIX, 4, '!', 'm', 'a', 'p', (byte) BYTES_LENGTH32, 0, 0, 0, 0};
    private static final byte[] EMPTY_LIST = {(byte) TYPE_PREFIX, 4, '!', 's', 'e', 'q', (byte) BYTES_LENGTH32, 0, 0, 0, 0};
    private static final int MAX_DEPTH = 512;

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

    /** A growable output buffer, reused per thread. */
    static final class Out {
        byte[] buf = new byte[1024];
        int pos;

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

        void stopBit(final long n) {
            long v = n;
            while ((v & ~0x7FL) != 0) {
                put((int) (v & 0x7F) | 0x80);
                v >>>= 7;
            }
            put((int) v);
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
            final byte[] utf8 = ((String) value).getBytes(StandardCharsets.UTF_8);
            if (utf8.length < 32) {
                out.put(STRING_0 + utf8.length);
            } else {
                out.put(STRING_ANY);
                out.stopBit(utf8.length);
            }
            out.put(utf8);
        } else if (value instanceof Long) {
            out.ensure(9);
            out.buf[out.pos] = (byte) INT64;
            LONG.set(out.buf, out.pos + 1, (long) (Long) value);
            out.pos += 9;
        } else if (value instanceof Integer) {
            out.ensure(5);
            out.buf[out.pos] = (byte) INT32;
            INT.set(out.buf, out.pos + 1, (int) (Integer) value);
            out.pos += 5;
        } else if (value instanceof Double) {
            out.ensure(9);
            out.buf[out.pos] = (byte) FLOAT64;
            LONG.set(out.buf, out.pos + 1, Double.doubleToRawLongBits((Double) value));
            out.pos += 9;
        } else if (value instanceof Boolean) {
            out.put((Boolean) value ? TRUE : FALSE);
        } else if (value instanceof Map) {
            writeMap((Map<?, ?>) value, out, depth);
        } else if (value instanceof List) {
            if (((List<?>) value).isEmpty()) {
                out.put(EMPTY_LIST);
                return;
            }
            final int lengthAt = open(out);
            for (Object item : (List<?>) value) {
                write(item, out, depth + 1);
            }
            close(out, lengthAt);
        } else if (value instanceof Short) {
            out.ensure(3);
            out.buf[out.pos] = (byte) INT16;
            SHORT.set(out.buf, out.pos + 1, (short) (Short) value);
            out.pos += 3;
        } else if (value instanceof Byte) {
            out.put(INT8);
            out.put((Byte) value);
        } else if (value instanceof Float) {
            out.ensure(5);
            out.buf[out.pos] = (byte) FLOAT32;
            INT.set(out.buf, out.pos + 1, Float.floatToRawIntBits((Float) value));
            out.pos += 5;
        } else {
            throw Unsupported.INSTANCE;
        }
    }

    private static void writeMap(final Map<?, ?> map, final Out out, final int depth) {
        if (map.isEmpty()) {
            out.put(EMPTY_MAP);
            return;
        }
        final int lengthAt = open(out);
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String)) {
                throw Unsupported.INSTANCE;
            }
            final byte[] key = ((String) e.getKey()).getBytes(StandardCharsets.UTF_8);
            out.put(EVENT_NAME);
            out.stopBit(key.length);
            out.put(key);
            write(e.getValue(), out, depth + 1);
        }
        close(out, lengthAt);
    }

    private static int open(final Out out) {
        out.ensure(5);
        out.buf[out.pos] = (byte) BYTES_LENGTH32;
        out.pos += 5;
        return out.pos - 4;
    }

    private static void close(final Out out, final int lengthAt) {
        INT.set(out.buf, lengthAt, out.pos - lengthAt - 4);
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads the one value in {@code b} from {@code from} to the end.
     *
     * @throws Unsupported if it is not a JSON-like tree in the encoding above
     */
    static Object read(final byte[] b, final int from) {
        final int[] pos = {from};
        final Object value = value(b, pos, b.length, 0);
        if (pos[0] != b.length) {
            throw Unsupported.INSTANCE;
        }
        return value;
    }

    private static Object value(final byte[] b, final int[] pos, final int end, final int depth) {
        if (pos[0] >= end || depth > MAX_DEPTH) {
            throw Unsupported.INSTANCE;
        }
        final int p = pos[0];
        final int code = b[p] & 0xFF;
        if (code >= STRING_0) {
            final int n = code - STRING_0;
            check(p + 1 + n, end);
            pos[0] = p + 1 + n;
            return new String(b, p + 1, n, StandardCharsets.UTF_8);
        }
        switch (code) {
            case STRING_ANY: {
                pos[0] = p + 1;
                final int n = stopBit(b, pos, end);
                check(pos[0] + n, end);
                final String s = new String(b, pos[0], n, StandardCharsets.UTF_8);
                pos[0] += n;
                return s;
            }
            case INT64:
                check(p + 9, end);
                pos[0] = p + 9;
                return (long) LONG.get(b, p + 1);
            case INT32:
                check(p + 5, end);
                pos[0] = p + 5;
                return (int) INT.get(b, p + 1);
            case INT16:
                check(p + 3, end);
                pos[0] = p + 3;
                return (short) SHORT.get(b, p + 1);
            case INT8:
                check(p + 2, end);
                pos[0] = p + 2;
                return b[p + 1];
            case FLOAT64:
                check(p + 9, end);
                pos[0] = p + 9;
                return Double.longBitsToDouble((long) LONG.get(b, p + 1));
            case FLOAT32:
                check(p + 5, end);
                pos[0] = p + 5;
                return Float.intBitsToFloat((int) INT.get(b, p + 1));
            case TRUE:
                pos[0] = p + 1;
                return Boolean.TRUE;
            case FALSE:
                pos[0] = p + 1;
                return Boolean.FALSE;
            case NULL:
                pos[0] = p + 1;
                return null;
            case TYPE_PREFIX:
                if (startsWith(b, p, end, EMPTY_MAP)) {
                    pos[0] = p + EMPTY_MAP.length;
                    return new LinkedHashMap<>();
                }
                if (startsWith(b, p, end, EMPTY_LIST)) {
                    pos[0] = p + EMPTY_LIST.length;
                    return new ArrayList<>();
                }
                throw Unsupported.INSTANCE;
            case BYTES_LENGTH32:
                return container(b, pos, end, depth);
            default:
                throw Unsupported.INSTANCE;
        }
    }

    private static boolean startsWith(final byte[] b, final int p, final int end, final byte[] prefix) {
        return end - p >= prefix.length && Arrays.equals(b, p, p + prefix.length, prefix, 0, prefix.length);
    }

    private static Object container(final byte[] b, final int[] pos, final int end, final int depth) {
        final int p = pos[0];
        check(p + 5, end);
        final int len = (int) INT.get(b, p + 1);
        final int stop = p + 5 + len;
        if (len < 0) {
            throw Unsupported.INSTANCE;
        }
        check(stop, end);
        pos[0] = p + 5;
        final int first = pos[0] < stop ? b[pos[0]] & 0xFF : -1;
        if (first == EVENT_NAME || first == FIELD_NAME_ANY || (first >= FIELD_NAME0 && first <= FIELD_NAME31)) {
            final Map<String, Object> map = new LinkedHashMap<>();
            while (pos[0] < stop) {
                final String key = key(b, pos, stop);
                map.put(key, value(b, pos, stop, depth + 1));
            }
            return map;
        }
        final List<Object> list = new ArrayList<>();
        while (pos[0] < stop) {
            list.add(value(b, pos, stop, depth + 1));
        }
        return list;
    }

    private static String key(final byte[] b, final int[] pos, final int end) {
        final int code = b[pos[0]] & 0xFF;
        pos[0]++;
        final int n;
        if (code == EVENT_NAME || code == FIELD_NAME_ANY) {
            n = stopBit(b, pos, end);
        } else if (code >= FIELD_NAME0 && code <= FIELD_NAME31) {
            n = code - FIELD_NAME0;
        } else {
            throw Unsupported.INSTANCE;
        }
        check(pos[0] + n, end);
        final String key = new String(b, pos[0], n, StandardCharsets.UTF_8);
        pos[0] += n;
        return key;
    }

    private static int stopBit(final byte[] b, final int[] pos, final int end) {
        long v = 0;
        int shift = 0;
        while (true) {
            check(pos[0] + 1, end);
            final int x = b[pos[0]++];
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                break;
            }
            shift += 7;
            if (shift > 28) {
                throw Unsupported.INSTANCE;
            }
        }
        if (v > Integer.MAX_VALUE) {
            throw Unsupported.INSTANCE;
        }
        return (int) v;
    }

    private static void check(final int needed, final int end) {
        if (needed > end || needed < 0) {
            throw Unsupported.INSTANCE;
        }
    }
}
