package io.memoir.store.mmap;

import io.memoir.store.Region;
import io.memoir.store.Store;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Runs the op language of {@code record_mmap.py} against {@link Mmap}, producing outcomes in the
 * recordings' format, so they can be compared as text.
 *
 * <p>The Java to Python exception mapping used here is the documented one: {@code Mmap.ValueError}
 * is {@code ValueError} and so on; {@code Mmap.OSError} is {@code OSError}, or the subclass Python
 * picks for its errno; errno 14 with the SIGBUS note stands for CPython's death by {@code SIGBUS};
 * an exhausted iterator is {@code StopIteration}.
 */
final class MmapReplayer implements AutoCloseable {

    /** How {@code open} maps the case's file. */
    enum Variant {
        /** {@link Mmap#map(Path, long, int, long)}. */
        PATH,
        /** {@link Mmap#map(FileChannel, long, int, long)} over a channel the test keeps open. */
        CHANNEL,
        /**
         * {@link Mmap#open(Store, String, long, int)}: the case's "file" is a store region, changed
         * through {@link Region} where the case changes the file (see {@link Recording.Case#fitsRegion()}).
         */
        REGION
    }

    private final Path dir;
    private final Path file;
    private final Variant variant;
    private final Store store;
    private final String tag;
    private final StorageCheck check;
    private final boolean truncateOutsideMemoir;
    private final Map<String, Object> objects = new HashMap<>();
    private final List<FileChannel> channels = new ArrayList<>();

    MmapReplayer(Path dir, Variant variant) {
        this(dir, variant, null, null, null, false);
    }

    /**
     * A replayer of a file variant whose maps check accesses as {@code check} says and whose
     * {@code file.truncate} (Python's {@code os.truncate}) is {@link Mmap#truncate(Path, long)}, or
     * with {@code truncateOutsideMemoir} {@link RandomAccessFile#setLength}, which no map can see.
     */
    MmapReplayer(Path dir, Variant variant, StorageCheck check, boolean truncateOutsideMemoir) {
        this(dir, variant, null, null, check, truncateOutsideMemoir);
    }

    /**
     * A replayer whose "file" is the region {@code tag} of {@code store}.
     *
     * @param dir where {@code {dir}} in messages points
     * @param store an open store the replayer does not close
     * @param tag a tag no other case uses
     */
    MmapReplayer(Path dir, Store store, String tag) {
        this(dir, Variant.REGION, store, tag, null, false);
    }

    private MmapReplayer(Path dir, Variant variant, Store store, String tag, StorageCheck check,
            boolean truncateOutsideMemoir) {
        this.dir = dir;
        this.file = dir.resolve("data");
        this.variant = variant;
        this.store = store;
        this.tag = tag;
        this.check = check;
        this.truncateOutsideMemoir = truncateOutsideMemoir;
    }

    /** Runs one step and describes what happened as the recorder would. */
    Recording.Outcome run(String target, String op, String argText) {
        String result = "";
        String error = "";
        String message = "";
        try {
            result = PyLiteral.encode(call(target, op, argText));
        } catch (Mmap.ValueError e) {
            error = "ValueError";
            message = e.getMessage();
        } catch (Mmap.TypeError e) {
            error = "TypeError";
            message = e.getMessage();
        } catch (Mmap.IndexError e) {
            error = "IndexError";
            message = e.getMessage();
        } catch (Mmap.OverflowError e) {
            error = "OverflowError";
            message = e.getMessage();
        } catch (Mmap.OSError e) {
            error = osErrorName(e);
            message = error.equals("SIGBUS") ? "" : e.getMessage().replace(dir.toString(), "{dir}");
        } catch (StopIteration e) {
            error = "StopIteration";
        } catch (NameError e) {
            error = "NameError";
            message = e.getMessage();
        }
        // A process killed by SIGBUS has no position to report.
        return new Recording.Outcome(result, error, message, error.equals("SIGBUS") ? "" : tell(target));
    }

    private static String osErrorName(Mmap.OSError e) {
        switch (e.errno()) {
            case 2:
                return "FileNotFoundError";
            case 13:
                return "PermissionError";
            case 14:
                return e.getMessage().startsWith("[Errno 14] Bad address (CPython would die of SIGBUS")
                        ? "SIGBUS" : "OSError";
            case 21:
                return "IsADirectoryError";
            default:
                return "OSError";
        }
    }

    private String tell(String target) {
        Object o = objects.get(target);
        if (o instanceof Mmap && !((Mmap) o).isClosed()) {
            return Long.toString(((Mmap) o).tell());
        }
        return "";
    }

