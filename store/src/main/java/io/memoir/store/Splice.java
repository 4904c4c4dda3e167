package io.memoir.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
    /** How many equal bytes make {@link #walk} take the contents as agreeing again: one long. */
    private static final int ANCHOR = Long.BYTES;
    /**
     * How many places {@link #walk} compares in all before it gives up: a few microseconds at most,
     * whatever the contents (a search that finds nothing in reach tries about 560).
     */
    private static final int WALK_TRIES = 2048;
    /** Eight bytes of an array at once, for {@link #walk} and {@link #commonSuffix}. */
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** How many equal bytes {@link #anchored} looks for to split a difference at. */
    private static final int BLOCK = 16;
    /** Where {@link #anchored} takes a block from the old middle: at these fractions (in 1/8). */
    private static final int[] PROBES = {4, 2, 6, 1, 3, 5, 7};
    /**
     * Edits of at most this many bytes end the search: {@link #oneShift}'s (one long change, the common
     * case) before {@link #anchored} runs, which costs about 1.5 µs on a 1 KiB config and could save a
     * few dozen bytes at most; then {@code anchored}'s, before {@code oneShift} runs to half the content.
     */
    private static final int ANCHORED_ABOVE = 96;
    /** How many bytes {@link #anchored} may compare in all, per byte of the contents. */
    private static final int ANCHORED_WORK = 8;

    private Splice() {
    }

    /**
     * The edits from {@code old} to {@code neu}, or null if they would take more than half of the new
     * content's bytes or more than {@value #MAX_EDITS} edits (the put is then journaled whole): those
     * {@link #walk} finds, else those of {@link #oneShift} (with {@link #oneShiftBeforeRuns}) if they take
     * at most {@value #ANCHORED_ABOVE} bytes, else those of {@link #anchored} if they do, else the smaller.
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
        final byte[] small = oneShifts(old, neu, edits, lead, ANCHORED_ABOVE); // one long change: cheap
        if (small != null && small.length <= ANCHORED_ABOVE) {
            return small;
        }
        final int split = anchoredBeforeRuns(old, neu, edits);
        final byte[] alt = split < 0 ? null : encode(edits, split, neu, lead);
        if (alt != null && alt.length <= ANCHORED_ABOVE) {
            return alt;
        }
        return smaller(smaller(small, alt), oneShifts(old, neu, edits, lead, neu.length / 2));
    }

    /** The shorter of two encoded sets of edits, either of which may be null (none). */
    private static byte[] smaller(final byte[] a, final byte[] b) {
        return a == null || b != null && b.length < a.length ? b : a;
    }

    /**
     * The edits of {@link #oneShiftBeforeRuns}, else of {@link #oneShift}, if their new bytes number at
     * most {@code maxPut}: tried first with a small limit, which several long changes pass at once
     * (past the first, the bytes at the same places mostly differ), then with half the content.
     */
    private static byte[] oneShifts(final byte[] old, final byte[] neu, final int[] edits, final int lead,
                                    final int maxPut) {
        final byte[] beforeRuns = oneShiftBeforeRuns(old, neu, edits, lead, maxPut);
        if (beforeRuns != null) {
            return beforeRuns;
        }
        final int shifted = oneShift(old, old.length, neu, neu.length, edits, maxPut);
        return shifted < 0 ? null : encode(edits, shifted, neu, lead);
    }

    /**
     * {@link #anchored} of the contents without the runs of one byte they end in (the old content's last
     * byte or the new one's, whichever runs differ more in length), and one edit that makes the old run
     * as long as the new one: a padded object's padding ({@link ObjectCodec#pad}) moves with its value's
     * end, and would put the contents' ends out of line.
     *
     * @return how many edits it put in {@code edits}, or -1 if there were too many
     */
    private static int anchoredBeforeRuns(final byte[] old, final byte[] neu, final int[] edits) {
        final int[] work = {ANCHORED_WORK * (old.length + neu.length)};
        if (old.length == 0 || neu.length == 0) {
            return anchored(old, 0, old.length, neu, 0, neu.length, edits, 0, work);
        }
        final byte a = old[old.length - 1];
        final byte b = neu[neu.length - 1];
        final int oldRunA = run(old, a);
        final int newRunA = run(neu, a);
        final int oldRunB = run(old, b);
        final int newRunB = run(neu, b);
        final boolean byA = Math.abs(oldRunA - newRunA) >= Math.abs(oldRunB - newRunB);
        final int oldRun = byA ? oldRunA : oldRunB;
        final int newRun = byA ? newRunA : newRunB;
        final int kept = Math.min(oldRun, newRun);
        final int count = anchored(old, 0, old.length - oldRun + kept, neu, 0, neu.length - newRun + kept, edits, 0,
            work);
        return count < 0 || oldRun == newRun ? count
            : add(edits, count, old.length - oldRun + kept, oldRun - kept, neu.length - newRun + kept, newRun - kept);
    }

    /**
     * Keeps the common prefix and suffix of {@code old[oa, ob)} and {@code neu[na, nb)}, then splits what
     * differs between them at {@value #BLOCK} equal bytes: a block of the old middle (taken at its
     * middle, then its quarters, then its eighths; never a run of one byte) found in the new middle
     * ({@link #find}), widened both ways; the parts before and after it are diffed the same way. A
     * middle without such a block is {@link #unsplit}. Finds the edits of several values far apart whose
     * lengths changed by more than {@link #walk} reaches, where {@link #oneShift} finds one. Each split
     * leaves a difference on its left, so there are at most {@value #MAX_EDITS} levels.
     *
     * @param work bytes it may still compare (shared by every level), so that it costs O(contents)
     * @return the new count of edits in {@code edits}, or -1 if there were too many
     */
    private static int anchored(final byte[] old, final int oa, final int ob, final byte[] neu, final int na,
                                final int nb, final int[] edits, final int count, final int[] work) {
        final int m = Arrays.mismatch(old, oa, ob, neu, na, nb);
        if (m < 0) {
            return count;
        }
        final int o0 = oa + m;
        final int n0 = na + m;
        final int suffix = commonSuffix(old, ob, neu, nb, Math.min(ob - o0, nb - n0));
        final int o1 = ob - suffix;
        final int n1 = nb - suffix;
        work[0] -= 2 * (m + suffix);
        if (o1 - o0 >= BLOCK && n1 - n0 >= BLOCK) {
            for (int probe : PROBES) {
                final int p = o0 + (int) ((long) (o1 - o0 - BLOCK) * probe / 8);
                if (Memory.filledWith(old, Memory.BYTE_ARRAY_BASE + p, BLOCK, old[p])) {
                    continue; // a run of one byte: it fits too many places (padding, zeros)
                }
                final int q = find(old, p, neu, n0, n1, p - o0 + n0, p - o1 + n1,
                    n0 + (int) ((long) (n1 - n0 - BLOCK) * probe / 8), work);
                if (q < 0) {
                    continue;
                }
                // the block widened: old[p - from, p + to) equals neu[q - from, q + to)
                final int from = commonSuffix(old, p, neu, q, Math.min(p - o0, q - n0));
                final int after = Arrays.mismatch(old, p + BLOCK, o1, neu, q + BLOCK, n1);
                final int to = BLOCK + (after < 0 ? o1 - p - BLOCK : after);
                work[0] -= from + to;
                final int left = anchored(old, o0, p - from, neu, n0, q - from, edits, count, work);
                return left < 0 ? -1 : anchored(old, p + to, o1, neu, q + to, n1, edits, left, work);
            }
        }
        return unsplit(old, o0, o1, neu, n0, n1, edits, count);
    }

    /**
     * The edits of a middle {@link #anchored} cannot split, {@code old[o0, o1)} to {@code neu[n0, n1)}:
     * those {@link #oneShift} finds in it (the bytes at the same places from its start that differ, and
     * the change of length at its end, as a length word before a value that grew makes), if they put
     * fewer bytes than one edit of the whole middle; else that one edit.
     */
    private static int unsplit(final byte[] old, final int o0, final int o1, final byte[] neu, final int n0,
                               final int n1, final int[] edits, final int count) {
        if (Math.min(o1 - o0, n1 - n0) > GAP) {
            final int[] inside = new int[edits.length];
            final int k = oneShift(Arrays.copyOfRange(old, o0, o1), o1 - o0, Arrays.copyOfRange(neu, n0, n1), n1 - n0,
                inside, n1 - n0);
            int put = 0;
            for (int e = 0; e < k; e++) {
                put += inside[4 * e + 3] + 3; // with a header of about 3 bytes
            }
            if (k > 1 && put < n1 - n0 + 3) {
                int n = count;
                for (int e = 0; e < k && n >= 0; e++) {
                    n = add(edits, n, o0 + inside[4 * e], inside[4 * e + 1], n0 + inside[4 * e + 2], inside[4 * e + 3]);
                }
                return n;
            }
        }
        return add(edits, count, o0, o1 - o0, n0, n1 - n0);
    }

    /**
     * Adds the edit that replaces {@code cut} old bytes at {@code oldFrom} with {@code n} new ones at
     * {@code newFrom}, joined to the edit before if that ends fewer than {@value #GAP} bytes before it.
     *
     * @return the new count, or -1 past {@value #MAX_EDITS}
     */
    private static int add(final int[] edits, final int count, final int oldFrom, final int cut, final int newFrom,
                           final int n) {
        if (count > 0 && oldFrom - (edits[4 * count - 4] + edits[4 * count - 3]) < GAP) {
            edits[4 * count - 3] = oldFrom + cut - edits[4 * count - 4];
            edits[4 * count - 1] = newFrom + n - edits[4 * count - 2];
            return count;
        }
        if (count == MAX_EDITS) {
            return -1;
        }
        edits[4 * count] = oldFrom;
        edits[4 * count + 1] = cut;
        edits[4 * count + 2] = newFrom;
        edits[4 * count + 3] = n;
        return count + 1;
    }

    /**
     * Where in {@code neu[n0, n1)} the {@value #BLOCK} bytes of {@code old} at {@code p} are: at
     * {@code startAligned} or {@code endAligned} (where they are if everything that changed lies after
     * them, or before them), else at the place nearest to {@code expected}; -1 if nowhere, or once
     * {@code work} is spent.
     */
    private static int find(final byte[] old, final int p, final byte[] neu, final int n0, final int n1,
                            final int startAligned, final int endAligned, final int expected, final int[] work) {
        final int last = n1 - BLOCK;
        for (int q : new int[] {startAligned, endAligned}) {
            if (q >= n0 && q <= last && Arrays.equals(old, p, p + BLOCK, neu, q, q + BLOCK)) {
                work[0] -= BLOCK;
                return q;
            }
        }
        final byte first = old[p];
        int budget = work[0];
        for (int d = 0; d <= Math.max(expected - n0, last - expected) && budget > 0; d++) {
            for (int side = 0; side < 2; side++) {
                final int q = side == 0 ? expected + d : expected - d;
                if (q < n0 || q > last || side == 1 && d == 0) {
                    continue;
                }
                budget--;
                if (neu[q] == first && Arrays.equals(old, p, p + BLOCK, neu, q, q + BLOCK)) {
                    work[0] = budget - BLOCK;
                    return q;
                }
            }
        }
        work[0] = budget;
        return -1;
    }

    /**
     * The edits {@link #oneShift} finds between the contents without the runs of one byte they end in,
     * and one edit that makes the old run as long as the new one: the change of a value whose object is
     * padded ({@link ObjectCodec#pad}) moves both the value's tail and the padding's start, and a common
     * suffix of the whole contents would stop at the padding. Tries the old content's last byte, then the
     * new one's.
     *
     * @return the encoded edits, or null if the runs are as long (a common suffix passes them: the plain
     *         {@link #oneShift} serves), there are too many edits, {@link #oneShift} puts more than
     *         {@code maxPut} bytes, or they take more than half of {@code neu}
     */
    private static byte[] oneShiftBeforeRuns(final byte[] old, final byte[] neu, final int[] edits, final int lead,
                                             final int maxPut) {
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
            final int shifted = oneShift(old, old.length - oldRun, neu, neu.length - newRun, edits, maxPut);
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
            final int oldFull = old.length - j - ANCHOR; // places up to these have 8 bytes to compare at once
            final int newFull = neu.length - i - ANCHOR;
            int cut = -1;
            int put = -1;
            search:
            for (int size = 1; size <= 2 * REACH; size++) {
                for (int c = Math.max(0, size - REACH); c <= Math.min(size, REACH); c++) {
                    final int n = size - c;
                    if (--tries < 0) {
                        return -1;
                    }
                    if (c <= oldFull && n <= newFull ? (long) LONG.get(old, j + c) == (long) LONG.get(neu, i + n)
                        : equalFrom(old, j + c, neu, i + n)) {
                        cut = c;
                        put = n;
                        break search;
                    }
                }
            }
            if (cut < 0) {
                return -1;
            }
            count = add(edits, count, j, cut, i, put);
            if (count < 0) {
                return -1;
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
     * Of {@code old[0, oldLength)} and {@code neu[0, length)}. Gives up as soon as the edits put more
     * than {@code maxPut} bytes (half of the content, which {@link #encode} refuses anyway): past a
     * change of length in the middle, the bytes at the same places mostly differ.
     *
     * @return how many edits it put in {@code edits}, or -1 if there were too many, or too many bytes
     */
    private static int oneShift(final byte[] old, final int oldLength, final byte[] neu, final int length,
                                final int[] edits, final int maxPut) {
        final int min = Math.min(oldLength, length);
        final int p = Arrays.mismatch(old, 0, min, neu, 0, min);
        final int suffix = commonSuffix(old, oldLength, neu, length, p < 0 ? 0 : min - p); // not over the prefix
        final int end = min - suffix; // [prefix, end) is at the same places in both contents
        int count = 0;
        int put = 0; // new bytes in the runs closed so far
        if (p >= 0 && p < end) {
            int runStart = p;
            int runEnd = p + 1;
            for (int i = p + 1; i < end; ) {
                if (old[i] != neu[i]) { // a differing byte extends the run (out of line: most of them)
                    runEnd = ++i;
                    if (put + runEnd - runStart > maxPut) {
                        return -1;
                    }
                    continue;
                }
                final int m = Arrays.mismatch(old, i, end, neu, i, end); // over equal bytes at once
                if (m < 0) {
                    break;
                }
                i += m;
                if (i - runEnd >= GAP) {
                    if (count == MAX_EDITS) {
                        return -1;
                    }
                    put += runEnd - runStart;
                    count = aligned(edits, count, runStart, runEnd);
                    runStart = i;
                }
                runEnd = ++i;
            }
            count = aligned(edits, count, runStart, runEnd);
        }
        if (oldLength - suffix > end || length - suffix > end) { // the change of length, before the suffix
            count = changeAtEnd(edits, count, end, end, oldLength - suffix, length - suffix);
        }
        if (count > MAX_EDITS) {
            return -1;
        }
        put = 0;
        for (int k = 0; k < count; k++) {
            put += edits[4 * k + 3];
        }
        return put > maxPut ? -1 : count;
    }

    /**
     * How many bytes {@code old[0, oldEnd)} and {@code neu[0, newEnd)} end with that are equal, at most
     * {@code limit}; compares 8 bytes at a time first.
     */
    private static int commonSuffix(final byte[] old, final int oldEnd, final byte[] neu, final int newEnd,
                                    final int limit) {
        int suffix = 0;
        while (suffix + Long.BYTES <= limit && (long) LONG.get(old, oldEnd - suffix - Long.BYTES)
            == (long) LONG.get(neu, newEnd - suffix - Long.BYTES)) {
            suffix += Long.BYTES;
        }
        while (suffix < limit && old[oldEnd - 1 - suffix] == neu[newEnd - 1 - suffix]) {
            suffix++;
        }
        return suffix;
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
