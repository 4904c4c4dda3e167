package io.memoir.store;

import java.util.Arrays;

/**
 * The data of a {@link Op#SPLICE} entry: the edits that turn a region's content into a new one of
 * another length, and their application.
 *
 * <p>An edit is three integers in Chronicle's stop-bit form ({@link WireInts#putStopBit}: 7-bit groups
 * low first, the top bit set on all but the last byte; 1 to 5 bytes each), and some bytes: {@code gap} (bytes of the old content kept since
 * the previous edit, or the start), {@code cut} (old bytes dropped), {@code n}, then the {@code n} new
 * bytes put in their place. The old bytes after the last edit are kept.
 *
 * <p>{@link #diff} finds them as a put of another length usually makes them: a value of another
 * length inside a tree changes its own bytes and the length words of the containers around it, and
 * moves everything after it. Edits fewer than {@value #GAP} equal bytes apart are joined: an edit's
 * header costs more than the bytes between.
 */
final class Splice {
    /** Most bytes of an edit's header: gap, cut, n. */
    private static final int HEADER_MAX = 3 * 5;
    /** Edits closer than this are one: a header usually costs more than the equal bytes between. */
    static final int GAP = 4;
    /** Most edits in one splice; a put that needs more is journaled whole. */
    static final int MAX_EDITS = 16;
    /** How many bytes {@link #walk} looks ahead in each content for where they agree again. */
    private static final int REACH = 16;
    /** How many equal bytes make {@link #walk} take the contents as agreeing again. */
    private static final int ANCHOR = 8;
    /**
     * How many places {@link #walk} compares in all before it gives up: a few microseconds at most,
     * whatever the contents (a search that finds nothing in reach tries about 560).
     */
    private static final int WALK_TRIES = 2048;
    /** {@link #oneShift} compares the contents' ends this many bytes at a time first. */
    private static final int SUFFIX_BLOCK = 16;

    private Splice() {
    }

    /**
     * The edits from {@code old} to {@code neu}, or null if they would take more than half of the new
     * content's bytes or more than {@value #MAX_EDITS} edits (the put is then journaled whole): those
     * {@link #walk} finds, else those of {@link #oneShift}.
     */
    static byte[] diff(final byte[] old, final byte[] neu) {
        return diff(old, neu, 0);
    }

    /**
     * {@link #diff(byte[], byte[])} of two spans that start {@code lead} bytes into contents whose
     * bytes before them are equal (and after them, if the spans are as long as each other): the edits
     * turn the whole old content into the whole new one.
     */
    static byte[] diff(final byte[] old, final byte[] neu, final int lead) {
        final int[] edits = new int[4 * (MAX_EDITS + 2)]; // room for one past the limit and the change of length
        final int count = walk(old, neu, edits);
        if (count >= 0) {
            return encode(edits, count, neu, lead);
        }
        final byte[] beforeRuns = oneShiftBeforeRuns(old, neu, edits, lead);
        if (beforeRuns != null) {
            return beforeRuns;
        }
        final int shifted = oneShift(old, old.length, neu, neu.length, edits);
        return shifted < 0 ? null : encode(edits, shifted, neu, lead);
    }

    /**
     * The edits {@link #oneShift} finds between the contents without the runs of one byte they end in,
     * and one edit that makes the old run as long as the new one: the change of a value whose object is
     * padded ({@link ObjectCodec#pad}) moves both the value's tail and the padding's start, and a common
     * suffix of the whole contents would stop at the padding. Tries the old content's last byte, then the
     * new one's.
     *
     * @return the encoded edits, or null if the runs are as long (a common suffix passes them: the plain
     *         {@link #oneShift} serves), there are too many edits, or they take more than half of {@code neu}
     */
    private static byte[] oneShiftBeforeRuns(final byte[] old, final byte[] neu, final int[] edits, final int lead) {
        for (int side = 0; side < 2; side++) {
            final byte[] by = side == 0 ? old : neu;
            if (by.length == 0) {
                continue;
            }
            final byte x = by[by.length - 1];
            final int oldRun = run(old, x);
            final int newRun = run(neu, x);
            if (oldRun == newRun) {
                continue;
            }
            final int shifted = oneShift(old, old.length - oldRun, neu, neu.length - newRun, edits);
            if (shifted < 0) {
                continue;
            }
            final int kept = Math.min(oldRun, newRun); // the runs' first bytes stay; the edit makes up the rest
            final int count = changeAtEnd(edits, shifted, old.length - oldRun + kept, neu.length - newRun + kept,
                old.length, neu.length);
            if (count > MAX_EDITS) {
                continue;
            }
            final byte[] data = encode(edits, count, neu, lead);
            if (data != null) {
                return data;
            }
        }
        return null;
    }