    private Object call(String target, String op, String argText) {
        if (target.equals("module")) {
            try {
                return Mmap.class.getField(argText).getInt(null);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("Mmap has no constant " + argText, e);
            }
        }
        if (op.equals("iter")) {
            objects.put(argText.trim(), map(target).iterator());
            return null;
        }
        List<Object> a = PyLiteral.parseArgs(argText);
        if (target.equals("file")) {
            return fileOp(op, a);
        }
        switch (op) {
            case "open":
                objects.put(target, open(num(a, 0), (int) num(a, 1), num(a, 2)));
                return null;
            case "anon":
                objects.put(target, Mmap.anonymous(num(a, 0), (int) num(a, 1)));
                return null;
            case "next":
                return next(target);
            default:
                return MmapOps.call(map(target), op, a);
        }
    }

    private Object next(String target) {
        Object o = objects.get(target);
        if (o == null) {
            throw new NameError(target);
        }
        @SuppressWarnings("unchecked") // only iterator() results are stored under iterator names
        Iterator<byte[]> it = (Iterator<byte[]>) o;
        if (!it.hasNext()) {
            try {
                it.next();
                throw new AssertionError("next() after hasNext() == false did not throw");
            } catch (NoSuchElementException e) {
                throw new StopIteration();
            }
        }
        return it.next();
    }

    private Mmap open(long length, int access, long offset) {
        if (variant == Variant.REGION) {
            if (offset != 0) {
                throw new AssertionError("a region has no offset; the case does not fit REGION");
            }
            return Mmap.open(store, tag, length, access);
        }
        if (variant == Variant.PATH) {
            return check == null ? Mmap.map(file, length, access, offset)
                    : Mmap.map(FileBacking.Handle.open(file, access != Mmap.ACCESS_READ), length, access, offset, check);
        }
        try {
            FileChannel ch = access == Mmap.ACCESS_READ
                    ? FileChannel.open(file, StandardOpenOption.READ)
                    : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            channels.add(ch);
            return check == null ? Mmap.map(ch, length, access, offset)
                    : Mmap.map(FileBacking.Handle.of(ch), length, access, offset, check);
        } catch (IOException e) {
            throw new AssertionError("test harness could not open " + file, e);
        }
    }

    private Mmap map(String target) {
        Object o = objects.get(target);
        if (!(o instanceof Mmap)) {
            throw new NameError(target);
        }
        return (Mmap) o;
    }

    private Object fileOp(String op, List<Object> a) {
        if (variant == Variant.REGION) {
            return regionOp(op, a);
        }
        try {
            switch (op) {
                case "create":
                    Object content = a.get(0);
                    Files.write(file, content instanceof byte[] ? (byte[]) content
                            : PyLiteral.pattern((int) num(a, 0)));
                    return null;
                case "mkdir":
                    Files.createDirectory(file);
                    return null;
                case "read":
                    return Files.readAllBytes(file);
                case "size":
                    return Files.size(file);
                case "truncate":
                    truncate(num(a, 0));
                    return null;
                case "write":
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        ch.write(ByteBuffer.wrap((byte[]) a.get(1)), num(a, 0));
                    }
                    return null;
                default:
                    throw new AssertionError("unknown file op " + op);
            }
        } catch (IOException e) {
            throw new AssertionError("test harness failed on file." + op, e);
        }
    }

    /** Python's {@code os.truncate(file, length)}. */
    private void truncate(long length) throws IOException {
        if (!truncateOutsideMemoir) {
            Mmap.truncate(file, length);
            return;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        }
    }

    /** The file operations on the region standing for the file. */
    private Object regionOp(String op, List<Object> a) {
        switch (op) {
            case "create":
                Object content = a.get(0);
                byte[] bytes = content instanceof byte[] ? (byte[]) content : PyLiteral.pattern((int) num(a, 0));
                store.region(tag, bytes.length).put(bytes);
                return null;
            case "read":
                return store.region(tag).readAll();
            case "size":
                return (long) store.region(tag).length();
            case "write":
                Region r = store.region(tag);
                byte[] data = (byte[]) a.get(1);
                if (num(a, 0) + data.length > r.length()) {
                    r.resize((int) (num(a, 0) + data.length)); // writing past a file's end extends it
                }
                r.write(num(a, 0), data);
                return null;
            default:
                throw new AssertionError("file." + op + " has no region form; the case does not fit REGION");
        }
    }

    static long num(List<Object> a, int i) {
        return (Long) a.get(i);
    }

    @Override
    public void close() throws IOException {
        for (Object o : objects.values()) {
            if (o instanceof Mmap) {
                ((Mmap) o).close();
            }
        }
        for (FileChannel ch : channels) {
            ch.close();
        }
    }

    /** Python's NameError: a step names a map or iterator that was never created. */
    static final class NameError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NameError(String name) {
            super("name '" + name + "' is not defined");
        }
    }

    /** Python's StopIteration, from {@code next(it)}. */
    static final class StopIteration extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}
