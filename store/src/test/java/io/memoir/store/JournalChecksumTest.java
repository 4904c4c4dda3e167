package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The journal entry's checksum is the one docs/journal-format.md defines, byte for byte. */
class JournalChecksumTest {
    @Test
    void shouldBeCrc32cOverTheDocumentedBytes() {
        final Random random = new Random(7);
        final JournalFields.Checksum checksum = new JournalFields.Checksum();
        for (int i = 0; i < 2_000; i++) {
            final StringBuilder tag = new StringBuilder();
            for (int c = 1 + random.nextInt(i % 7 == 0 ? 200 : 20); c > 0; c--) {
                tag.append((char) (' ' + random.nextInt(95)));
            }
            final Op op = Op.values()[random.nextInt(Op.values().length)];
            final byte[] data = new byte[random.nextInt(300)];
            random.nextBytes(data);
            final int from = data.length == 0 ? 0 : random.nextInt(data.length);
            final int length = data.length - from;
            final long time = random.nextLong();
            final long version = random.nextLong();
            final long offset = random.nextLong();
            final int regionLength = random.nextInt();
            final int writer = random.nextInt();
            final byte[] in = i % 5 == 0 ? null : data;
            assertEquals(reference(time, tag.toString(), op, version, offset, regionLength, writer, in, from, length),
                checksum.of(time, tag.toString(), op, version, offset, regionLength, writer, in, from, length));
        }
    }

    /** The definition, one byte at a time: time, version, offset, length, writer big-endian; tag; op; data. */
    private static int reference(final long time, final String tag, final Op op, final long version, final long offset,
                                 final int length, final int writer, final byte[] data, final int from, final int n) {
        final CRC32C crc = new CRC32C();
        for (long v : new long[] {time, version, offset}) {
            for (int shift = 56; shift >= 0; shift -= 8) {
                crc.update((int) (v >>> shift));
            }
        }
        for (int v : new int[] {length, writer}) {
            for (int shift = 24; shift >= 0; shift -= 8) {
                crc.update(v >>> shift);
            }
        }
        crc.update(tag.getBytes(StandardCharsets.US_ASCII));
        crc.update(op.name().getBytes(StandardCharsets.US_ASCII));
        if (data != null) {
            crc.update(data, from, n);
        }
        return (int) crc.getValue();
    }
}
