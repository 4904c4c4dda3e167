package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Json}'s fast paths against their oracles: numbers against {@link Long#parseLong} and
 * {@link Double#parseDouble} (bit for bit), strings and whole trees by writing and reading back, and
 * {@link TreeJson} against the tree's way.
 */
class JsonTest {
    private static final int CASES = 20_000;

    @Test
    void shouldParseNumbersExactlyAsTheJdkDoes() {
        final Random random = new Random(11);
        for (int n = 0; n < CASES; n++) {
            final String literal = numberLiteral(random);
            final boolean integral = literal.indexOf('.') < 0 && literal.indexOf('e') < 0 && literal.indexOf('E') < 0;
            if (integral) {
                Long expected;
                try {
                    expected = Long.parseLong(literal);
                } catch (NumberFormatException e) {
                    expected = null;
                }
                if (expected == null) {
                    assertThrows(IllegalArgumentException.class, () -> Json.parse(literal), literal);
                } else {
                    assertEquals(expected, Json.parse(literal), literal);
                }
            } else {
                final double expected = Double.parseDouble(literal);
                if (Double.isInfinite(expected)) {
                    assertThrows(IllegalArgumentException.class, () -> Json.parse(literal), literal);
                } else {
                    final Object parsed = Json.parse(literal);
                    assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits((Double) parsed), literal);
                }
            }
        }
        for (String edge : List.of("-0", "0", "-0.0", "0.0", "0e0", "-0e-5", "9007199254740993.0", "9007199254740992",
            "0.3333333333333333", "1e22", "1e23", "123456789012345678", "1234567890123456789", "9223372036854775807",
            "-9223372036854775808", "4.9e-324", "2.2250738585072014E-308", "1.7976931348623157e308", "0.1e-22",
            "100000000000000000000000e-22", "1.00000000000000000000001")) {
            if (edge.indexOf('.') < 0 && edge.indexOf('e') < 0 && edge.indexOf('E') < 0) {
                assertEquals(Long.parseLong(edge), Json.parse(edge), edge);
            } else {
                assertEquals(Double.doubleToRawLongBits(Double.parseDouble(edge)),
                    Double.doubleToRawLongBits((Double) Json.parse(edge)), edge);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Json.parse("9223372036854775808"));
    }

    @Test
    void shouldReadBackWhatItWrites() {
        final Random random = new Random(12);
        for (int n = 0; n < CASES / 4; n++) {
            final Object tree = value(random, 0);
            final StringBuilder sb = new StringBuilder();
            Json.write(tree, sb, x -> x);
            final String text = sb.toString();
            assertEquals(tree, Json.parse(text), text);
            final StringBuilder again = new StringBuilder(); // the doubles' cache gives the same text
            Json.write(Json.parse(text), again, x -> x);
            assertEquals(text, again.toString());
        }
    }

    @Test
    void shouldWriteStringsAndNumbersAsBefore() {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("q\"b\\s/", "tab\there\nnew\rret \u0001 \u007f é 中 \uD83D\uDE00");
        m.put("l", Long.MIN_VALUE);
        m.put("i", -7);
        m.put("d", 0.1);
        m.put("big", 1e300);
        m.put("whole", 3.0);
        m.put("f", 1.25f);
        m.put("nan", Double.NaN);
        m.put("inf", Float.NEGATIVE_INFINITY);
        final StringBuilder sb = new StringBuilder();
        Json.write(m, sb, x -> x);
        assertEquals("{\"q\\\"b\\\\s/\":\"tab\\there\\nnew\\rret \\u0001 \\u007f é 中 \uD83D\uDE00\",\"l\":-9223372036854775808,"
            + "\"i\":-7,\"d\":0.1,\"big\":1.0E300,\"whole\":3.0,\"f\":1.25,\"nan\":\"NaN\",\"inf\":\"-Infinity\"}", sb.toString());
    }

    @Test
    void shouldFindTheNearestDoubleAsTheJdkDoesOrSayItCannot() {
        // EiselLemire against Double.parseDouble, bit for bit, where it answers; it may only decline
        final Random random = new Random(15);
        int answered = 0;
        for (int n = 0; n < CASES; n++) {
            long m = (random.nextLong() >>> 1) % 1_000_000_000_000_000_000L; // up to 18 digits
            m = n % 3 == 0 ? m % 100_000_000_000_000_000L : m;
            final int e = n % 2 == 0 ? random.nextInt(45) - 30 // where configs' numbers are
                : EiselLemire.MIN_EXPONENT + random.nextInt(EiselLemire.MAX_EXPONENT - EiselLemire.MIN_EXPONENT + 1);
            final double got = EiselLemire.toDouble(Math.max(1, m), e, n % 5 == 0);
            if (!Double.isNaN(got)) {
                answered++;
                final String literal = (n % 5 == 0 ? "-" : "") + Math.max(1, m) + "e" + e;
                assertEquals(Double.doubleToRawLongBits(Double.parseDouble(literal)), Double.doubleToRawLongBits(got),
                    literal);
            }
        }
        assertTrue(answered > CASES * 3 / 4, "answered=" + answered);
        for (String edge : List.of("9007199254740993.0", "9007199254740993e0", "1.7976931348623157e308",
            "2.2250738585072014e-308", "4.9e-324", "0.30000000000000004", "123456789012345678e-18",
            "2.5e-324", "8.98846567431158e307")) {
            final Object parsed = Json.parse(edge);
            final double want = Double.parseDouble(edge);
            assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits((Double) parsed), edge);
        }
        assertThrows(IllegalArgumentException.class, () -> Json.parse("1.8e308")); // beyond a double: refused
    }

    /** The old way of getJson: decode the tree, then write it (null if the tree reader gives up). */
    private static String throughTheTree(final byte[] bytes) {
        try {
            final StringBuilder sb = new StringBuilder();
            Json.write(TreeCodec.read(bytes, ObjectCodec.HEADER_LENGTH), sb, x -> x);
            return sb.toString();
        } catch (TreeCodec.Unsupported e) {
            return null;
        }
    }

    /** {@link TreeJson}'s text, or null if it gives up (it must not throw anything else). */
    private static String straight(final byte[] bytes) {
        try {
            return TreeJson.write(bytes, ObjectCodec.HEADER_LENGTH);
        } catch (TreeCodec.Unsupported e) {
            return null;
        }
    }

    @Test
    void shouldWriteJsonStraightFromTheBinaryFormAsThroughTheTree() {
        final Random random = new Random(13);
        int written = 0;
        for (int n = 0; n < CASES / 4; n++) {
            final Object tree = value(random, 0);
            final Map<String, Object> edges = new LinkedHashMap<>(); // every integer width, floats, long keys
            edges.put("k".repeat(32 + random.nextInt(40)), List.of((byte) -3, (short) 300, -70_000, Long.MIN_VALUE));
            edges.put("f", List.of(1.25f, Float.NaN, Double.NEGATIVE_INFINITY, -0.0, new ArrayList<>(), Map.of()));
            edges.put("cl\u00e9", tree);
            for (Object value : Arrays.asList(tree, edges)) { // the tree may be null
                for (byte[] bytes : List.of(ObjectCodec.encode(value, "t"), ObjectCodec.encodeWithChronicle(value, "t"))) {
                    final String expected = throughTheTree(bytes);
                    assertEquals(expected, straight(bytes), () -> "of " + value);
                    written += expected == null ? 0 : 1;
                    if (expected != null) {
                        assertEquals(expected, ObjectCodec.toJson(bytes, "t", 1));
                    }
                }
            }
        }
        assertTrue(written > CASES / 4, "written=" + written);
        // damaged bytes: every cut, and each byte set to codes the readers know: the same text or both give up
        final byte[] good = ObjectCodec.encode(Map.of("a", List.of(1L, "x\"y", 2.5), "b", Map.of("c", true)), "t");
        final byte[] codes = {0, 0x20, (byte) 0x80, (byte) 0x82, (byte) 0xA6, (byte) 0xA7, (byte) 0xB6, (byte) 0xB7,
            (byte) 0xB9, (byte) 0xBB, (byte) 0xBF, (byte) 0xC0, (byte) 0xC5, (byte) 0xE0, (byte) 0xE5, (byte) 0xFF};
        for (int cut = ObjectCodec.HEADER_LENGTH; cut <= good.length; cut++) {
            for (int at = ObjectCodec.HEADER_LENGTH; at < cut; at++) {
                for (byte code : codes) {
                    final byte[] bad = Arrays.copyOf(good, cut);
                    bad[at] = code;
                    assertEquals(throughTheTree(bad), straight(bad), "cut=" + cut + ", at=" + at + ", code=" + code);
                }
            }
        }
    }

    /** {@code putJson}'s bytes of the text, or the message of the exception that refused it. */
    private static Object straightIn(final String text) {
        try {
            final TreeCodec.Out out = ObjectCodec.encodeJsonInPlace(text);
            return Arrays.toString(Arrays.copyOf(out.buf, out.pos));
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The old way of putJson: parse into a tree, then encode it (or the message that refused the text). */
    private static Object throughTheTreeIn(final String text) {
        try {
            return Arrays.toString(ObjectCodec.encode(Json.parse(text), "t"));
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Test
    void shouldWriteParsedJsonStraightToTheBinaryFormAsThroughTheTree() {
        final Random random = new Random(14);
        for (int n = 0; n < CASES / 4; n++) {
            final StringBuilder sb = new StringBuilder();
            Json.write(value(random, 0), sb, x -> x);
            final String text = sb.toString();
            assertEquals(throughTheTreeIn(text), straightIn(text), text);
            final String spaced = " \n" + text.replace(":[", " :\t[ ").replace("{\"", "{ \"") + "\r\n";
            assertEquals(throughTheTreeIn(spaced), straightIn(spaced), spaced);
        }
        final StringBuilder many = new StringBuilder("{");
        for (int k = 0; k < 40; k++) {
            many.append(k == 0 ? "" : ",").append("\"k").append(k).append("\":{\"a\":[").append(k).append(",{}]}");
        }
        final String manyKeys = many + "}";
        final List<String> texts = List.of("null", "true", " false ", "-0", "0.5e-3", "1E22", "12345678901234567890.5",
            "\"\"", "\"\\u00e9\\n\\/x\"", "\"é中\uD83D\uDE00\"", "[]", "{}", "[[],{},[{}]]", manyKeys,
            "{\"" + "k".repeat(40) + "\":1,\"clé\":2,\"a\":{\"a\":{\"a\":3}}}",
            // refused: the same message either way
            "", "{", "[1,]", "{\"a\":1,}", "{a:1}", "{\"a\" 1}", "01", "1.", "-", "1e", "9223372036854775808", "1e999",
            "\"\\x\"", "\"a\nb\"", "\"\\u12g4\"", "tru", "nul", "[1 2]", "{\"a\":1,\"a\":2}",
            "{\"a\":{\"b\":1,\"b\":2}}", manyKeys.substring(0, manyKeys.length() - 1) + ",\"k7\":0}",
            "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1), "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH),
            "{} x");
        for (String text : texts) {
            assertEquals(throughTheTreeIn(text), straightIn(text), text.length() > 80 ? text.substring(0, 80) : text);
        }
    }

    private static String numberLiteral(final Random r) {
        final StringBuilder sb = new StringBuilder();
        if (r.nextBoolean()) {
            sb.append('-');
        }
        final int intDigits = 1 + r.nextInt(r.nextBoolean() ? 4 : 22);
        sb.append(r.nextInt(8) == 0 ? 0 : 1 + r.nextInt(9));
        if (sb.charAt(sb.length() - 1) != '0') {
            for (int i = 1; i < intDigits; i++) {
                sb.append(r.nextInt(10));
            }
        }
        if (r.nextInt(3) > 0) {
            sb.append('.');
            final int frac = 1 + r.nextInt(r.nextBoolean() ? 6 : 25);
            for (int i = 0; i < frac; i++) {
                sb.append(r.nextInt(10));
            }
        }
        if (r.nextInt(4) == 0) {
            sb.append(r.nextBoolean() ? 'e' : 'E');
            final int choice = r.nextInt(3);
            if (choice == 1) {
                sb.append('+');
            } else if (choice == 2) {
                sb.append('-');
            }
            sb.append(r.nextInt(r.nextBoolean() ? 30 : 400));
        }
        return sb.toString();
    }

    private static Object value(final Random r, final int depth) {
        switch (r.nextInt(depth < 3 ? 9 : 7)) {
            case 0:
                return r.nextLong() >> r.nextInt(64);
            case 1: {
                final double d = r.nextBoolean() ? r.nextDouble() * Math.pow(10, r.nextInt(40) - 20)
                    : Double.longBitsToDouble(r.nextLong());
                return Double.isFinite(d) ? d : 0.5;
            }
            case 2:
            case 3:
                return string(r);
            case 4:
                return r.nextBoolean();
            case 5:
                return r.nextInt(100) / 4.0;
            case 6:
                return null;
            case 7: {
                final List<Object> list = new ArrayList<>();
                for (int k = r.nextInt(4); k > 0; k--) {
                    list.add(value(r, depth + 1));
                }
                return list;
            }
            default: {
                final Map<String, Object> map = new LinkedHashMap<>();
                for (int k = r.nextInt(4); k > 0; k--) {
                    map.put(string(r), value(r, depth + 1));
                }
                return map;
            }
        }
    }

    /** Plain text, and text with every character that needs an escape, non-ASCII and surrogate pairs. */
    private static String string(final Random r) {
        final StringBuilder sb = new StringBuilder();
        for (int k = r.nextInt(20); k > 0; k--) {
            switch (r.nextInt(6)) {
                case 0:
                    sb.append("\"\\\n\r\t\b\f\u0000\u001f\u007f".charAt(r.nextInt(10)));
                    break;
                case 1:
                    sb.append(r.nextBoolean() ? "é中" : "\uD83D\uDE00");
                    break;
                default:
                    sb.append((char) (' ' + r.nextInt(95)));
                    break;
            }
        }
        return sb.toString();
    }
}
