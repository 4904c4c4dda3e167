package io.memoir.store.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;

/**
 * Self-checking write patterns: {@code [int length][int seq][length-8 bytes derived from seq]}. A reader
 * that finds any byte in {@code [8, length)} that does not match saw a torn write.
 */
public final class Patterns {
    /** The smallest pattern. */
    public static final int MIN = 8;

    private Patterns() {
    }

    /**
     * The pattern for {@code seq}, of a length between {@link #MIN} and {@code max} chosen by seq.
     *
     * @param seq the write's sequence number
     * @param max the longest pattern
     * @return the pattern
     */
    public static byte[] pattern(final int seq, final int max) {
        final int length = MIN + (int) ((seq * 2654435761L & 0x7fffffffL) % (max - MIN + 1));
        final byte[] b = new byte[length];
        final ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(0, length);
        bb.putInt(4, seq);
        for (int i = MIN; i < length; i++) {
            b[i] = (byte) (seq * 31 + i);
        }
        return b;
    }

    /**
     * Checks a region's content that starts with a pattern.
     *
     * @param content the region's content
     * @return the pattern's seq, or -1 if all zero (never written)
     * @throws AssertionError describing the first torn byte
     */
    public static int check(final byte[] content) {
        final ByteBuffer bb = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
        final int length = bb.getInt(0);
        final int seq = bb.getInt(4);
        if (length == 0 && seq == 0) {
            return -1;
        }
        if (length < MIN || length > content.length) {
            throw new AssertionError("torn: bad length=" + length + " seq=" + seq);
        }
        for (int i = MIN; i < length; i++) {
            if (content[i] != (byte) (seq * 31 + i)) {
                throw new AssertionError("torn: seq=" + seq + ", length=" + length + ", offset=" + i);
            }
        }
        return seq;
    }

    /**
     * CRC-32 of bytes, for acknowledging writes compactly.
     *
     * @param b the bytes
     * @return their CRC-32
     */
    public static long crc(final byte[] b) {
        final CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }
}
