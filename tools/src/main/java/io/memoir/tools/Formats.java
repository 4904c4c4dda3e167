package io.memoir.tools;

import io.memoir.store.JournalEntry;
import io.memoir.store.MemoirException;
import io.memoir.store.Op;
import io.memoir.store.RegionInfo;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/** How entries and regions are printed: one line each, as text or as a JSON object. */
final class Formats {
    /** Preview length of an entry's data in text lines. */
    static final int PREVIEW = 40;
    private static final DateTimeFormatter TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Formats() {
    }

    /** Output formats of journal entries. */
    enum EntryFormat { text, json }

    /**
     * A time in epoch nanoseconds as an ISO-8601 UTC instant with microseconds.
     *
     * @param epochNanos the time
     * @return e.g. {@code 2026-11-21T10:00:00.123456Z}
     */
    static String time(final long epochNanos) {
        return TIME.format(Instant.ofEpochSecond(0, epochNanos));
    }

    /**
     * A journal index as printed everywhere: {@code 0x} and hex, as Chronicle Queue indexes are
     * cycle (high bits) and sequence (low bits).
     *
     * @param index the index
     * @return e.g. {@code 0x4a1b00000003}
     */
    static String index(final long index) {
        return "0x" + Long.toHexString(index);
    }

    /**
     * One entry on one line: time, index, tag, op, version, offset, length and a data preview.
     *
     * @param e the entry
     * @return the line
     */
    /**
     * The object a PUT entry stored, as JSON text (the store's own conversion, as {@code get --format
     * json} prints it), or null if the entry holds raw bytes rather than an object.
     */
    private static String objectJson(final JournalEntry e) {
        if (e.op() != Op.PUT || e.data().length == 0) {
            return null;
        }
        try {
            return e.objectJson();
        } catch (MemoirException | IllegalStateException | IllegalArgumentException notAnObject) {
            return null;
        }
    }

    static String text(final JournalEntry e) {
        final StringBuilder sb = new StringBuilder(128);
        sb.append(time(e.time())).append("  ").append(index(e.index())).append("  ").append(e.tag())
            .append("  ").append(e.op()).append("  v").append(e.version());
        switch (e.op()) {
            case WRITE -> sb.append("  @").append(e.offset()).append(" +").append(e.data().length);
            case DELETE -> { }
            default -> sb.append("  len=").append(e.length());
        }
        final String object = objectJson(e);
        if (object != null) {
            sb.append("  json=").append(object.length() > 2 * PREVIEW ? object.substring(0, 2 * PREVIEW) + "..." : object);
        } else if (e.data().length > 0) {
            sb.append("  ");
            preview(sb, e.data());
        }
        sb.append("  pid=").append(e.writer());
        return sb.toString();
    }

    /**
     * Appends the first {@link #PREVIEW} bytes in quotes: printable ASCII as it is, {@code "} and
     * backslash escaped, every other byte as {@code \xNN}; {@code ...} after the quote if cut.
     *
     * @param sb   where to append
     * @param data the bytes
     */
    static void preview(final StringBuilder sb, final byte[] data) {
        int end = data.length;
        while (end > 0 && data[end - 1] == 0) {
            end--; // zero padding says nothing
        }
        sb.append('"');
        for (int i = 0; i < Math.min(end, PREVIEW); i++) {
            final int b = data[i] & 0xff;
            if (b == '"' || b == '\\') {
                sb.append('\\').append((char) b);
            } else if (b >= 0x20 && b < 0x7f) {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        sb.append('"');
        if (end > PREVIEW) {
            sb.append("...");
        }
    }

    /**
     * One entry as a JSON object on one line (for {@code jq} or Python); {@code data} is base64, and an
     * entry that stored an object (put-json) also has it as {@code value}.
     *
     * @param e the entry
     * @return the JSON text
     */
    static String json(final JournalEntry e) {
        return new Json().field("index", e.index()).field("time", time(e.time())).field("timeNanos", e.time())
            .field("tag", e.tag()).field("op", e.op().name()).field("version", e.version())
            .field("offset", e.offset()).field("length", e.length()).field("writer", e.writer())
            .field("data", Base64.getEncoder().encodeToString(e.data())).raw("value", objectJson(e)).toString();
    }

    static String format(final JournalEntry e, final EntryFormat format) {
        return format == EntryFormat.json ? json(e) : text(e);
    }

    /**
     * A region as a JSON object on one line.
     *
     * @param r the region
     * @return the JSON text
     */
    static String json(final RegionInfo r) {
        return new Json().field("tag", r.tag()).field("length", r.length()).field("version", r.version())
            .field("lastTime", time(r.lastTime())).field("lastTimeNanos", r.lastTime()).field("writer", r.writer())
            .field("lastIndex", r.lastIndex()).toString();
    }
}
