package io.memoir.tools;

/** A {@code hexdump -C} style dump: offset, 16 bytes in hex, and the printable ASCII. */
final class HexDump {
    private HexDump() {
    }

    static String dump(final byte[] bytes) {
        final StringBuilder sb = new StringBuilder();
        for (int line = 0; line < bytes.length; line += 16) {
            sb.append(String.format("%08x ", line));
            for (int i = line; i < line + 16; i++) {
                if (i % 8 == 0) {
                    sb.append(' ');
                }
                sb.append(i < bytes.length ? String.format("%02x ", bytes[i] & 0xff) : "   ");
            }
            sb.append(" |");
            for (int i = line; i < Math.min(line + 16, bytes.length); i++) {
                final int b = bytes[i] & 0xff;
                sb.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
            }
            sb.append("|\n");
        }
        sb.append(String.format("%08x%n", bytes.length));
        return sb.toString();
    }
}
