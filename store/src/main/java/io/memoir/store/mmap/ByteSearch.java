package io.memoir.store.mmap;

/**
 * Searches a {@link Backing} chunk by chunk, so neither a large mapping nor a large needle is
 * copied whole. Results are those of CPython's {@code _PyBytes_Find} / {@code _PyBytes_ReverseFind}
 * (stringlib {@code find}/{@code rfind}) and {@code memchr}.
 *
 * <p>Where storage has gone from under the mapping (CPython's {@code SIGBUS}, here {@code EFAULT})
 * the searches fault exactly where C would: a forward scan ({@code memchr}, {@code default_find},
 * which never reads past the range) searches the pages before the faulting one and faults only if
 * the answer is not there; a backward scan, when its fast path faults, replays C's
 * {@code default_rfind} byte by byte, since C reads each window's first byte before its last. Not
 * API.
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
        Mmap.OSError[] fault = new Mmap.OSError[1];
        for (long p = start; p + n <= end; p += buf.length - n + 1) {
            int len = (int) Math.min(buf.length, end - p);
            int got = readAvailable(b, p, buf, len, fault);
            for (int i = 0; i + n <= got; i++) {
                if (matches(buf, i, needle)) {
                    return p + i;
                }
            }
            if (got < len) {
                throw fault[0];
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
        try {
            return rfindChunked(b, needle, start, end);
        } catch (Mmap.OSError e) {
            if (e.errno() != Errno.EFAULT) {
                throw e;
            }
            return rfindAsC(new Haystack(b, start), needle, end - start);
        }
    }

    private static long rfindChunked(Backing b, byte[] needle, long start, long end) {
        int n = needle.length;
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

    /**
     * CPython 3.11's {@code default_rfind} (or {@code rfind_char} for one byte) over {@code s[0..len)},
     * reading exactly the bytes C reads, in C's order, so that it faults where C would.
     */
    private static long rfindAsC(Haystack s, byte[] p, long len) {
        int m = p.length;
        if (m == 1) {
            for (long i = len - 1; i >= 0; i--) {
                if (s.at(i) == p[0]) {
                    return s.start + i;
                }
            }
            return -1;
        }
        int mlast = m - 1;
        long skip = mlast;
        long mask = bloom(p[0]);
        for (int i = mlast; i > 0; i--) {
            mask |= bloom(p[i]);
            if (p[i] == p[0]) {
                skip = i - 1;
            }
        }
        for (long i = len - m; i >= 0; i--) {
            if (s.at(i) == p[0]) {
                int j = mlast;
                while (j > 0 && s.at(i + j) == p[j]) {
                    j--;
                }
                if (j == 0) {
                    return s.start + i;
                }
                i -= i > 0 && (mask & bloom(s.at(i - 1))) == 0 ? m : skip;
            } else if (i > 0 && (mask & bloom(s.at(i - 1))) == 0) {
                i -= m;
            }
        }
        return -1;
    }

    /** stringlib's 64-bit bloom filter bit for a byte. */
    private static long bloom(byte c) {
        return 1L << (c & 63);
    }

    /** Bytes of a backing from {@code start}, read a page at a time, the last page cached. */
    private static final class Haystack {
        final long start;
        private final Backing b;
        private final byte[] page = new byte[Mmap.PAGESIZE];
        private long pageStart = -1;

        Haystack(Backing b, long start) {
            this.b = b;
            this.start = start;
        }

        byte at(long i) {
            long pos = start + i;
            if (pos < pageStart || pos >= pageStart + page.length || pageStart < 0) {
                long first = pos - pos % page.length;
                b.read(first, page, 0, (int) Math.min(page.length, b.size() - first));
                pageStart = first;
            }
            return page[(int) (pos - pageStart)];
        }
    }

    /** Index just past the first {@code '\n'} in {@code [start, end)}, or {@code end} if none. */
    static long endOfLine(Backing b, long start, long end) {
        byte[] buf = new byte[(int) Math.min(end - start, CHUNK)];
        Mmap.OSError[] fault = new Mmap.OSError[1];
        for (long p = start; p < end; p += buf.length) {
            int len = (int) Math.min(buf.length, end - p);
            int got = readAvailable(b, p, buf, len, fault);
            for (int i = 0; i < got; i++) {
                if (buf[i] == '\n') {
                    return p + i + 1;
                }
            }
            if (got < len) {
                throw fault[0];
            }
        }
        return end;
    }

    /**
     * Reads {@code [p, p+len)} into {@code buf}, or, if that faults ({@code EFAULT}), as many whole
     * pages from {@code p} as do not, keeping the fault in {@code fault[0]}.
     *
     * @return bytes read, {@code len} unless a page faulted
     */
    static int readAvailable(Backing b, long p, byte[] buf, int len, Mmap.OSError[] fault) {
        try {
            b.read(p, buf, 0, len);
            return len;
        } catch (Mmap.OSError e) {
            if (e.errno() != Errno.EFAULT) {
                throw e;
            }
            fault[0] = e;
        }
        int got = 0;
        while (got < len) {
            int n = (int) Math.min(len - got, Mmap.PAGESIZE - (p + got) % Mmap.PAGESIZE);
            try {
                b.read(p + got, buf, got, n);
            } catch (Mmap.OSError e) {
                if (e.errno() != Errno.EFAULT) {
                    throw e;
                }
                fault[0] = e;
                return got;
            }
            got += n;
        }
        return got;
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
