package io.memoir.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import net.openhft.chronicle.wire.BinaryWireCode;

/**
 * A strict JSON parser (RFC 8259) into the values Memoir stores for JSON: {@link Map} (insertion
 * ordered), {@link List}, {@link String}, {@link Long} (integers), {@link Double} (numbers with a
 * fraction or exponent), {@link Boolean} and {@code null}. Chronicle Wire's own JSON reader is
 * lenient (it reads YAML); tools that exchange JSON need malformed input refused, with where.
 * {@link #write} does the reverse for the same kinds of values.
 */
final class Json {
    /** Deeper nesting is refused rather than risking a stack overflow. */
    static final int MAX_DEPTH = 512;

    /** Above this many keys, an object being written checks its keys for duplicates in a hash set. */
    private static final int KEYS_SCANNED = 16;

    private final String text;
    private int pos;
    private int depth;
    /** Where {@link #parseInto} writes, null for {@link #parse}. */
    private final TreeCodec.Out sink;
    /** The keys of the objects being written, innermost last, for the duplicates check. */
    private String[] keys;
    private int keyCount;

    private Json(final String text, final TreeCodec.Out out) {
        this.text = text;
        this.sink = out;
    }

    /**
     * Parses one JSON value, the whole text.
     *
     * @throws IllegalArgumentException naming the line, column and what was expected
     */
    static Object parse(final String text) {
        final Json p = new Json(text, null);
        p.skipSpace();
        final Object value = p.value();
        p.end();
        return value;
    }

    /**
     * Parses one JSON value, the whole text, as {@link #parse} does, and writes it to {@code out} as
     * {@link TreeCodec#write} writes the value {@link #parse} gives, byte for byte, without making it:
     * {@code putJson}'s path from text to the store.
     *
     * @throws IllegalArgumentException as {@link #parse} does ({@code out} is then partly written)
     */
    static void parseInto(final String text, final TreeCodec.Out out) {
        final Json p = new Json(text, out);
        p.skipSpace();
        p.write();
        p.end();
    }

    private void end() {
        skipSpace();
        if (pos < text.length()) {
            throw error("end of input after the value");
        }
    }

