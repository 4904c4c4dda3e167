package io.memoir.store.mmap;

/**
 * Searches a {@link Backing} chunk by chunk, so neither a large mapping nor a large needle is
 * copied whole. Results are those of CPython's {@code _PyBytes_Find} / {@code _PyBytes_ReverseFind}
 * (stringlib {@code find}/{@code rfind}). Not API.
 */
final class ByteSearch {

    /** Bytes read per step (plus the needle's length, so a match never straddles two reads). */
    static final int CHUNK = 64 * 1024;

    private ByteSearch() {
    }

    /**
     * Lowest index {@code i} in {@code [start, end - needle.length]} where {@code needle} occurs, or
     * -1. {@code 0 <= start, end <= size}; {@code end < start} finds nothing; an empty needle is
     * found at {@code start}.
     */
    static long find(Backing b, byte[] needle, long start, long end) {
        int n = needle.length;
        if (end - start < n) {
            return -1;
        }
        if (n == 0) {
            return start;
        }
        byte[] buf = new byte[(int) Math.min(end - start, (long) CHUNK + n)];
        for (long p = start; p + n <= end; p += buf.length - n + 1) {
            int len = (int) Math.min(buf.length, end - p);
            b.read(p, buf, 0, len);
            for (int i = 0; i + n <= len; i++) {
                if (matches(buf, i, needle)) {
                    return p + i;
                }
            }
        }
        return -1;
    }

    /** Highest such index, or -1; an empty needle is found at {@code end}. */
    static long rfind(Backing b, byte[] needle, long start, long end) {
        int n = needle.length;
        if (end - start < n) {
            return -1;
        }
        if (n == 0) {
            return end;
        }
        byte[] buf = new byte[(int) Math.min(end - start, (long) CHUNK + n)];
        for (long q = end; q - n >= start; q -= buf.length - n + 1) {
            int len = (int) Math.min(buf.length, q - start);
            long p = q - len;
            b.read(p, buf, 0, len);
            for (int i = len - n; i >= 0; i--) {
                if (matches(buf, i, needle)) {
                    return p + i;
                }
            }
        }
        return -1;
    }

    /** Index just past the first {@code '\n'} in {@code [start, end)}, or {@code end} if none. */
    static long endOfLine(Backing b, long start, long end) {
        byte[] buf = new byte[(int) Math.min(end - start, CHUNK)];
        for (long p = start; p < end; p += buf.length) {
            int len = (int) Math.min(buf.length, end - p);
            b.read(p, buf, 0, len);
            for (int i = 0; i < len; i++) {
                if (buf[i] == '\n') {
                    return p + i + 1;
                }
            }
        }
        return end;
    }

    private static boolean matches(byte[] buf, int at, byte[] needle) {
        for (int j = 0; j < needle.length; j++) {
            if (buf[at + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }
}
