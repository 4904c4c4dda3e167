package io.memoir.store;

import java.nio.charset.StandardCharsets;

/**
 * One journal entry: one mutation of one region (see {@code docs/journal-format.md}).
 *
 * @param index   the entry's journal (Chronicle Queue) index
 * @param time    when it was made, epoch nanoseconds
 * @param tag     the region's tag
 * @param op      what was done
 * @param version the tag's version after the operation (1 for the first CREATE)
 * @param offset  where {@code data} was written ({@link Op#WRITE}); 0 otherwise
 * @param length  the region's length after the operation
 * @param writer  the pid of the process that made it
 * @param data    the bytes written ({@link Op#WRITE}, {@link Op#PUT}); empty otherwise. Not copied:
 *                do not modify.
 */
public record JournalEntry(long index, long time, String tag, Op op, long version, long offset, int length,
                           int writer, byte[] data) {

    /**
     * The data as text: UTF-8 with control characters escaped, cut at {@code max} characters.
     *
     * @param max the longest preview to return
     * @return a one-line preview of {@link #data()}
     */
    public String dataPreview(final int max) {
        final String s = new String(data, 0, Math.min(data.length, max * 4), StandardCharsets.UTF_8);
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            final char c = s.charAt(i);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (sb.length() >= max && s.length() > max) {
            sb.append("...");
        }
        return sb.toString();
    }

    /**
     * The object this entry stored, decoded: for {@link Op#PUT} entries written by
     * {@link Store#put(String, Object)} and its relatives.
     *
     * @param type the type to read it as ({@code Object.class} for whatever it is)
     * @param <T>  the type
     * @return the object
     * @throws MemoirException.WrongTypeException if the entry carries no whole object, or one of another type
     */
    public <T> T object(final Class<T> type) {
        requireWholeObject();
        // through this thread's TreeCache (a watcher decodes only what changed since the version before),
        // which keeps the bytes it is given: a copy (without padding), so that no change to data can reach it
        return ObjectCodec.decode(ObjectCodec.unpaddedCopy(data), type, tag, version, ObjectCodec.JOURNAL_ENTRIES);
    }

    /**
     * The object this entry stored, as JSON text, exactly as {@link Store#getJson(String)} gives it;
     * the object's classes need not be on the classpath.
     *
     * @return the JSON text
     * @throws MemoirException.WrongTypeException if the entry carries no whole object
     */
    public String objectJson() {
        requireWholeObject();
        return ObjectCodec.toJson(data, tag, version);
    }

    private void requireWholeObject() {
        if (op != Op.PUT) {
            throw new MemoirException.WrongTypeException("journal entry index=0x" + Long.toHexString(index) + " of tag="
                + tag + " is a " + op + ": only PUT entries carry a whole object", null);
        }
    }

    @Override
    public String toString() {
        return "JournalEntry{index=" + Long.toHexString(index) + ", time=" + time + ", tag=" + tag + ", op=" + op
            + ", version=" + version + ", offset=" + offset + ", length=" + length + ", writer=" + writer
            + ", data=" + data.length + "B}";
    }
}
