package io.memoir.store;

import static net.openhft.chronicle.core.UnsafeMemory.UNSAFE;

/**
 * Bulk copies between heap arrays and off-heap addresses with the JVM's memcpy intrinsic (which
 * bounds each chunk for time-to-safepoint). Callers check all bounds.
 */
final class Memory {
    private static final long BYTE_ARRAY_BASE = UNSAFE.arrayBaseOffset(byte[].class);

    private Memory() {
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
}