    /** How many bytes {@code b} ends with that equal {@code x}. */
    private static int run(final byte[] b, final byte x) {
        int n = 0;
        while (n < b.length && b[b.length - 1 - n] == x) {
            n++;
        }
        return n;
    }

    /**
     * Walks both contents from the start: over equal bytes, and at each difference, finds the smallest
     * edit (at most {@value #REACH} bytes cut and as many put) after which {@value #ANCHOR} bytes, or
     * both whole rests, are equal again. Finds the edits of a tree whose values change length in several
     * places.
     *
     * @return how many edits it put in {@code edits} (old start, cut, new start, n), or -1 if one was
     *         out of reach, there were too many, or it compared {@value #WALK_TRIES} places
     */
    private static int walk(final byte[] old, final byte[] neu, final int[] edits) {
        int i = 0; // in neu
        int j = 0; // in old
        int count = 0;
        int tries = WALK_TRIES;
        while (true) {
            final int m = Arrays.mismatch(old, j, old.length, neu, i, neu.length);
            if (m < 0) {
                return count;
            }
            i += m;
            j += m;
            int cut = -1;
            int put = -1;
            search:
            for (int size = 1; size <= 2 * REACH; size++) {
                for (int c = Math.max(0, size - REACH); c <= Math.min(size, REACH); c++) {
                    final int n = size - c;
                    if (--tries < 0) {
                        return -1;
                    }
                    if (equalFrom(old, j + c, neu, i + n)) {
                        cut = c;
                        put = n;
                        break search;
                    }
                }
            }
            if (cut < 0) {
                return -1;
            }
            if (count > 0 && j - (edits[4 * count - 4] + edits[4 * count - 3]) < GAP) { // join the edit before
                edits[4 * count - 3] = j + cut - edits[4 * count - 4];
                edits[4 * count - 1] = i + put - edits[4 * count - 2];
            } else {
                if (count == MAX_EDITS) {
                    return -1;
                }
                edits[4 * count] = j;
                edits[4 * count + 1] = cut;
                edits[4 * count + 2] = i;
                edits[4 * count + 3] = put;
                count++;
            }
            i += put;
            j += cut;
        }
    }

    /**
     * Whether {@code old} from {@code j} and {@code neu} from {@code i} agree again: on their next
     * {@value #ANCHOR} bytes, or on both whole rests if either has fewer.
     */
    private static boolean equalFrom(final byte[] old, final int j, final byte[] neu, final int i) {
        final int restOld = old.length - j;
        final int restNew = neu.length - i;
        if (restOld < 0 || restNew < 0) {
            return false;
        }
        final int n = Math.min(ANCHOR, Math.min(restOld, restNew));
        if (n < ANCHOR && restOld != restNew) {
            return false;
        }
        return n == 0 || old[j] == neu[i] && Arrays.equals(old, j, j + n, neu, i, i + n);
    }

    /**
     * Keeps the common prefix and suffix, makes each run of differing bytes in between, at the same
     * places in both, an edit (replacing as many bytes), and puts the change of length where the
     * shorter content's part before the suffix ends, or in the last run if that is near it. Finds the
     * edits of one value whose length changed by more than {@link #walk} reaches.
     *
     * Of {@code old[0, oldLength)} and {@code neu[0, length)}.
     *
     * @return how many edits it put in {@code edits}, or -1 if there were too many
     */
    private static int oneShift(final byte[] old, final int oldLength, final byte[] neu, final int length,
                                final int[] edits) {
        final int min = Math.min(oldLength, length);
        final int p = Arrays.mismatch(old, 0, min, neu, 0, min);
        int suffix = 0;
        final int limit = p < 0 ? 0 : min - p; // the suffix does not overlap the prefix
        while (suffix + SUFFIX_BLOCK <= limit && Arrays.equals(old, oldLength - suffix - SUFFIX_BLOCK,
            oldLength - suffix, neu, length - suffix - SUFFIX_BLOCK, length - suffix)) {
            suffix += SUFFIX_BLOCK;
        }
        while (suffix < limit && old[oldLength - 1 - suffix] == neu[length - 1 - suffix]) {
            suffix++;
        }
        final int end = min - suffix; // [prefix, end) is at the same places in both contents
        int count = 0;
        if (p >= 0 && p < end) {
            int runStart = p;
            int runEnd = p + 1;
            for (int i = p + 1; i < end; i++) {
                final int m = Arrays.mismatch(old, i, end, neu, i, end); // over equal bytes at once
                if (m < 0) {
                    break;
                }
                i += m;
                if (i - runEnd >= GAP) {
                    if (count == MAX_EDITS) {
                        return -1;
                    }
                    count = aligned(edits, count, runStart, runEnd);
                    runStart = i;
                }
                runEnd = i + 1;
            }
            count = aligned(edits, count, runStart, runEnd);
        }
        if (oldLength - suffix > end || length - suffix > end) { // the change of length, before the suffix
            count = changeAtEnd(edits, count, end, end, oldLength - suffix, length - suffix);
        }
        return count > MAX_EDITS ? -1 : count;
    }

