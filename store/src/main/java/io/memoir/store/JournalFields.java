package io.memoir.store;

import java.util.zip.CRC32C;

/** The field names of a journal entry, in the order they are written (journal format 1). */
final class JournalFields {
    static final int FORMAT = 1;
    static final String TIME = "time";
    static final String TAG = "tag";
    static final String OP = "op";
    static final String VERSION = "version";
    static final String OFFSET = "offset";
    static final String LENGTH = "length";
    static final String WRITER = "writer";
    static final String DATA = "data";
    /** CRC-32C of the entry (see {@link #crc}); absent in entries written before it was added. */
    static final String CRC = "crc";

    private JournalFields() {
    }

    /**
     * The entry's checksum: CRC-32C over time, version, offset (8 bytes each, big-endian), length, writer
     * (4 bytes each), the tag's and the op's characters (one byte each: both are ASCII) and the data.
     */
    static int crc(final CRC32C crc, final long time, final String tag, final Op op, final long version,
                   final long offset, final int length, final int writer, final byte[] data, final int dataOffset,
                   final int dataLength) {
        crc.reset();
        update(crc, time, 8);
        update(crc, version, 8);
        update(crc, offset, 8);
        update(crc, length, 4);
        update(crc, writer, 4);
        for (int i = 0; i < tag.length(); i++) {
            crc.update(tag.charAt(i));
        }
        final String name = op.name();
        for (int i = 0; i < name.length(); i++) {
            crc.update(name.charAt(i));
        }
        if (data != null) {
            crc.update(data, dataOffset, dataLength);
        }
        return (int) crc.getValue();
    }

    private static void update(final CRC32C crc, final long value, final int bytes) {
        for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
            crc.update((int) (value >>> shift));
        }
    }
}
