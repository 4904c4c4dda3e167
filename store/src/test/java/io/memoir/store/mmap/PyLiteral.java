package io.memoir.store.mmap;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The literal syntax of the recordings (see {@code record_mmap.py}): ints, {@code None},
 * {@code True}/{@code False}, {@code b'...'} bytes, {@code '...'} strings, {@code [a b]} lists and
 * the names {@code ACCESS_*} and {@code SEEK_*}.
 */
final class PyLiteral {

    private static final Map<String, Long> NAMES = Map.of(
            "ACCESS_DEFAULT", 0L, "ACCESS_READ", 1L, "ACCESS_WRITE", 2L, "ACCESS_COPY", 3L,
            "SEEK_SET", 0L, "SEEK_CUR", 1L, "SEEK_END", 2L);

    private PyLiteral() {
    }

    /** Encodes a Java result as Python's literal: null is None, byte[] is bytes, List is a list. */
    static String encode(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean) {
            return ((Boolean) value) ? "True" : "False";
        }
        if (value instanceof Long || value instanceof Integer) {
            return value.toString();
        }
        if (value instanceof byte[]) {
            StringBuilder sb = new StringBuilder("b'");
            for (byte b : (byte[]) value) {
                sb.append(escape(b & 0xFF));
            }
            return sb.append('\'').toString();
        }
        if (value instanceof String) {
            return "'" + ((String) value).replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
        if (value instanceof List) {
            StringBuilder sb = new StringBuilder("[");
            for (Object item : (List<?>) value) {
                sb.append(sb.length() > 1 ? " " : "").append(encode(item));
            }
            return sb.append(']').toString();
        }
        throw new IllegalArgumentException("no literal for " + value.getClass());
    }

    private static String escape(int c) {
        switch (c) {
            case '\\':
                return "\\\\";
            case '\'':
                return "\\'";
            case '\n':
                return "\\n";
            case '\t':
                return "\\t";
            case '\r':
                return "\\r";
            default:
                return c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c);
        }
    }

    /** Decodes space-separated literals: Long, null or byte[]. */
    static List<Object> parseArgs(String text) {
        List<Object> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            if (text.charAt(i) == ' ') {
                i++;
            } else if (text.startsWith("b'", i)) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                i += 2;
                while (text.charAt(i) != '\'') {
                    char c = text.charAt(i);
                    if (c != '\\') {
                        buf.write(c);
                        i++;
                    } else if (text.charAt(i + 1) == 'x') {
                        buf.write(Integer.parseInt(text.substring(i + 2, i + 4), 16));
                        i += 4;
                    } else {
                        buf.write(unescape(text.charAt(i + 1)));
                        i += 2;
                    }
                }
                out.add(buf.toByteArray());
                i++;
            } else {
                int j = text.indexOf(' ', i);
                j = j < 0 ? text.length() : j;
                String word = text.substring(i, j);
                out.add(word.equals("None") ? null : NAMES.containsKey(word) ? NAMES.get(word) : Long.valueOf(word));
                i = j;
            }
        }
        return out;
    }

    private static int unescape(char c) {
        switch (c) {
            case 'n':
                return '\n';
            case 't':
                return '\t';
            case 'r':
                return '\r';
            default:
                return c;
        }
    }

    /** {@code pattern(n)} of the recorder: n deterministic bytes, with a newline every 64. */
    static byte[] pattern(int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) (i % 64 == 63 ? 10 : (i * 7 + 3) % 256);
        }
        return out;
    }
}