    /**
     * Makes the last edit reach {@code oldTo} in the old content and {@code newTo} in the new one: the
     * edit before, if it ends fewer than {@value #GAP} bytes before {@code oldFrom}, else a new edit at
     * {@code oldFrom} ({@code newFrom} in the new content). Returns the new count.
     */
    private static int changeAtEnd(final int[] edits, final int count, final int oldFrom, final int newFrom,
                                   final int oldTo, final int newTo) {
        int n = count;
        if (n == 0 || oldFrom - (edits[4 * n - 4] + edits[4 * n - 3]) >= GAP) {
            edits[4 * n] = oldFrom;
            edits[4 * n + 2] = newFrom;
            n++;
        }
        edits[4 * n - 3] = oldTo - edits[4 * n - 4];
        edits[4 * n - 1] = newTo - edits[4 * n - 2];
        return n;
    }

    /** Adds the edit that replaces {@code [from, to)} in place; returns the new count. */
    private static int aligned(final int[] edits, final int count, final int from, final int to) {
        edits[4 * count] = from;
        edits[4 * count + 1] = to - from;
        edits[4 * count + 2] = from;
        edits[4 * count + 3] = to - from;
        return count + 1;
    }

    /**
     * The data of {@code count} edits (old start, cut, new start, n), the first {@code lead} bytes later,
     * or null if over half of {@code neu}.
     */
    private static byte[] encode(final int[] edits, final int count, final byte[] neu, final int lead) {
        int size = 0;
        for (int k = 0; k < count; k++) {
            size += HEADER_MAX + edits[4 * k + 3];
        }
        final byte[] data = new byte[size];
        int at = 0;
        int kept = -lead; // where the previous edit ended in the old content
        for (int k = 0; k < count; k++) {
            final int n = edits[4 * k + 3];
            at = WireInts.putStopBit(data, at, edits[4 * k] - kept);
            at = WireInts.putStopBit(data, at, edits[4 * k + 1]);
            at = WireInts.putStopBit(data, at, n);
            System.arraycopy(neu, edits[4 * k + 2], data, at, n);
            at += n;
            kept = edits[4 * k] + edits[4 * k + 1];
        }
        return at > neu.length / 2 ? null : Arrays.copyOf(data, at);
    }

    /**
     * {@code old} with the edits in {@code data} applied: a new array of {@code length} bytes.
     *
     * @return the new content, or null if the edits do not fit {@code old} or do not make
     *         {@code length} bytes (a damaged or misplaced entry)
     */
    static byte[] apply(final byte[] old, final byte[] data, final int length) {
        final byte[] out = new byte[length];
        int src = 0;
        int dst = 0;
        int at = 0;
        while (at < data.length) {
            final long gapRead = WireInts.getStopBit(data, at, data.length); // value, and where it ends
            final long cutRead = gapRead < 0 ? -1
                : WireInts.getStopBit(data, (int) (gapRead >>> Integer.SIZE), data.length);
            final long nRead = cutRead < 0 ? -1
                : WireInts.getStopBit(data, (int) (cutRead >>> Integer.SIZE), data.length);
            if (nRead < 0) {
                return null;
            }
            final int gap = (int) gapRead;
            final int cut = (int) cutRead;
            final int n = (int) nRead;
            at = (int) (nRead >>> Integer.SIZE);
            if (gap > old.length - src || cut > old.length - src - gap
                || n > data.length - at || gap > length - dst || n > length - dst - gap) {
                return null;
            }
            System.arraycopy(old, src, out, dst, gap);
            dst += gap;
            src += gap + cut;
            System.arraycopy(data, at, out, dst, n);
            dst += n;
            at += n;
        }
        if (old.length - src != length - dst) {
            return null;
        }
        System.arraycopy(old, src, out, dst, old.length - src);
        return out;
    }
}
