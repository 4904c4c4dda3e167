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

/**
 * Writes a journal entry's fields (journal format 1) as Chronicle Wire's binary wire writes them for
 * {@code wire.write(name).int64(v)...}: the field names in their order, numbers in the smallest of its
 * integer forms, the tag and op as text, the data as a length-prefixed byte array, the checksum as a
 * 4-byte integer. Built in one array and appended with one copy, instead of nine calls that each look
 * the field up: the same bytes any Chronicle Wire reader reads ({@link JournalEntryDecoder} reads
 * them back; {@code JournalDecodeTest} compares with Chronicle's own reading). Not thread-safe: one per
 * appender.
 */
final class JournalEntryEncoder {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** Field names, codes and lengths of everything but the tag and the data, with room to spare. */
    private static final int FIXED = 160;

    private byte[] buf = new byte[512];
    private int pos;

    /** The encoded entry: {@link #length()} bytes from 0. */
    byte[] bytes() {
        return buf;
    }

    int length() {
        return pos;
    }

    /** Encodes an entry; the tag and op are ASCII (tags are checked, ops are enum names). */
    void encode(final long time, final String tag, final Op op, final long version, final long offset,
                final int length, final int writer, final byte[] data, final int dataOffset, final int dataLength,
                final int crc) {
        final int need = FIXED + tag.length() + dataLength;
        if (buf.length < need) {
            buf = new byte[Math.max(need, 2 * buf.length)];
        }
        pos = 0;
        name(JournalFields.TIME_NAME);
        number(time);
        name(JournalFields.TAG_NAME);
        text(tag);
        name(JournalFields.OP_NAME);
        text(op.name());
        name(JournalFields.VERSION_NAME);
        number(version);
        name(JournalFields.OFFSET_NAME);
        number(offset);
        name(JournalFields.LENGTH_NAME);
        number(length);
        name(JournalFields.WRITER_NAME);
        number(writer);
        name(JournalFields.DATA_NAME);
        data(data, dataOffset, dataLength);
        name(JournalFields.CRC_NAME);
        buf[pos] = (byte) INT32;
        INT.set(buf, pos + 1, crc);
        pos += 5;
    }

    private void name(final byte[] encoded) {
        System.arraycopy(encoded, 0, buf, pos, encoded.length);
        pos += encoded.length;
    }

    private void number(final long v) {
        pos = WireInts.put(buf, pos, v);
    }

    /** ASCII text: {@code STRING_0 + n} up to 31 bytes, else {@code STRING_ANY} and a stop-bit length. */
    private void text(final String s) {
        final int n = s.length();
        if (n < 32) {
            buf[pos++] = (byte) (STRING_0 + n);
        } else {
            buf[pos++] = (byte) STRING_ANY;
            pos = WireInts.putStopBit(buf, pos, n);
        }
        JournalFields.putAscii(s, buf, pos);
        pos += n;
    }

    private void data(final byte[] data, final int from, final int n) {
        final long total = n + 1L; // the U8_ARRAY code, then the bytes
        if (total <= 0xFF) {
            buf[pos] = (byte) BYTES_LENGTH8;
            buf[pos + 1] = (byte) total;
            pos += 2;
        } else if (total <= 0xFFFF) {
            buf[pos] = (byte) BYTES_LENGTH16;
            SHORT.set(buf, pos + 1, (short) total);
            pos += 3;
        } else {
            buf[pos] = (byte) BYTES_LENGTH32;
            INT.set(buf, pos + 1, (int) total);
            pos += 5;
        }
        buf[pos++] = (byte) U8_ARRAY;
        if (n > 0) {
            System.arraycopy(data, from, buf, pos, n);
            pos += n;
        }
    }
}
