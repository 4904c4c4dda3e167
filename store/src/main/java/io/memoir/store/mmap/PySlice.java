package io.memoir.store.mmap;

/**
 * Python's slice arithmetic, {@code PySlice_Unpack} followed by {@code PySlice_AdjustIndices}
 * (CPython {@code Objects/sliceobject.c}), with {@code null} standing for {@code None}.
 *
 * <p>{@code long} is C's {@code Py_ssize_t} on 64-bit Linux, so every value a Python program can
 * pass is representable and the clamping is the same. Not API.
 */
final class PySlice {

    /** First index, after adjustment. */
    final long start;
    /** Index the slice stops before, after adjustment. */
    final long stop;
    /** Step, never 0. */
    final long step;
    /** Number of items the slice selects, {@code >= 0}. */
    final long length;

    private PySlice(long start, long stop, long step, long length) {
        this.start = start;
        this.stop = stop;
        this.step = step;
        this.length = length;
    }

    /**
     * Unpacks and adjusts {@code [start:stop:step]} for a sequence of {@code size} items.
     *
     * @throws Mmap.ValueError "slice step cannot be zero"
     */
    static PySlice of(long size, Long start, Long stop, Long step) {
        long st;
        if (step == null) {
            st = 1;
        } else {
            st = step;
            if (st == 0) {
                throw new Mmap.ValueError("slice step cannot be zero");
            }
            if (st < -Long.MAX_VALUE) {
                st = -Long.MAX_VALUE;
            }
        }
        long lo = start != null ? start : (st < 0 ? Long.MAX_VALUE : 0);
        long hi = stop != null ? stop : (st < 0 ? Long.MIN_VALUE : Long.MAX_VALUE);
        lo = adjust(lo, size, st);
        hi = adjust(hi, size, st);
        long n = 0;
        if (st < 0) {
            if (hi < lo) {
                n = (lo - hi - 1) / (-st) + 1;
            }
        } else if (lo < hi) {
            n = (hi - lo - 1) / st + 1;
        }
        return new PySlice(lo, hi, st, n);
    }

    private static long adjust(long index, long size, long step) {
        if (index < 0) {
            index += size;
            if (index < 0) {
                index = step < 0 ? -1 : 0;
            }
        } else if (index >= size) {
            index = step < 0 ? size - 1 : size;
        }
        return index;
    }
}
