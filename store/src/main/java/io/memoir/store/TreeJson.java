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
import java.util.Arrays;

/**
 * The fast path of {@code getJson} for JSON-like trees: the JSON text {@link Json#write} gives for the
 * tree {@link TreeCodec} reads, written straight from the binary form, with no tree in between. Strings
 * stay UTF-8 bytes (copied whole when nothing in them needs an escape), numbers are written digit by
 * digit, and the text becomes a string once, Latin-1 when it is all ASCII. Anything else (a typed
 * object, a code it does not know) makes it give up with {@link TreeCodec.Unsupported}, and
 * {@link ObjectCodec} takes the way through the tree.
 */
final class TreeJson {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class,
        ByteOrder.LITTLE_ENDIAN);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LONG_MIN = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);
    private static final ThreadLocal<TreeJson> WRITERS = ThreadLocal.withInitial(TreeJson::new);
    /** Text of more bytes than this is not kept in the thread's buffer after the call. */
    private static final int KEPT_MAX = 1 << 16;

    private byte[] buf = new byte[1024];
    private int n;
    /** Whether every byte written so far is ASCII. */
    private boolean ascii;
    /** The thread's tree reader, for its position and its readers of headers, during a call. */
    private TreeCodec.Reader in;
    private final byte[] digits = new byte[20];

    private TreeJson() {
    }

    /**
     * The JSON text of the one value in {@code b} from {@code from} to the end.
     *
     * @throws TreeCodec.Unsupported if it is not a JSON-like tree in {@link TreeCodec}'s encoding
     */
    static String write(final byte[] b, final int from) {
        final TreeJson w = WRITERS.get();
        w.n = 0;
        w.ascii = true;
        w.in = TreeCodec.READERS.get();
        w.in.pos = from;
        try {
            w.value(b, b.length, 0);
            if (w.in.pos != b.length) {
                throw TreeCodec.Unsupported.INSTANCE;
            }
            return new String(w.buf, 0, w.n, w.ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        } finally {
            if (w.buf.length > KEPT_MAX) {
                w.buf = new byte[1024];
            }
        }
    }

    private void value(final byte[] b, final int end, final int depth) {
        final TreeCodec.Reader r = in;
        if (r.pos >= end || depth > TreeCodec.MAX_DEPTH) {
            throw TreeCodec.Unsupported.INSTANCE;
        }
        final int p = r.pos;
        final int code = b[p] & 0xFF;
        if (code >= STRING_0) {
            final int len = code - STRING_0;
            TreeCodec.check(p + 1 + len, end);
            r.pos = p + 1 + len;
            string(b, p + 1, len, false);
            return;
        }
        switch (code) {
            case STRING_ANY: {
                r.pos = p + 1;
                final int len = r.stopBit(b, end);
                TreeCodec.check(r.pos + len, end);
                string(b, r.pos, len, false);
                r.pos += len;
                return;
            }
            case INT64:
                TreeCodec.check(p + 9, end);
                r.pos = p + 9;
                number((long) LONG.get(b, p + 1));
                return;
            case INT32:
                TreeCodec.check(p + 5, end);
                r.pos = p + 5;
                number((int) INT.get(b, p + 1));
                return;
            case INT16:
                TreeCodec.check(p + 3, end);
                r.pos = p + 3;
                number((short) SHORT.get(b, p + 1));
                return;
            case INT8:
                TreeCodec.check(p + 2, end);
                r.pos = p + 2;
                number(b[p + 1]);
                return;
            case FLOAT64: {
                TreeCodec.check(p + 9, end);
                r.pos = p + 9;
                final double d = Double.longBitsToDouble((long) LONG.get(b, p + 1));
                real(Double.isFinite(d) ? Json.text(d) : Double.toString(d), Double.isFinite(d));
                return;
            }
            case FLOAT32: {
                TreeCodec.check(p + 5, end);
                r.pos = p + 5;
                final float f = Float.intBitsToFloat((int) INT.get(b, p + 1));
                real(Float.toString(f), Float.isFinite(f));
                return;
            }
            case TRUE:
                r.pos = p + 1;
                word("true");
                return;
            case FALSE:
                r.pos = p + 1;
                word("false");
                return;
            case NULL:
                r.pos = p + 1;
                word("null");
                return;
            case TYPE_PREFIX:
                if (TreeCodec.startsWith(b, p, end, TreeCodec.EMPTY_MAP)) {
                    r.pos = p + TreeCodec.EMPTY_MAP.length;
                    word("{}");
                    return;
                }
                if (TreeCodec.startsWith(b, p, end, TreeCodec.EMPTY_LIST)) {
                    r.pos = p + TreeCodec.EMPTY_LIST.length;
                    word("[]");
                    return;
                }
                throw TreeCodec.Unsupported.INSTANCE;
            case BYTES_LENGTH32:
                container(b, end, depth);
                return;
            default:
                throw TreeCodec.Unsupported.INSTANCE;
        }
    }

    private void container(final byte[] b, final int end, final int depth) {
        final TreeCodec.Reader r = in;
        final int stop = r.open(b, end);
        final boolean map = r.pos < stop && TreeCodec.Reader.isKey(b[r.pos] & 0xFF);
        put(map ? '{' : '[');
        boolean first = true;
        while (r.pos < stop) {
            if (!first) {
                put(',');
            }
            first = false;
            if (map) {
                key(b, stop);
                put(':');
            }
            value(b, stop, depth + 1);
        }
        put(map ? '}' : ']');
    }

    /** A map key: UTF-8 if an {@code EVENT_NAME}, else 8-bit (Latin-1) as Chronicle writes field names. */
    private void key(final byte[] b, final int end) {
        final TreeCodec.Reader r = in;
        final int len = r.keyHeader(b, end);
        string(b, r.pos, len, r.keyLatin1);
        r.pos += len;
    }

    /**
     * A JSON string of the {@code len} bytes at {@code from}: UTF-8, or if {@code latin1}, Latin-1 (made
     * UTF-8 here). Escaped as {@link Json#write} escapes the string they decode to: {@code "}, backslash,
     * the controls below U+0020 and U+007F; bytes of other characters are copied.
     */
    private void string(final byte[] b, final int from, final int len, final boolean latin1) {
        final long room = 2 + 6L * len; // at worst, every byte escaped in six
        if (room > Integer.MAX_VALUE - n - 64) {
            throw TreeCodec.Unsupported.INSTANCE; // too long for one array: the tree's way says why
        }
        ensure((int) room);
        final byte[] out = buf;
        int o = n;
        out[o++] = '"';
        int run = from; // the start of the bytes not copied yet
        final int stop = from + len;
        for (int i = from; i < stop; i++) {
            final int x = b[i];
            if (x >= 0x20 && x != '"' && x != '\\' && x != 0x7f) {
                continue;
            }
            System.arraycopy(b, run, out, o, i - run);
            o += i - run;
            run = i + 1;
            if (x < 0) {
                ascii = false;
                if (latin1) { // the character (x & 0xFF), two bytes of UTF-8
                    out[o++] = (byte) (0xC0 | (x & 0xFF) >>> 6);
                    out[o++] = (byte) (0x80 | x & 0x3F);
                } else {
                    out[o++] = (byte) x;
                }
            } else {
                o = escape(x, out, o);
            }
        }
        System.arraycopy(b, run, out, o, stop - run);
        o += stop - run;
        out[o++] = '"';
        n = o;
    }

    private static int escape(final int c, final byte[] out, final int at) {
        int o = at;
        out[o++] = '\\';
        switch (c) {
            case '"':
            case '\\':
                out[o++] = (byte) c;
                break;
            case '\n':
                out[o++] = 'n';
                break;
            case '\r':
                out[o++] = 'r';
                break;
            case '\t':
                out[o++] = 't';
                break;
            default:
                out[o++] = 'u';
                out[o++] = '0';
                out[o++] = '0';
                out[o++] = HEX[c >>> 4];
                out[o++] = HEX[c & 0xF];
                break;
        }
        return o;
    }

    /** An integer in decimal, as {@link StringBuilder#append(long)} writes it. */
    private void number(final long v) {
        if (v == Long.MIN_VALUE) {
            put(LONG_MIN);
            return;
        }
        ensure(20);
        if (v < 0) {
            buf[n++] = '-';
        }
        long rest = Math.abs(v);
        int d = digits.length;
        do {
            digits[--d] = (byte) ('0' + rest % 10);
            rest /= 10;
        } while (rest != 0);
        System.arraycopy(digits, d, buf, n, digits.length - d);
        n += digits.length - d;
    }

    /** A finite number's text, or a non-finite one's as a JSON string (JSON has no NaN). */
    private void real(final String text, final boolean finite) {
        if (finite) {
            word(text);
        } else {
            put('"');
            word(text);
            put('"');
        }
    }

    /** ASCII text. */
    private void word(final String text) {
        final int len = text.length();
        ensure(len);
        for (int i = 0; i < len; i++) {
            buf[n + i] = (byte) text.charAt(i); // ASCII: each char is its byte
        }
        n += len;
    }

    private void put(final int c) {
        ensure(1);
        buf[n++] = (byte) c;
    }

    private void put(final byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, n, bytes.length);
        n += bytes.length;
    }

    private void ensure(final int more) {
        if (n + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + more));
        }
    }
}