    /** {@link #value}, written to {@link #sink}. */
    private void write() {
        if (pos >= text.length()) {
            throw error("a value");
        }
        final char c = text.charAt(pos);
        switch (c) {
            case '{':
                writeObject();
                break;
            case '[':
                writeArray();
                break;
            case '"':
                writeString();
                break;
            case 't':
                literal("true", null);
                sink.put(BinaryWireCode.TRUE);
                break;
            case 'f':
                literal("false", null);
                sink.put(BinaryWireCode.FALSE);
                break;
            case 'n':
                literal("null", null);
                sink.put(BinaryWireCode.NULL);
                break;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    final int start = pos;
                    if (scanNumber()) {
                        sink.int64(integerValue(start));
                    } else {
                        sink.float64(realValue(start));
                    }
                    break;
                }
                throw error("a value");
        }
    }

    /** {@link #object}, written: its keys go through the encoder's key cache, checked for duplicates here. */
    private void writeObject() {
        if (!opens('}')) {
            sink.put(TreeCodec.EMPTY_MAP);
            return;
        }
        final int lengthAt = TreeCodec.open(sink);
        final int first = keyCount;
        Set<String> many = null;
        do {
            final int keyAt = keyAt();
            final String key = key();
            colon();
            if (many == null && keyCount - first == KEYS_SCANNED) {
                many = new HashSet<>(Arrays.asList(keys).subList(first, keyCount));
            }
            if (many != null ? !many.add(key) : seen(first, key)) {
                throw duplicate(keyAt, key);
            }
            if (many == null) {
                keep(key);
            }
            sink.key(key);
            write();
        } while (more('}'));
        keyCount = first;
        TreeCodec.close(sink, lengthAt);
    }

    /**
     * A key being written: if it has no escape, the encoder's cached string for its characters (no
     * copy of them), else {@link #string}.
     */
    private String key() {
        final int end = plainEnd();
        if (end < 0) {
            return string();
        }
        final int start = pos + 1;
        pos = end + 1;
        return sink.keyString(text, start, end);
    }

    /** Where the string at the position ends (its closing quote) if it has no escape; else -1. */
    private int plainEnd() {
        final int n = text.length();
        for (int i = pos + 1; i < n; i++) {
            final char c = text.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\' || c < 0x20) {
                return -1;
            }
        }
        return -1;
    }

    private boolean seen(final int first, final String key) {
        for (int i = first; i < keyCount; i++) {
            if (keys[i].equals(key)) {
                return true;
            }
        }
        return false;
    }

    private void keep(final String key) {
        if (keys == null) {
            keys = new String[KEYS_SCANNED];
        } else if (keyCount == keys.length) {
            keys = Arrays.copyOf(keys, 2 * keys.length);
        }
        keys[keyCount++] = key;
    }

    /** {@link #array}, written. */
    private void writeArray() {
        if (!opens(']')) {
            sink.put(TreeCodec.EMPTY_LIST);
            return;
        }
        final int lengthAt = TreeCodec.open(sink);
        do {
            skipSpace();
            write();
        } while (more(']'));
        TreeCodec.close(sink, lengthAt);
    }

    /** {@link #string}, written: straight from the text if it has no escape, else made first. */
    private void writeString() {
        final int end = plainEnd();
        if (end < 0) {
            TreeCodec.text(string(), sink, false);
            return;
        }
        final int start = pos + 1;
        pos = end + 1;
        TreeCodec.text(text, start, end, sink, false);
    }

    private Object value() {
        if (pos >= text.length()) {
            throw error("a value");
        }
        final char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("a value");
        }
    }

    private Map<String, Object> object() {
        final Map<String, Object> out = new CompactMap<>();
        if (!opens('}')) {
            return out;
        }
        do {
            final int keyAt = keyAt();
            final String key = string();
            colon();
            if (out.containsKey(key)) {
                throw duplicate(keyAt, key);
            }
            out.put(key, value());
        } while (more('}'));
        return out;
    }

    private List<Object> array() {
        final List<Object> out = new ArrayList<>();
        if (opens(']')) {
            do {
                skipSpace();
                out.add(value());
            } while (more(']'));
        }
        return out;
    }

    /** Enters the container at the position; whether it has items (else it is passed, up to {@code close}). */
    private boolean opens(final char close) {
        enter();
        pos++;
        skipSpace();
        if (peek() == close) {
            pos++;
            depth--;
            return false;
        }
        return true;
    }

    /** After an item: whether another follows (a comma, passed), else passes {@code close} and leaves. */
    private boolean more(final char close) {
        skipSpace();
        if (peek() == ',') {
            pos++;
            return true;
        }
        expect(close);
        depth--;
        return false;
    }

    /** Where the next key starts (it must be a string). */
    private int keyAt() {
        skipSpace();
        if (peek() != '"') {
            throw error("a string key");
        }
        return pos;
    }

    /** The colon after a key, and the spaces around it. */
    private void colon() {
        skipSpace();
        expect(':');
        skipSpace();
    }

    private IllegalArgumentException duplicate(final int keyAt, final String key) {
        pos = keyAt;
        return error("no duplicate key (\"" + key + "\" appears twice)");
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("at most " + MAX_DEPTH + " levels of nesting");
        }
    }

    /**
     * A string: cut out of the text if it has no escape (the common case), else built char by char.
     */
    private String string() {
        final int end = plainEnd();
        final int start = ++pos;
        if (end >= 0) {
            pos = end + 1;
            return text.substring(start, end);
        }
        final StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("a closing quote");
            }
            final char c = text.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("no raw control character in a string (escape it)");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("an escape");
            }
            final char e = text.charAt(pos++);
            switch (e) {
                case '"':
                case '\\':
                case '/':
                    sb.append(e);
                    break;
                case 'b':
                    sb.append('\b');
                    break;
                case 'f':
                    sb.append('\f');
                    break;
                case 'n':
                    sb.append('\n');
                    break;
                case 'r':
                    sb.append('\r');
                    break;
                case 't':
                    sb.append('\t');
                    break;
                case 'u':
                    sb.append(hex4());
                    break;
                default:
                    pos -= 2;
                    throw error("a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
            }
        }
    }

    private char hex4() {
        if (pos + 4 > text.length()) {
            throw error("four hex digits");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            final int d = Character.digit(text.charAt(pos), 16);
            if (d < 0) {
                throw error("a hex digit");
            }
            v = v * 16 + d;
            pos++;
        }
        return (char) v;
    }

    private Object number() {
        final int start = pos;
        return scanNumber() ? (Object) integerValue(start) : (Object) realValue(start); // no unboxing
    }

    /**
     * Moves past the number literal at the position, checking its form.
     *
     * @return whether it is an integer (no fraction, no exponent)
     */
    private boolean scanNumber() {
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            digits();
        } else {
            throw error("a digit");
        }
        boolean integral = true;
        if (peek() == '.') {
            pos++;
            integral = false;
            if (!isDigit(peek())) {
                throw error("a digit after the decimal point");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            integral = false;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("a digit in the exponent");
            }
            digits();
        }
        return integral;
    }

    /** The integer literal scanned from {@code start} to the position. */
    private long integerValue(final int start) {
        final boolean negative = text.charAt(start) == '-';
        final int first = negative ? start + 1 : start;
        if (pos - first <= 18) { // 18 digits always fit
            long v = 0;
            for (int i = first; i < pos; i++) {
                v = v * 10 + (text.charAt(i) - '0');
            }
            return negative ? -v : v;
        }
        final String literal = text.substring(start, pos);
        try {
            return Long.parseLong(literal);
        } catch (NumberFormatException e) {
            pos = start;
            throw error("an integer within 64 bits (write " + literal + " as a string, or with a fraction "
                + "to store it as a double)");
        }
    }

    /** The number literal with a fraction or an exponent scanned from {@code start} to the position. */
    private double realValue(final int start) {
        final double fast = real(start, pos);
        if (!Double.isNaN(fast)) {
            return fast;
        }
        final double d = Double.parseDouble(text.substring(start, pos));
        if (Double.isInfinite(d)) {
            pos = start;
            throw error("a number within the range of a double");
        }
        return d;
    }

    /**
     * The double of the (valid) literal from {@code from} to {@code to} when it is exact to compute: a
     * mantissa below 2^53 and a power of ten up to 10^22, both exact doubles, so one multiplication or
     * division rounds correctly (Clinger's fast path); else, for a mantissa of up to 18 digits, as
     * {@link EiselLemire} finds it; else NaN (which no literal is), for {@link Double#parseDouble}.
     */
    private double real(final int from, final int to) {
        int i = from;
        final boolean negative = text.charAt(i) == '-';
        if (negative) {
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int scale = 0;
        boolean fraction = false;
        for (; i < to; i++) {
            final char c = text.charAt(i);
            if (c == '.') {
                fraction = true;
            } else if (c == 'e' || c == 'E') {
                break;
            } else {
                if (mantissa != 0 || c != '0') {
                    if (++digits > 18) { // 18 digits fit a long
                        return Double.NaN;
                    }
                    mantissa = mantissa * 10 + (c - '0');
                }
                if (fraction) {
                    scale--;
                }
            }
        }
        if (i < to) { // the exponent
            i++;
            final boolean negativeExponent = text.charAt(i) == '-';
            if (negativeExponent || text.charAt(i) == '+') {
                i++;
            }
            if (to - i > 3) {
                return Double.NaN;
            }
            int e = 0;
            for (; i < to; i++) {
                e = e * 10 + (text.charAt(i) - '0');
            }
            scale += negativeExponent ? -e : e;
        }
        if (mantissa == 0) {
            return negative ? -0.0 : 0.0;
        }
        if (mantissa >= 1L << 53 || scale < -22 || scale > 22) {
            return EiselLemire.toDouble(mantissa, scale, negative);
        }
        final double d = scale < 0 ? mantissa / POWERS_OF_TEN[-scale] : mantissa * POWERS_OF_TEN[scale];
        return negative ? -d : d;
    }

    /** 10^0 to 10^22: every one an exact double. */
    private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(final char c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(final String word, final Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("a value");
        }
        pos += word.length();
        return value;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void expect(final char c) {
        if (peek() != c) {
            throw error("'" + c + "'");
        }
        pos++;
    }

    private void skipSpace() {
        while (pos < text.length()) {
            final char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private IllegalArgumentException error(final String expected) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < pos && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        final String found = pos >= text.length() ? "end of input"
            : "'" + text.substring(pos, Math.min(text.length(), pos + 12)).replace("\n", "\\n") + "'";
        return new IllegalArgumentException("malformed JSON at line " + line + ", column " + column + ": expected "
            + expected + ", found " + found);
    }

    /**
     * Writes a JSON-like value (maps with string keys, lists, strings, numbers, booleans, null) as
     * compact JSON. Non-finite doubles, which JSON cannot hold, are written as the strings
     * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
     *
     * @param other turns any other value (a typed object, bytes, a date) into a JSON-like one
     */
    static void write(final Object value, final StringBuilder out, final UnaryOperator<Object> other) {
        final Class<?> c = value == null ? null : value.getClass();
        if (c == String.class) { // class tests first: a failing interface test (CharSequence, Map) scans interfaces
            quote((String) value, out);
        } else if (c == CompactMap.class || c == LinkedHashMap.class) {
            map((Map<?, ?>) value, out, other);
        } else if (c == ArrayList.class) {
            list((List<?>) value, out, other);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            out.append(((Number) value).longValue());
        } else if (value == null || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Double) {
            final double d = (Double) value;
            if (Double.isFinite(d)) {
                out.append(text(d));
            } else {
                quote(Double.toString(d), out);
            }
        } else if (value instanceof Float) {
            final float f = (Float) value;
            if (Float.isFinite(f)) {
                out.append(Float.toString(f));
            } else {
                quote(Float.toString(f), out);
            }
        } else if (value instanceof CharSequence) {
            quote(value.toString(), out);
        } else if (value instanceof Map) {
            map((Map<?, ?>) value, out, other);
        } else if (value instanceof List) {
            list((List<?>) value, out, other);
        } else {
            final Object converted = other.apply(value);
            if (converted instanceof Map || converted instanceof List || converted instanceof CharSequence) {
                write(converted, out, other);
            } else {
                quote(String.valueOf(converted), out);
            }
        }
    }

    private static void map(final Map<?, ?> map, final StringBuilder out, final UnaryOperator<Object> other) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            quote(String.valueOf(e.getKey()), out);
            out.append(':');
            write(e.getValue(), out, other);
        }
        out.append('}');
    }

    private static void list(final List<?> list, final StringBuilder out, final UnaryOperator<Object> other) {
        out.append('[');
        boolean first = true;
        for (Object item : list) {
            if (!first) {
                out.append(',');
            }
            first = false;
            write(item, out, other);
        }
        out.append(']');
    }

    /**
     * {@link Double#toString} of the doubles this thread wrote last, by their bits: on JDK 17 it costs
     * 100-300 ns for a double with many digits, and a config's doubles repeat from one version to the
     * next. Direct-mapped, 256 entries.
     */
    private static final ThreadLocal<DoubleStrings> DOUBLES = ThreadLocal.withInitial(DoubleStrings::new);

    /** {@link Double#toString} of a double, from this thread's cache of the doubles it wrote last. */
    static String text(final double d) {
        return DOUBLES.get().toString(d);
    }

    private static final class DoubleStrings {
        private static final int SLOTS = 256;
        private final long[] bits = new long[SLOTS];
        private final String[] strings = new String[SLOTS];

        String toString(final double d) {
            final long b = Double.doubleToRawLongBits(d);
            final int slot = (int) ((b * 0x9E3779B97F4A7C15L) >>> 56);
            final String cached = strings[slot];
            if (cached != null && bits[slot] == b) {
                return cached;
            }
            final String s = Double.toString(d);
            bits[slot] = b;
            strings[slot] = s;
            return s;
        }
    }

    /**
     * A JSON string: appended whole if nothing in it needs an escape (a copy of its bytes), else in runs
     * between the escapes.
     */
    private static void quote(final String s, final StringBuilder out) {
        out.append('"');
        final int n = s.length();
        int i = 0;
        while (i < n) {
            final char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f) {
                break;
            }
            i++;
        }
        if (i == n) {
            out.append(s).append('"');
            return;
        }
        int run = 0;
        for (; i < n; i++) {
            final char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f) {
                continue;
            }
            out.append(s, run, i);
            run = i + 1;
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    out.append(String.format("\\u%04x", (int) c));
                    break;
            }
        }
        out.append(s, run, s.length());
        out.append('"');
    }
}
