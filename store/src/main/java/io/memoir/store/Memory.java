package io.memoir.store;

import static net.openhft.chronicle.core.UnsafeMemory.UNSAFE;

/**
 * Bulk copies between heap arrays and off-heap addresses with the JVM's memcpy intrinsic (which
 * bounds each chunk for time-to-safepoint). Callers check all bounds.
 */
final class Memory {
    /**
     * Where a byte array's bytes begin: the offset of its first byte for the base-and-offset readers
     * below, whose base is an array, or null for an off-heap address.
     */
    static final long BYTE_ARRAY_BASE = UNSAFE.arrayBaseOffset(byte[].class);
    private static final boolean LITTLE_ENDIAN = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;

    private Memory() {
    }

    /** The byte at {@code offset} of {@code base} (an array, or null for an address), unsigned. */
    static int byteAt(final Object base, final long offset) {
        return UNSAFE.getByte(base, offset) & 0xFF;
    }

    /** The little-endian int at {@code offset} of {@code base} (an array, or null for an address). */
    static int intAt(final Object base, final long offset) {
        final int v = UNSAFE.getInt(base, offset);
        return LITTLE_ENDIAN ? v : Integer.reverseBytes(v);
    }

    /** Whether the {@code n} bytes at {@code offset} of {@code base} are all {@code v}: eight at a time. */
    static boolean filledWith(final Object base, final long offset, final long n, final byte v) {
        final long word = (v & 0xFFL) * 0x0101010101010101L;
        long i = 0;
        for (; i <= n - Long.BYTES; i += Long.BYTES) {
            if (UNSAFE.getLong(base, offset + i) != word) {
                return false;
            }
        }
        for (; i < n; i++) {
            if (UNSAFE.getByte(base, offset + i) != v) {
                return false;
            }
        }
        return true;
    }

    static void copy(final byte[] src, final int srcOffset, final long dstAddress, final int length) {
        UNSAFE.copyMemory(src, BYTE_ARRAY_BASE + srcOffset, null, dstAddress, length);
    }

    static void copy(final long srcAddress, final byte[] dst, final int dstOffset, final int length) {
        UNSAFE.copyMemory(null, srcAddress, dst, BYTE_ARRAY_BASE + dstOffset, length);
    }

    static void copy(final long srcAddress, final long dstAddress, final long length) {
        UNSAFE.copyMemory(srcAddress, dstAddress, length);
    }

    /**
     * The first {@code i} in {@code [from, to)} where {@code b[i]} differs from the byte at
     * {@code address + i}, or {@code to} if none does: eight bytes at a time.
     */
    static int mismatch(final byte[] b, final int from, final int to, final long address) {
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            if (UNSAFE.getLong(b, BYTE_ARRAY_BASE + i) != UNSAFE.getLong(address + i)) {
                break;
            }
        }
        for (; i < to; i++) {
            if (b[i] != UNSAFE.getByte(address + i)) {
                return i;
            }
        }
        return to;
    }

    /**
     * One past the last {@code i} in {@code [from, to)} where {@code b[i]} differs from the byte at
     * {@code address + i}, or {@code from} if none does: eight bytes at a time, from the end.
     */
    static int mismatchFromEnd(final byte[] b, final int from, final int to, final long address) {
        int i = to;
        for (; i >= from + Long.BYTES; i -= Long.BYTES) {
            if (UNSAFE.getLong(b, BYTE_ARRAY_BASE + i - Long.BYTES) != UNSAFE.getLong(address + i - Long.BYTES)) {
                break;
            }
        }
        for (; i > from; i--) {
            if (b[i - 1] != UNSAFE.getByte(address + i - 1)) {
                return i;
            }
        }
        return from;
    }
}
