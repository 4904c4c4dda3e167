package io.memoir.store.mmap;

import java.util.ArrayList;
import java.util.List;

/**
 * The map operations of the recordings' op language, each as the Java call a user would write,
 * using the overload that matches the number of Python arguments. Void methods give {@code null}
 * (Python's {@code None}).
 */
final class MmapOps {

    private MmapOps() {
    }

    static Object call(Mmap m, String op, List<Object> a) {
        switch (op) {
            case "close":
                m.close();
                return null;
            case "closed":
                return m.isClosed();
            case "repr":
                return m.toString();
            case "len":
                return m.length();
            case "size":
                return m.size();
            case "tell":
                return m.tell();
            case "read":
                return a.isEmpty() || a.get(0) == null ? m.read() : m.read(num(a, 0));
            case "read_byte":
                return m.readByte();
            case "readline":
                return m.readLine();
            case "find":
            case "rfind":
                return find(m, op.equals("rfind"), a);
            case "flush":
                return flush(m, a);
            case "move":
                m.move(num(a, 0), num(a, 1), num(a, 2));
                return null;
            case "resize":
                m.resize(num(a, 0));
                return null;
            case "seek":
                if (a.size() == 1) {
                    m.seek(num(a, 0));
                } else {
                    m.seek(num(a, 0), (int) num(a, 1));
                }
                return null;
            case "write":
                return m.write((byte[]) a.get(0));
            case "write_byte":
                m.writeByte((int) num(a, 0));
                return null;
            default:
                return item(m, op, a);
        }
    }

    private static Object item(Mmap m, String op, List<Object> a) {
        switch (op) {
            case "getitem":
                return m.get(num(a, 0));
            case "setitem":
                m.set(num(a, 0), (int) num(a, 1));
                return null;
            case "getslice":
                if (a.size() == 2 && a.get(0) != null && a.get(1) != null) {
                    return m.getSlice(num(a, 0), num(a, 1));
                }
                return m.getSlice(box(a, 0), box(a, 1), a.size() > 2 ? box(a, 2) : null);
            case "setslice":
                if (a.get(0) != null && a.get(1) != null && a.get(2) == null) {
                    m.setSlice(num(a, 0), num(a, 1), (byte[]) a.get(3));
                } else {
                    m.setSlice(box(a, 0), box(a, 1), box(a, 2), (byte[]) a.get(3));
                }
                return null;
            case "list":
                List<byte[]> out = new ArrayList<>();
                for (byte[] b : m) {
                    out.add(b);
                }
                return out;
            default:
                throw new AssertionError("unknown op " + op);
        }
    }

    private static Object find(Mmap m, boolean reverse, List<Object> a) {
        byte[] sub = (byte[]) a.get(0);
        switch (a.size()) {
            case 1:
                return reverse ? m.rfind(sub) : m.find(sub);
            case 2:
                return reverse ? m.rfind(sub, num(a, 1)) : m.find(sub, num(a, 1));
            default:
                return reverse ? m.rfind(sub, num(a, 1), num(a, 2)) : m.find(sub, num(a, 1), num(a, 2));
        }
    }

    private static Object flush(Mmap m, List<Object> a) {
        switch (a.size()) {
            case 0:
                m.flush();
                break;
            case 1:
                m.flush(num(a, 0));
                break;
            default:
                m.flush(num(a, 0), num(a, 1));
                break;
        }
        return null;
    }

    private static long num(List<Object> a, int i) {
        return (Long) a.get(i);
    }

    private static Long box(List<Object> a, int i) {
        return (Long) a.get(i);
    }
}
