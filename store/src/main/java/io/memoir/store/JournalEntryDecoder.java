package io.memoir.store;

import static net.openhft.chronicle.wire.BinaryWireCode.BYTES_LENGTH16;
import static net.openhft.chronicle.wire.BinaryWireCode.BYTES_LENGTH32;
import static net.openhft.chronicle.wire.BinaryWireCode.BYTES_LENGTH8;
import static net.openhft.chronicle.wire.BinaryWireCode.INT32;
import static net.openhft.chronicle.wire.BinaryWireCode.STRING_0;
import static net.openhft.chronicle.wire.BinaryWireCode.STRING_ANY;
import static net.openhft.chronicle.wire.BinaryWireCode.U8_ARRAY;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.openhft.chronicle.bytes.Bytes;

/**
 * The fast path of {@link JournalReader}: reads an entry as Memoir writes it (journal format 1, the
 * fields in their order, names as Chronicle Wire writes short field names, numbers in the compact
 * forms Chronicle's binary wire gives them) from one copy of the document's bytes, instead of asking
 * Chronicle Wire for each field by name. About twice as fast, and the tag strings are reused. Anything
 * else (an older entry with fields it does not expect, another encoding of a number, a long tag)
 * makes it give up, and the reader decodes the entry through Chronicle Wire by field name.
 * Not thread-safe: one per reader.
 */
final class JournalEntryDecoder {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final Op[] OPS = Op.values();
    private static final byte[][] OP_NAMES = new byte[OPS.length][];
    /** Texts up to this many bytes have a {@code STRING_0+n} code; longer tags {@code STRING_ANY} and a length. */
    private static final int SHORT_TEXT = 31;
    private static final int TAG_SLOTS = 64;

