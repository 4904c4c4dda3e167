package io.memoir.tools;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parsers for option values: durations, journal positions, hex. Bad input is a usage error. */
final class Converters {
    private Converters() {
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m}, or an ISO-8601 duration. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(final String value) {
            final String v = value.strip().toLowerCase(Locale.ROOT);
            try {
                if (v.startsWith("p")) {
                    return Duration.parse(value.strip());
                }
                if (v.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                }
                if (v.endsWith("s")) {
                    return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
                }
                if (v.endsWith("m")) {
                    return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
                }
                throw new NumberFormatException(v);
            } catch (NumberFormatException | DateTimeParseException e) {
                throw new TypeConversionException("not a duration: '" + value + "' (use e.g. 500ms, 10s, 2m)");
            }
        }
    }

    /** A size in bytes: {@code 4096}, {@code 64K}, {@code 16M}, {@code 1G} (binary units). */
    static final class SizeConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(final String value) {
            final String v = value.strip().toUpperCase(Locale.ROOT);
            final int shift = v.endsWith("K") ? 10 : v.endsWith("M") ? 20 : v.endsWith("G") ? 30 : 0;
            try {
                final long n = Long.parseLong(shift == 0 ? v : v.substring(0, v.length() - 1)) << shift;
                if (n < 1 || n > Integer.MAX_VALUE) {
                    throw new NumberFormatException();
                }
                return (int) n;
            } catch (NumberFormatException e) {
                throw new TypeConversionException("not a size: '" + value + "' (use e.g. 4096, 64K, 16M)");
            }
        }
    }

    /**
     * A journal position: {@code start}, {@code end}, an index (decimal or {@code 0x} hex, as printed by
     * {@code tail}), or a time (ISO-8601 instant such as {@code 2026-11-21T10:00:00Z}).
     */
    static final class PositionConverter implements ITypeConverter<Position> {
        @Override
        public Position convert(final String value) {
            return Position.parse(value);
        }
    }

    /**
     * Where to start or stop reading the journal.
     *
     * @param kind  what {@code value} is
     * @param value the index, or the time in epoch nanoseconds
     */
    record Position(Kind kind, long value) {
        /** What a position names. */
        enum Kind { START, END, INDEX, TIME }

        static Position parse(final String text) {
            final String v = text.strip();
            if (v.equalsIgnoreCase("start")) {
                return new Position(Kind.START, 0);
            }
            if (v.equalsIgnoreCase("end")) {
                return new Position(Kind.END, 0);
            }
            try {
                if (v.startsWith("0x") || v.startsWith("0X")) {
                    return new Position(Kind.INDEX, Long.parseUnsignedLong(v.substring(2), 16));
                }
                if (v.chars().allMatch(Character::isDigit) && !v.isEmpty()) {
                    return new Position(Kind.INDEX, Long.parseLong(v));
                }
                final Instant t = Instant.parse(v);
                return new Position(Kind.TIME, t.getEpochSecond() * 1_000_000_000L + t.getNano());
            } catch (NumberFormatException | DateTimeParseException e) {
                throw new TypeConversionException("not a journal position: '" + text
                    + "' (use start, end, an index such as 0x4a1b00000003 or 42, or a time such as 2026-11-21T10:00:00Z)");
            }
        }
    }

    /**
     * Parses hex digits, with optional spaces, colons or a {@code 0x} prefix.
     *
     * @param hex the text
     * @return the bytes
     * @throws UsageException if it is not hex
     */
    static byte[] hex(final String hex) {
        String h = hex.strip();
        if (h.startsWith("0x") || h.startsWith("0X")) {
            h = h.substring(2);
        }
        h = h.replaceAll("[\\s:_]", "");
        if (h.length() % 2 != 0) {
            throw new UsageException("malformed hex: odd number of digits=" + h.length() + " in '" + hex + "'");
        }
        final byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            final int hi = Character.digit(h.charAt(2 * i), 16);
            final int lo = Character.digit(h.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new UsageException("malformed hex: '" + h.substring(2 * i, 2 * i + 2) + "' at digit=" + 2 * i
                    + " in '" + hex + "'");
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }
}
