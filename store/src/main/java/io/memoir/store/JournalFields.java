package io.memoir.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;
import net.openhft.chronicle.wire.BinaryWireCode;

/** The field names of a journal entry, in the order they are written (journal formats 1 to 4). */
final class JournalFields {
    /**
     * The journal format new stores get: 2 adds {@link Op#PATCH}, 3 adds {@link Op#SPLICE}, 4 lets an
     * object's content end in padding ({@link ObjectCodec#pad}); a store of an older format is read and
     * written as before.
     */
    static final int FORMAT = 4;
    /** The first journal format with {@link Op#PATCH} entries. */
    static final int FORMAT_PATCH = 2;
    /** The first journal format with {@link Op#SPLICE} entries. */
    static final int FORMAT_SPLICE = 3;
    /** The first journal format whose objects may end in padding (in the region and in the journal's entries). */
    static final int FORMAT_PADDED = 4;
    static final String TIME = "time";
    static final String TAG = "tag";
    static final String OP = "op";
    static final String VERSION = "version";
    static final String OFFSET = "offset";
    static final String LENGTH = "length";
    static final String WRITER = "writer";
    static final String DATA = "data";
    /** CRC-32C of the entry (see {@link Checksum}); absent in entries written before it was added. */
    static final String CRC = "crc";

    /** Each field name as Chronicle's binary wire writes it: {@code FIELD_NAME0 + length}, then its bytes. */
    static final byte[] TIME_NAME = encodedName(TIME);
    static final byte[] TAG_NAME = encodedName(TAG);
    static final byte[] OP_NAME = encodedName(OP);
    static final byte[] VERSION_NAME = encodedName(VERSION);
    static final byte[] OFFSET_NAME = encodedName(OFFSET);
    static final byte[] LENGTH_NAME = encodedName(LENGTH);
    static final byte[] WRITER_NAME = encodedName(WRITER);
    static final byte[] DATA_NAME = encodedName(DATA);
    static final byte[] CRC_NAME = encodedName(CRC);

    private JournalFields() {
    }

    private static byte[] encodedName(final String field) {
        final byte[] ascii = field.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final byte[] encoded = new byte[ascii.length + 1];
        encoded[0] = (byte) (BinaryWireCode.FIELD_NAME0 + ascii.length); // every name is shorter than 32 bytes
        System.arraycopy(ascii, 0, encoded, 1, ascii.length);
        return encoded;
    }

    /**
     * The entry's checksum: CRC-32C over time, version, offset (8 bytes each, big-endian), length, writer
     * (4 bytes each), the tag's and the op's characters (one byte each: both are ASCII) and the data.
     * Not thread-safe: one per appender or reader.
     */
    static final class Checksum {
        private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
        private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
        /** The fixed fields, then the tag's and the op's characters: fed to the CRC in one call. */
        private byte[] head = new byte[128];
        private final CRC32C crc = new CRC32C();

        int of(final long time, final String tag, final Op op, final long version, final long offset,
               final int length, final int writer, final byte[] data, final int dataOffset, final int dataLength) {
            final String name = op.name();
            final int n = 32 + tag.length() + name.length();
            if (n > head.length) {
                head = new byte[Math.max(n, 2 * head.length)];
            }
            final byte[] h = head;
            LONG.set(h, 0, time);
            LONG.set(h, 8, version);
            LONG.set(h, 16, offset);
            INT.set(h, 24, length);
            INT.set(h, 28, writer);
            putAscii(tag, h, 32);
            putAscii(name, h, 32 + tag.length());
            crc.reset();
            crc.update(h, 0, n);
            if (data != null) {
                crc.update(data, dataOffset, dataLength);
            }
            return (int) crc.getValue();
        }
    }

    /** Writes the ASCII string {@code s} (a tag or an op) into {@code to} at {@code at}, one byte a char. */
    static void putAscii(final String s, final byte[] to, final int at) {
        for (int i = 0; i < s.length(); i++) {
            to[at + i] = (byte) s.charAt(i);
        }
    }
}