    static {
        for (int i = 0; i < OPS.length; i++) {
            OP_NAMES[i] = OPS[i].name().getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Gave up: not an entry in the form this decoder reads. Without a stack trace. */
    static final class Unexpected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Unexpected INSTANCE = new Unexpected();

        private Unexpected() {
            super("not a journal entry in the fast path's form", null, false, false);
        }
    }

    private byte[] buf = new byte[256];
    private int pos;
    private int end;
    private final String[] tags = new String[TAG_SLOTS];

    /** What the last {@link #decode} read besides the entry: its checksum, if it had one. */
    boolean hasCrc;
    int crc;

    /**
     * Decodes the document from {@code bytes}' read position to its read limit, leaving both as they
     * were.
     *
     * @throws Unexpected if it is not in the form above
     */
    JournalEntry decode(final long index, final Bytes<?> bytes) {
        final long from = bytes.readPosition();
        final long n = bytes.readLimit() - from;
        if (n > Integer.MAX_VALUE - 8) {
            throw Unexpected.INSTANCE;
        }
        end = (int) n;
        if (buf.length < end) {
            buf = new byte[Math.max(end, 2 * buf.length)];
        }
        if (bytes.read(from, buf, 0, end) != end) {
            throw Unexpected.INSTANCE;
        }
        pos = 0;
        field(JournalFields.TIME_NAME);
        final long time = number();
        field(JournalFields.TAG_NAME);
        final String tag = tag();
        field(JournalFields.OP_NAME);
        final Op op = op();
        field(JournalFields.VERSION_NAME);
        final long version = number();
        field(JournalFields.OFFSET_NAME);
        final long offset = number();
        field(JournalFields.LENGTH_NAME);
        final long length = number();
        field(JournalFields.WRITER_NAME);
        final long writer = number();
        if (length != (int) length || writer != (int) writer) {
            throw Unexpected.INSTANCE;
        }
        field(JournalFields.DATA_NAME);
        final byte[] data = data();
        hasCrc = pos < end;
        if (hasCrc) {
            field(JournalFields.CRC_NAME);
            final long c = number();
            if (c != (int) c) {
                throw Unexpected.INSTANCE;
            }
            crc = (int) c;
        }
        if (pos != end) {
            throw Unexpected.INSTANCE;
        }
        return new JournalEntry(index, time, tag, op, version, offset, (int) length, (int) writer, data);
    }

    /** Expects the field name {@code encoded} (its code and bytes) at the position. */
    private void field(final byte[] encoded) {
        need(encoded.length);
        if (!Arrays.equals(buf, pos, pos + encoded.length, encoded, 0, encoded.length)) {
            throw Unexpected.INSTANCE;
        }
        pos += encoded.length;
    }

    /** A number in one of the integer forms Chronicle's binary wire writes a long in. */
    private long number() {
        need(1);
        final int n = WireInts.length(buf[pos]);
        if (n == 0) {
            throw Unexpected.INSTANCE;
        }
        need(n);
        final long v = WireInts.get(buf, pos);
        pos += n;
        return v;
    }

    /** An ASCII tag, from the cache of tags if it was read before. */
    private String tag() {
        need(1);
        final int code = buf[pos] & 0xFF;
        int n = code - STRING_0;
        int from = pos + 1;
        if (code == STRING_ANY) { // a tag of 32 to 128 characters: a one- or two-byte stop-bit length first
            need(3);
            n = buf[pos + 1];
            from = pos + 2;
            if (n < 0) {
                if (buf[pos + 2] < 0) {
                    throw Unexpected.INSTANCE;
                }
                n = (n & 0x7F) | buf[pos + 2] << 7;
                from = pos + 3;
            }
        } else if (n < 0 || n > SHORT_TEXT) {
            throw Unexpected.INSTANCE;
        }
        if (n > end - from) {
            throw Unexpected.INSTANCE;
        }
        int h = n;
        for (int i = from; i < from + n; i++) {
            final byte c = buf[i];
            if (c < 0) {
                throw Unexpected.INSTANCE; // tags are ASCII; let Chronicle read anything else
            }
            h = 31 * h + c;
        }
        final int slot = (h ^ (h >>> 7)) & (TAG_SLOTS - 1);
        String tag = tags[slot];
        if (tag == null || !sameAscii(tag, from, n)) {
            tag = new String(buf, from, n, StandardCharsets.US_ASCII);
            tags[slot] = tag;
        }
        pos = from + n;
        return tag;
    }

    private boolean sameAscii(final String s, final int from, final int n) {
        if (s.length() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) != buf[from + i]) {
                return false;
            }
        }
        return true;
    }

    private Op op() {
        need(1);
        final int n = (buf[pos] & 0xFF) - STRING_0;
        if (n < 0 || n > SHORT_TEXT) {
            throw Unexpected.INSTANCE;
        }
        need(1 + n);
        final int from = pos + 1;
        for (int i = 0; i < OPS.length; i++) {
            final byte[] name = OP_NAMES[i];
            if (name.length == n && Arrays.equals(buf, from, from + n, name, 0, n)) {
                pos = from + n;
                return OPS[i];
            }
        }
        throw Unexpected.INSTANCE;
    }

    /** Bytes as Chronicle writes a {@code BytesStore}: a length, the {@code U8_ARRAY} code, the bytes. */
    private byte[] data() {
        need(1);
        final int code = buf[pos] & 0xFF;
        final long length;
        final int p;
        switch (code) {
            case BYTES_LENGTH8:
                need(2);
                length = buf[pos + 1] & 0xFFL;
                p = pos + 2;
                break;
            case BYTES_LENGTH16:
                need(3);
                length = (short) SHORT.get(buf, pos + 1) & 0xFFFFL;
                p = pos + 3;
                break;
            case BYTES_LENGTH32:
                need(5);
                length = (int) INT.get(buf, pos + 1) & 0xFFFF_FFFFL;
                p = pos + 5;
                break;
            default:
                throw Unexpected.INSTANCE;
        }
        if (length < 1 || length > end - p || (buf[p] & 0xFF) != U8_ARRAY) {
            throw Unexpected.INSTANCE;
        }
        pos = p + (int) length;
        return Arrays.copyOfRange(buf, p + 1, pos);
    }

    private void need(final int n) {
        if (n > end - pos) {
            throw Unexpected.INSTANCE;
        }
    }
}
