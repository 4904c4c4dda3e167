package io.memoir.store;

import static net.openhft.chronicle.wire.BinaryWireCode.INT16;
import static net.openhft.chronicle.wire.BinaryWireCode.INT32;
import static net.openhft.chronicle.wire.BinaryWireCode.INT64;
import static net.openhft.chronicle.wire.BinaryWireCode.INT8;
import static net.openhft.chronicle.wire.BinaryWireCode.UINT16;
import static net.openhft.chronicle.wire.BinaryWireCode.UINT32;
import static net.openhft.chronicle.wire.BinaryWireCode.UINT8;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Chronicle binary wire's fixed-size integer codes ({@code UINT8/16/32}, {@code INT8/16/32/64}) and its
 * stop-bit lengths on a byte array: the one writer and reader of them for the journal's entry codec,
 * the object codecs and splices.
 */
final class WireInts {
    /** The most bytes {@link #put} writes: a code and 8 bytes. */
    static final int MAX_LENGTH = 9;
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** By code: the length of the integer, code included; 0 for any other code. */
    private static final byte[] LENGTHS = new byte[256];

    static {
        LENGTHS[UINT8] = 2;
        LENGTHS[INT8] = 2;
        LENGTHS[UINT16] = 3;
        LENGTHS[INT16] = 3;
        LENGTHS[UINT32] = 5;
        LENGTHS[INT32] = 5;
        LENGTHS[INT64] = 9;
    }

    private WireInts() {
    }

    /**
     * Writes {@code v} at {@code p} in the smallest code, chosen as Chronicle's binary wire chooses it
     * (so the bytes are Chronicle's own); the array must have {@link #MAX_LENGTH} bytes of room there.
     *
     * @return the position after it
     */
    static int put(final byte[] b, final int p, final long v) {
        if (v >= 0 && v <= 0xFF) {
            b[p] = (byte) UINT8;
            b[p + 1] = (byte) v;
            return p + 2;
        } else if (v >= Byte.MIN_VALUE && v < 0) {
            b[p] = (byte) INT8;
            b[p + 1] = (byte) v;
            return p + 2;
        } else if (v == (short) v) {
            b[p] = (byte) INT16;
            SHORT.set(b, p + 1, (short) v);
            return p + 3;
        } else if (v >= 0 && v <= 0xFFFF) {
            b[p] = (byte) UINT16;
            SHORT.set(b, p + 1, (short) v);
            return p + 3;
        } else if (v == (int) v) {
            b[p] = (byte) INT32;
            INT.set(b, p + 1, (int) v);
            return p + 5;
        } else if (v >= 0 && v <= 0xFFFF_FFFFL) {
            b[p] = (byte) UINT32;
            INT.set(b, p + 1, (int) v);
            return p + 5;
        }
        b[p] = (byte) INT64;
        LONG.set(b, p + 1, v);
        return p + 9;
    }

    /**
     * The length, code included, of an integer whose code is {@code code}.
     *
     * @return 2, 3, 5 or 9; 0 if {@code code} is not an integer code
     */
    static int length(final int code) {
        return LENGTHS[code & 0xFF];
    }

    /** The most bytes {@link #putStopBit} writes (a long's 64 bits, 7 a byte). */
    static final int STOP_BIT_MAX = 10;

    /**
     * Writes {@code v}, not negative, in Chronicle's stop-bit form: 7 bits a byte, low first, the top bit
     * set on every byte but the last. The array must have room ({@link #STOP_BIT_MAX} bytes at most).
     *
     * @return the position after it
     */
    static int putStopBit(final byte[] b, final int p, final long v) {
        int at = p;
        long rest = v;
        while ((rest & ~0x7FL) != 0) {
            b[at++] = (byte) (rest & 0x7F | 0x80);
            rest >>>= 7;
        }
        b[at++] = (byte) rest;
        return at;
    }

    /**
     * Reads a stop-bit integer that fits an int, of at most 5 bytes, from {@code b[at, end)}.
     *
     * @return its value in the low 32 bits and the position after it in the high 32 bits; -1 if the
     *         bytes end first, it takes more than 5 bytes, or it is above {@link Integer#MAX_VALUE}
     */
    static long getStopBit(final byte[] b, final int at, final int end) {
        long v = 0;
        for (int p = at, shift = 0; p < end && shift < Integer.SIZE; p++, shift += 7) {
            v |= (long) (b[p] & 0x7F) << shift;
            if (b[p] >= 0) {
                return v > Integer.MAX_VALUE ? -1 : (long) (p + 1) << Integer.SIZE | v;
            }
        }
        return -1;
    }

    /** The integer at {@code p}: its code has a {@link #length} and all its bytes are there. */
    static long get(final byte[] b, final int p) {
        switch (b[p] & 0xFF) {
            case UINT8:
                return b[p + 1] & 0xFFL;
            case INT8:
                return b[p + 1];
            case UINT16:
                return (short) SHORT.get(b, p + 1) & 0xFFFFL;
            case INT16:
                return (short) SHORT.get(b, p + 1);
            case UINT32:
                return (int) INT.get(b, p + 1) & 0xFFFF_FFFFL;
            case INT32:
                return (int) INT.get(b, p + 1);
            case INT64:
                return (long) LONG.get(b, p + 1);
            default:
                throw new IllegalArgumentException("not an integer code: 0x" + Integer.toHexString(b[p] & 0xFF));
        }
    }
}
