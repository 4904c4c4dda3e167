package io.memoir.tools;

import io.memoir.store.JournalEntry;
import io.memoir.store.MemoirException;
import io.memoir.store.Op;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The soak's self-checking values, which any reader can validate on its own.
 *
 * <p>A <b>bytes tag</b> ({@code soak.bytes.N}) holds whole 64-byte frames; every write, put and
 * compare-and-set writes a run of frames, a resize cuts or adds whole frames (zero frames: "never
 * written"). Each frame, little-endian:
 *
 * <pre>
 *  0      4       8        12      16      20     24        32              60     64
 *  +------+-------+--------+-------+-------+------+---------+---------------+------+
 *  |magic | index | writer | first | count | kind |   seq   |  28 B payload | crc  |
 *  +------+-------+--------+-------+-------+------+---------+---------------+------+
 * </pre>
 *
 * {@code magic} is "SOAK"; {@code index} the frame's position in the region; {@code writer} and
 * {@code seq} the writer JVM and its operation number (the stamp); {@code first} and {@code count} the
 * run of frames that operation wrote (its length); {@code kind} {@link #WRITE}, {@link #PUT} or
 * {@link #CAS}; the payload is derived from the stamp; {@code crc} is CRC-32C of bytes 0-59.
 * A read is torn or invalid if a frame is neither all zero nor valid, or if a frame inside the run of
 * a writer's operation carries an older operation of the same writer (the newer one overwrote it).
 *
 * <p>A <b>counter tag</b> ({@code soak.count.N}) holds an object {@code {n, w, s, c}}: the count,
 * writer, seq and CRC-32C of {@code "n/w/s"}; it only ever changes by {@code update} and
 * compare-and-set, each adding one, so {@code n} must equal the tag's version.
 */
final class SoakValues {
    /** Bytes in a frame; region lengths are whole frames. */
    static final int FRAME = 64;
    /** Every tag the soak uses starts with this. */
    static final String PREFIX = "soak.";
    /** Frame kind: an in-place write of some frames. */
    static final int WRITE = 1;
    /** Frame kind: a put of the whole content. */
    static final int PUT = 2;
    /** Frame kind: a compare-and-set of the whole content. */
    static final int CAS = 3;
    private static final String BYTES = PREFIX + "bytes.";
    private static final String COUNTER = PREFIX + "count.";
    private static final int MAGIC = 0x4b414f53;
    private static final int CRC_AT = 60;

    private SoakValues() {
    }

    /**
     * The soak's tags: a quarter (at least one) are counters, the others bytes.
     *
     * @param k how many tags, at least 2
     * @return the tags, bytes first
     */
    static List<String> tags(final int k) {
        final int counters = Math.max(1, k / 4);
        final List<String> tags = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            tags.add((i < k - counters ? BYTES : COUNTER) + i);
        }
        return tags;
    }

    static boolean isCounter(final String tag) {
        return tag.startsWith(COUNTER);
    }

    /**
     * The frames of one operation.
     *
     * @param writer the writer's id
     * @param seq    the writer's operation number
     * @param kind   {@link #WRITE}, {@link #PUT} or {@link #CAS}
     * @param first  the first frame it writes
     * @param count  how many frames
     * @return {@code count * FRAME} bytes
     */
    static byte[] frames(final int writer, final long seq, final int kind, final int first, final int count) {
        final byte[] b = new byte[count * FRAME];
        final ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        final CRC32C crc = new CRC32C();
        for (int i = 0; i < count; i++) {
            final int at = i * FRAME;
            bb.putInt(at, MAGIC).putInt(at + 4, first + i).putInt(at + 8, writer).putInt(at + 12, first)
                .putInt(at + 16, count).putInt(at + 20, kind).putLong(at + 24, seq);
            long x = seq * 0x9e3779b97f4a7c15L + writer * 0xbf58476d1ce4e5b9L + first + i;
            for (int p = 32; p < CRC_AT; p += 4) {
                x = (x ^ (x >>> 31)) * 0x94d049bb133111ebL + 0x9e3779b97f4a7c15L;
                bb.putInt(at + p, (int) (x >>> 17));
            }
            crc.reset();
            crc.update(b, at, CRC_AT);
            bb.putInt(at + CRC_AT, (int) crc.getValue());
        }
        return b;
    }

    /**
     * CRC-32C of bytes, what a writer acknowledges for the data it wrote.
     *
     * @param b the bytes
     * @return their CRC-32C
     */
    static long crc(final byte[] b) {
        final CRC32C c = new CRC32C();
        c.update(b);
        return c.getValue();
    }

    /**
     * Checks the whole content of a bytes tag.
     *
     * @param content what a read returned
     * @return null if it is valid, else what is wrong
     */
    static String checkContent(final byte[] content) {
        if (content.length % FRAME != 0) {
            return "length=" + content.length + " is not a whole number of " + FRAME + "-byte frames";
        }
        final ByteBuffer bb = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
        final CRC32C crc = new CRC32C();
        final int frames = content.length / FRAME;
        for (int j = 0; j < frames; j++) {
            if (bb.getInt(j * FRAME) == 0 && isZero(content, j * FRAME)) {
                continue;
            }
            final String p = checkFrame(content, bb, crc, j, j);
            if (p != null) {
                return "frame " + j + " (offset " + j * FRAME + "): " + p;
            }
        }
        return checkOrder(bb, frames);
    }

    /** A frame inside a newer operation's run must not carry an older operation of the same writer. */
    private static String checkOrder(final ByteBuffer bb, final int frames) {
        for (int k = 0; k < frames; k++) {
            final int at = k * FRAME;
            if (bb.getInt(at) == 0 || k > 0 && bb.getLong(k * FRAME - FRAME + 24) == bb.getLong(at + 24)
                && bb.getInt(at - FRAME + 8) == bb.getInt(at + 8)) {
                continue; // a zero frame, or the same stamp as the frame before: checked with it
            }
            final int writer = bb.getInt(at + 8);
            final long seq = bb.getLong(at + 24);
            final int first = bb.getInt(at + 12);
            final int end = Math.min(frames, first + bb.getInt(at + 16));
            for (int j = first; j < end; j++) {
                final int o = j * FRAME;
                if (bb.getInt(o) != 0 && bb.getInt(o + 8) == writer && bb.getLong(o + 24) < seq) {
                    return "frame " + j + " carries writer=" + writer + " seq=" + bb.getLong(o + 24)
                        + " although seq=" + seq + " of the same writer covered frames " + first + ".." + (end - 1)
                        + " after it: part of a write is missing (torn)";
                }
            }
        }
        return null;
    }

    private static String checkFrame(final byte[] b, final ByteBuffer bb, final CRC32C crc, final int frame,
                                     final int index) {
        final int at = frame * FRAME;
        if (bb.getInt(at) != MAGIC) {
            return "bad magic=0x" + Integer.toHexString(bb.getInt(at)) + " (not a soak frame)";
        }
        crc.reset();
        crc.update(b, at, CRC_AT);
        if ((int) crc.getValue() != bb.getInt(at + CRC_AT)) {
            return "crc mismatch: stored=0x" + Integer.toHexString(bb.getInt(at + CRC_AT)) + ", computed=0x"
                + Integer.toHexString((int) crc.getValue());
        }
        final int first = bb.getInt(at + 12);
        final int count = bb.getInt(at + 16);
        final int kind = bb.getInt(at + 20);
        if (bb.getInt(at + 4) != index || index < first || index >= first + count || count < 1
            || kind < WRITE || kind > CAS || kind != WRITE && first != 0) {
            return "frame fields out of place: index=" + bb.getInt(at + 4) + " at position " + index + ", first="
                + first + ", count=" + count + ", kind=" + kind;
        }
        return null;
    }

    private static boolean isZero(final byte[] b, final int at) {
        for (int i = at; i < at + FRAME; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks a journal entry of a soak tag: its data must be one whole operation of valid frames, or
     * a counter object.
     *
     * @param e the entry
     * @return null if it is valid, else what is wrong
     */
    static String checkEntry(final JournalEntry e) {
        if (isCounter(e.tag())) {
            if (e.op() != Op.PUT) {
                return "op=" + e.op() + " on a counter tag, which the soak only puts objects to";
            }
            try {
                return checkCounter(e.object(Object.class), e.version());
            } catch (MemoirException.WrongTypeException ex) {
                return "not a counter object: " + ex.getMessage();
            }
        }
        if (e.op() != Op.DELETE && e.length() % FRAME != 0) {
            return "region length=" + e.length() + " is not a whole number of " + FRAME + "-byte frames";
        }
        if (e.op() == Op.WRITE) {
            return e.offset() % FRAME != 0 ? "write at offset=" + e.offset() + ", not at a frame"
                : checkRun(e.data(), (int) (e.offset() / FRAME), false);
        }
        if (e.op() == Op.PUT) {
            return e.data().length != e.length() ? "put of bytes=" + e.data().length + " but length=" + e.length()
                : checkRun(e.data(), 0, true);
        }
        return null;
    }

    /** The data of one operation: valid frames from {@code first}, all of one stamp and run. */
    private static String checkRun(final byte[] data, final int first, final boolean put) {
        if (data.length == 0 || data.length % FRAME != 0) {
            return "data of bytes=" + data.length + " is not a whole number of " + FRAME + "-byte frames";
        }
        final ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        final CRC32C crc = new CRC32C();
        final int count = data.length / FRAME;
        for (int i = 0; i < count; i++) {
            final String p = checkFrame(data, bb, crc, i, first + i);
            if (p != null) {
                return "data frame " + i + ": " + p;
            }
            final int at = i * FRAME;
            final int kind = bb.getInt(at + 20);
            if (bb.getInt(at + 12) != first || bb.getInt(at + 16) != count || put == (kind == WRITE)
                || bb.getInt(at + 8) != bb.getInt(8) || bb.getLong(at + 24) != bb.getLong(24)) {
                return "data frame " + i + " is not of the same operation as frame 0 (first=" + first + ", count="
                    + count + ", kind=" + kind + ")";
            }
        }
        return null;
    }

    /**
     * A counter's value.
     *
     * @param n      the count, which must equal the tag's version once written
     * @param writer the writer's id
     * @param seq    the writer's operation number
     * @return the object to store
     */
    static Map<String, Object> counter(final long n, final int writer, final long seq) {
        return Map.of("n", n, "w", (long) writer, "s", seq, "c", counterCrc(n, writer, seq));
    }

    /**
     * The count of a counter object, 0 for none (a tag not yet written).
     *
     * @param value the object read, or null
     * @return its {@code n}
     */
    static long count(final Object value) {
        return value instanceof Map<?, ?> m && m.get("n") instanceof Number n ? n.longValue() : 0;
    }

    /**
     * Checks a counter object read at {@code version}.
     *
     * @param value   the object
     * @param version its version
     * @return null if it is valid, else what is wrong
     */
    static String checkCounter(final Object value, final long version) {
        if (!(value instanceof Map<?, ?> m) || !(m.get("n") instanceof Number n) || !(m.get("w") instanceof Number w)
            || !(m.get("s") instanceof Number s) || !(m.get("c") instanceof Number c)) {
            return "not a soak counter: " + value;
        }
        if (c.longValue() != counterCrc(n.longValue(), w.intValue(), s.longValue())) {
            return "counter crc mismatch: " + value;
        }
        if (n.longValue() != version) {
            return "counter n=" + n + " at version=" + version + ": n must equal the version (an update was lost"
                + " or applied twice)";
        }
        return null;
    }

    /**
     * The writer's operation number in a counter object.
     *
     * @param value the object
     * @return its {@code s}, or -1
     */
    static long counterSeq(final Object value) {
        return value instanceof Map<?, ?> m && m.get("s") instanceof Number s ? s.longValue() : -1;
    }

    private static long counterCrc(final long n, final int writer, final long seq) {
        return crc((n + "/" + writer + "/" + seq).getBytes(StandardCharsets.US_ASCII));
    }
}
