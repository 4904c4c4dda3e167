package io.memoir.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.memoir.store.JournalEntry;
import io.memoir.store.Op;
import io.memoir.tools.Converters.Position;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The CLI's pure parts: parsing option values, and the text and JSON an entry prints as. */
class FormatsTest {

    @ParameterizedTest
    @CsvSource({"start,START,0", "END,END,0", "42,INDEX,42", "0x512a00000003,INDEX,89240830476291",
        "1970-01-01T00:00:01.5Z,TIME,1500000000"})
    void shouldParsePositions(final String text, final Position.Kind kind, final long value) {
        assertEquals(new Position(kind, value), Position.parse(text));
    }

    @Test
    void shouldRejectWhatIsNeitherIndexNorTime() {
        assertThrows(TypeConversionException.class, () -> Position.parse("yesterday"));
        assertThrows(TypeConversionException.class, () -> Position.parse("0xzz"));
    }

    @Test
    void shouldParseDurationsAndSizes() {
        assertEquals(Duration.ofMillis(500), new Converters.DurationConverter().convert("500ms"));
        assertEquals(Duration.ofSeconds(10), new Converters.DurationConverter().convert("10s"));
        assertEquals(Duration.ofMinutes(2), new Converters.DurationConverter().convert("PT2M"));
        assertEquals(4 << 20, new Converters.SizeConverter().convert("4M"));
        assertEquals(64 << 10, new Converters.SizeConverter().convert("64k"));
        assertThrows(TypeConversionException.class, () -> new Converters.SizeConverter().convert("4G"));
        assertThrows(TypeConversionException.class, () -> new Converters.DurationConverter().convert("soon"));
    }

    @Test
    void shouldParseHexWithSeparatorsAndRejectTheRest() {
        assertArrayEquals(new byte[] {0, (byte) 0xff, 0x41}, Converters.hex("0x00 ff:41"));
        assertEquals("malformed hex: odd number of digits=3 in 'abc'",
            assertThrows(UsageException.class, () -> Converters.hex("abc")).getMessage());
        assertEquals("malformed hex: 'g1' at digit=2 in '00g1'",
            assertThrows(UsageException.class, () -> Converters.hex("00g1")).getMessage());
    }

    @Test
    void shouldPrintEntriesAsOneLineOfTextOrJson() {
        final JournalEntry e = new JournalEntry(0x512a00000001L, 1_500_000_000L, "t", Op.WRITE, 2, 8, 16, 42,
            new byte[] {'h', 'i', '"', '\\', 0, 1, 0, 0});
        assertEquals("1970-01-01T00:00:01.500000Z  0x512a00000001  t  WRITE  v2  @8 +8  \"hi\\\"\\\\\\x00\\x01\"  pid=42",
            Formats.text(e));
        assertEquals("{\"index\":89240830476289,\"time\":\"1970-01-01T00:00:01.500000Z\",\"timeNanos\":1500000000,"
            + "\"tag\":\"t\",\"op\":\"WRITE\",\"version\":2,\"offset\":8,\"length\":16,\"writer\":42,"
            + "\"data\":\"aGkiXAABAAA=\"}", Formats.json(e));
    }

    @Test
    void shouldCutLongPreviewsAndDumpHex() {
        final StringBuilder sb = new StringBuilder();
        Formats.preview(sb, "0123456789012345678901234567890123456789TOO-LONG".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("\"0123456789012345678901234567890123456789\"...", sb.toString());
        assertEquals("00000000  41 42 00                                          |AB.|\n00000003\n",
            HexDump.dump(new byte[] {'A', 'B', 0}).replace("\r\n", "\n"));
    }
}
