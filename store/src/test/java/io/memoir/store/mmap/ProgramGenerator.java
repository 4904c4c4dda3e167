package io.memoir.store.mmap;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random programs in the recordings' op language, aimed at the edges: indices around 0, the end and
 * page boundaries, every access mode, file and anonymous maps, a second (copy-on-write) map of the
 * same file, iterators, resizes, and the file changing underneath. The outcome of each program comes
 * from live CPython ({@code record_mmap.py --replay}), never from here.
 */
final class ProgramGenerator {

    private static final long MAX = Long.MAX_VALUE;
    private static final long MIN = Long.MIN_VALUE;
    private static final String[] ACCESS = {"ACCESS_DEFAULT", "ACCESS_READ", "ACCESS_WRITE", "ACCESS_COPY"};
    private static final byte[] ALPHABET = {'a', 'b', '\n', 0, (byte) 0xff};

    private final Random rnd;
    private List<String[]> steps;
    private long size;
    private boolean file;
    private boolean second;
    private int iterators;

    ProgramGenerator(long seed) {
        this.rnd = new Random(seed);
    }

    /** One program: rows of (target, op, args). */
    List<String[]> next() {
        steps = new ArrayList<>();
        second = false;
        iterators = 0;
        file = rnd.nextInt(10) < 7;
        String access = ACCESS[rnd.nextInt(4)];
        size = pick(1 + rnd.nextInt(64), 1 + rnd.nextInt(16), 100, 4095, 4096, 4097, 9000, 12288);
        if (file) {
            add("file", "create", size <= 64 && rnd.nextBoolean() ? lit(bytes((int) size)) : Long.toString(size));
            long offset = size > 4096 && rnd.nextInt(3) == 0 ? 4096 : 0;
            long length = rnd.nextInt(10) < 7 ? 0 : 1 + (long) rnd.nextInt((int) (size - offset));
            add("m", "open", length + " " + access + " " + offset);
            size = length == 0 ? size - offset : length;
            if (rnd.nextInt(5) == 0) {
                add("c", "open", "0 " + ACCESS[rnd.nextInt(4)] + " 0");
                second = true;
            }
        } else {
            add("m", "anon", size + " " + access);
            if (!access.equals("ACCESS_READ") && size <= 64) {
                add("m", "write", lit(bytes((int) size)));
                add("m", "seek", "0");
            }
        }
        int n = 10 + rnd.nextInt(40);
        for (int i = 0; i < n; i++) {
            op(second && rnd.nextInt(3) == 0 ? "c" : "m");
        }
        if (file && size <= 200) {
            add("file", "read", "");
        }
        return steps;
    }

    private void op(String t) {
        switch (rnd.nextInt(24)) {
            case 0: add(t, "read", pickStr("", "None", Long.toString(rnd.nextInt((int) size + 3) - 2), Long.toString(idx()))); break;
            case 1: add(t, "read_byte", ""); break;
            case 2: add(t, "readline", ""); break;
            case 3: add(t, rnd.nextBoolean() ? "find" : "rfind", findArgs()); break;
            case 4: add(t, "seek", idx() + (rnd.nextBoolean() ? "" : " " + pick(0, 0, 1, 2, 3, -1))); break;
            case 5: add(t, "write", lit(bytes(pickInt(0, 1, 2, 3, 6, 17)))); break;
            case 6: add(t, "write_byte", Long.toString(pick(0, 97, 255, 256, -1))); break;
            case 7: add(t, "move", idx() + " " + idx() + " " + (rnd.nextInt((int) size + 3) - 1)); break;
            case 8: case 9: add(t, "getitem", Long.toString(idx())); break;
            case 10: add(t, "setitem", idx() + " " + pick(0, 98, 255, 256, -1)); break;
            case 11: add(t, "getslice", bound() + " " + bound() + (rnd.nextBoolean() ? "" : " " + step())); break;
            case 12: case 13: add(t, "setslice", setSliceArgs()); break;
            case 14: add(t, "flush", flushArgs()); break;
            case 15: resize(t); break;
            case 16: add(t, pickStr("size", "len", "tell", "repr", "closed"), ""); break;
            case 17: if (size <= 200) { add(t, "list", ""); } break;
            case 18: iterate(t); break;
            case 19: if (rnd.nextInt(8) == 0) { add(t, "close", ""); } break;
            case 20: if (file && rnd.nextInt(3) == 0) { add("file", "truncate", Long.toString(pick(0, 10, 4096, size, size + 5000))); } break;
            case 21: if (file) { add("file", "write", idx() % 200 + 200 + " " + lit(bytes(3))); } break;
            case 22: if (file) { add("file", "size", ""); } break;
            default: add(t, "seek", "0"); break;
        }
    }

