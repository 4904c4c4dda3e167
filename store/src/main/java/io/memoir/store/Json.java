package io.memoir.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

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

    private final String text;
    private int pos;
    private int depth;

    private Json(final String text) {
        this.text = text;
    }

    /**
     * Parses one JSON value, the whole text.
     *
     * @throws IllegalArgumentException naming the line, column and what was expected
     */
    static Object parse(final String text) {
        final Json p = new Json(text);
        p.skipSpace();
        final Object value = p.value();
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.error("end of input after the value");
        }
        return value;
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
        enter();
        pos++;
        final Map<String, Object> out = new CompactMap<>();
        skipSpace();
        if (peek() == '}') {
            pos++;
            depth--;
            return out;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("a string key");
            }
            final int keyAt = pos;
            final String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            if (out.containsKey(key)) {
                pos = keyAt;
                throw error("no duplicate key (\"" + key + "\" appears twice)");
            }
            out.put(key, value());
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else {
                expect('}');
                depth--;
                return out;
            }
        }
    }

    private List<Object> array() {
        enter();
        pos++;
        final List<Object> out = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            pos++;
            depth--;
            return out;
        }
        while (true) {
            skipSpace();
            out.add(value());
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else {
                expect(']');
                depth--;
                return out;
            }
        }
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
        final int start = ++pos;
        final int n = text.length();
        for (int i = start; i < n; i++) {
            final char c = text.charAt(i);
            if (c == '"') {
                pos = i + 1;
                return text.substring(start, i);
            }
            if (c == '\\' || c < 0x20) {
                break;
            }
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
        final Object fast = integral ? (Object) integer(start, pos) : (Object) real(start, pos); // no unboxing
        if (fast != null) {
            return fast;
        }
        final String literal = text.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException e) {
                pos = start;
                throw error("an integer within 64 bits (write " + literal + " as a string, or with a fraction "
                    + "to store it as a double)");
            }
        }
        final double d = Double.parseDouble(literal);
        if (Double.isInfinite(d)) {
            pos = start;
            throw error("a number within the range of a double");
        }
        return d;
    }

    /** The integer of the (valid) literal from {@code from} to {@code to}, or null if it may not fit a long. */
    private Long integer(final int from, final int to) {
        final boolean negative = text.charAt(from) == '-';
        final int first = negative ? from + 1 : from;
        if (to - first > 18) {
            return null; // 19 digits or more may overflow: Long.parseLong decides
        }
        long v = 0;
        for (int i = first; i < to; i++) {
            v = v * 10 + (text.charAt(i) - '0');
        }
        return negative ? -v : v;
    }

    /**
     * The double of the (valid) literal from {@code from} to {@code to} when it is exact to compute: a
     * mantissa below 2^53 and a power of ten up to 10^22, both exact doubles, so one multiplication or
     * division rounds correctly (Clinger's fast path); else null, for {@link Double#parseDouble}.
     */
    private Double real(final int from, final int to) {
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
                    if (++digits > 17) {
                        return null;
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
                return null;
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
            return null;
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
