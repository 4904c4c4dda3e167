package io.memoir.store;

import java.math.BigInteger;

/**
 * The Eisel-Lemire algorithm (D. Lemire, "Number Parsing at a Gigabyte per Second", 2021): the double
 * nearest to {@code mantissa * 10^exponent}, from a 64-bit mantissa and a 128-bit truncated power of
 * ten, in a few multiplications, or "don't know" in the rare cases the truncation leaves ambiguous
 * (the caller then asks {@link Double#parseDouble}). It covers what Clinger's fast path in {@link Json}
 * does not: mantissas of 16 to 18 digits (most doubles Java prints have 16 or 17), and powers of ten
 * beyond 10^22. Subnormal and overflowing results are left to the caller as well.
 */
final class EiselLemire {
    static final int MIN_EXPONENT = -348;
    static final int MAX_EXPONENT = 347;
    /**
     * For each power of ten from 10^{@value #MIN_EXPONENT} to 10^{@value #MAX_EXPONENT}: its binary
     * digits from the leading one, 128 of them, rounded down; the high 64 at {@code 2i}, the low 64 at
     * {@code 2i + 1}. Made once with {@link BigInteger}.
     */
    private static final long[] POWERS = powers();

    private EiselLemire() {
    }

    private static long[] powers() {
        final long[] out = new long[2 * (MAX_EXPONENT - MIN_EXPONENT + 1)];
        final BigInteger mask = BigInteger.ONE.shiftLeft(Long.SIZE).subtract(BigInteger.ONE);
        for (int e = MIN_EXPONENT; e <= MAX_EXPONENT; e++) {
            final BigInteger p = BigInteger.TEN.pow(Math.abs(e));
            final BigInteger q;
            if (e >= 0) {
                final int excess = p.bitLength() - 128;
                q = excess > 0 ? p.shiftRight(excess) : p.shiftLeft(-excess);
            } else { // 2^(127 + L) / 10^-e, L its bit length: in [2^127, 2^128), 10^-e being no power of two
                q = BigInteger.ONE.shiftLeft(127 + p.bitLength()).divide(p);
            }
            final int i = 2 * (e - MIN_EXPONENT);
            out[i] = q.shiftRight(Long.SIZE).longValue();
            out[i + 1] = q.and(mask).longValue();
        }
        return out;
    }

    /**
     * The double nearest to {@code mantissa * 10^exponent}.
     *
     * @param mantissa a positive mantissa (below 2^63)
     * @param exponent the power of ten
     * @param negative whether the number is negative
     * @return the double, or NaN if this algorithm cannot tell (ambiguous, subnormal, out of range)
     */
    static double toDouble(final long mantissa, final int exponent, final boolean negative) {
        if (mantissa <= 0 || exponent < MIN_EXPONENT || exponent > MAX_EXPONENT) {
            return Double.NaN;
        }
        final int zeros = Long.numberOfLeadingZeros(mantissa);
        final long man = mantissa << zeros;
        long exp2 = ((217706L * exponent) >> 16) + 64 + 1023 - zeros; // floor(log2(10) * exponent), biased
        final int at = 2 * (exponent - MIN_EXPONENT);
        long hi = unsignedMultiplyHigh(man, POWERS[at]);
        long lo = man * POWERS[at];
        if ((hi & 0x1FF) == 0x1FF && Long.compareUnsigned(lo + man, man) < 0) { // the low word matters
            final long yHi = unsignedMultiplyHigh(man, POWERS[at + 1]);
            final long yLo = man * POWERS[at + 1];
            long mergedHi = hi;
            final long mergedLo = lo + yHi;
            if (Long.compareUnsigned(mergedLo, lo) < 0) {
                mergedHi++;
            }
            if ((mergedHi & 0x1FF) == 0x1FF && mergedLo + 1 == 0 && Long.compareUnsigned(yLo + man, man) < 0) {
                return Double.NaN;
            }
            hi = mergedHi;
            lo = mergedLo;
        }
        final long msb = hi >>> 63;
        long bits = hi >>> (msb + 9);
        exp2 -= 1 ^ msb;
        if (lo == 0 && (hi & 0x1FF) == 0 && (bits & 3) == 1) { // exactly halfway: which way is unknown here
            return Double.NaN;
        }
        bits += bits & 1; // to 53 bits, rounding to even
        bits >>>= 1;
        if ((bits >>> 53) > 0) {
            bits >>>= 1;
            exp2++;
        }
        if (exp2 < 1 || exp2 >= 0x7FF) { // subnormal, or out of range
            return Double.NaN;
        }
        final double d = Double.longBitsToDouble(exp2 << 52 | bits & 0x000F_FFFF_FFFF_FFFFL);
        return negative ? -d : d;
    }

    /** The high 64 bits of the unsigned 128-bit product (Math.unsignedMultiplyHigh is JDK 18). */
    private static long unsignedMultiplyHigh(final long a, final long b) {
        return Math.multiplyHigh(a, b) + (a >> 63 & b) + (b >> 63 & a);
    }
}