    private void resize(String t) {
        long n = pick(1 + rnd.nextInt((int) (2 * size + 2)), size, 1, 0, -1, 4096, 4097, 8192);
        add(t, "resize", Long.toString(n));
        if (n > 0 && t.equals("m")) {
            size = n;
        }
    }

    private void iterate(String t) {
        if (iterators == 0 || rnd.nextInt(4) == 0) {
            add(t, "iter", "it" + iterators++);
        }
        String it = "it" + rnd.nextInt(iterators);
        for (int i = rnd.nextInt(4); i >= 0; i--) {
            add(it, "next", "");
        }
    }

    private String findArgs() {
        byte[] sub = rnd.nextInt(6) == 0 ? new byte[0] : bytes(pickInt(1, 1, 2, 3));
        switch (rnd.nextInt(3)) {
            case 0: return lit(sub);
            case 1: return lit(sub) + " " + idx();
            default: return lit(sub) + " " + idx() + " " + idx();
        }
    }

    private String flushArgs() {
        switch (rnd.nextInt(4)) {
            case 0: return "";
            case 1: return Long.toString(pick(0, 1, 4096));
            case 2: return pick(0, 4096, 8192, 1) + " " + pick(0, 1, size, size - 4096, 100);
            default: return idx() + " " + (rnd.nextInt((int) size + 2) - 1);
        }
    }

    private String setSliceArgs() {
        String a = bound();
        String b = bound();
        String c = rnd.nextInt(3) == 0 ? step() : "None";
        long n;
        try {
            n = PySlice.of(size, box(a), box(b), box(c)).length;
        } catch (Mmap.ValueError e) {
            n = 1;
        }
        n = Math.max(0, n + pick(0, 0, 0, 1, -1));
        return a + " " + b + " " + c + " " + lit(bytes((int) Math.min(n, 20000)));
    }

    private static Long box(String s) {
        return s.equals("None") ? null : Long.valueOf(s);
    }

    private String bound() {
        return rnd.nextInt(4) == 0 ? "None" : Long.toString(idx());
    }

    private String step() {
        return Long.toString(pick(1, 2, 3, -1, -2, -7, 0, MAX, MIN, 4096));
    }

    private long idx() {
        switch (rnd.nextInt(12)) {
            case 0: return 0;
            case 1: return size;
            case 2: return -size - 1;
            case 3: return size - 1;
            case 4: return pick(4095, 4096, 4097, -4096, 8191, 8192);
            case 5: return rnd.nextInt(20) == 0 ? pick(MAX, MIN, MAX - 1, MIN + 1) : 1;
            default: return rnd.nextInt((int) (2 * size + 7)) - size - 3;
        }
    }

    private byte[] bytes(int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = ALPHABET[rnd.nextInt(ALPHABET.length)];
        }
        return out;
    }

    private long pick(long... values) {
        return values[rnd.nextInt(values.length)];
    }

    private int pickInt(int... values) {
        return values[rnd.nextInt(values.length)];
    }

    private String pickStr(String... values) {
        return values[rnd.nextInt(values.length)];
    }

    private static String lit(byte[] b) {
        return PyLiteral.encode(b);
    }

    private void add(String target, String op, String args) {
        steps.add(new String[] {target, op, args});
    }
}
