package io.memoir.store.mmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three storage check modes of file maps ({@link Mmap#STORAGE_CHECK_PROP_NAME}): when each reads
 * the file's length ({@code FileBacking.lengthChecks}), what each sees of a truncation through
 * Memoir and by other means, and {@link Mmap#truncate}, Python's {@code os.truncate}.
 */
@EnabledOnOs(OS.LINUX)
class MmapStorageCheckTest {

    private static final int PAGE = Mmap.PAGESIZE;

    @TempDir
    Path dir;

    /** Where the fault-reporting test drops its allocations. */
    private byte[] junk;

    @Test
    void shouldParseTheModes() {
        assertEquals(StorageCheck.TRACKED, StorageCheck.parse(null));
        assertEquals(StorageCheck.TRACKED, StorageCheck.parse(" "));
        assertEquals(StorageCheck.TRACKED, StorageCheck.parse("Tracked"));
        assertEquals(StorageCheck.STRICT, StorageCheck.parse("strict"));
        assertEquals(StorageCheck.STRICT, StorageCheck.parse("true"));
        assertEquals(StorageCheck.OFF, StorageCheck.parse("OFF"));
        assertEquals(StorageCheck.OFF, StorageCheck.parse("false"));
        String message = assertThrows(IllegalArgumentException.class, () -> StorageCheck.parse("sometimes"))
                .getMessage();
        assertTrue(message.startsWith("-Dmemoir.mmap.storage.check=sometimes is not a storage check mode"), message);
        assertTrue(message.contains("strict") && message.contains("tracked") && message.contains("off"), message);
    }

    @Test
    void shouldRefuseToMapWithAnUnknownModeAndChangeNothing() throws IOException {
        Path file = Files.write(dir.resolve("data"), new byte[] {1, 2, 3});
        String before = System.getProperty(Mmap.STORAGE_CHECK_PROP_NAME);
        System.setProperty(Mmap.STORAGE_CHECK_PROP_NAME, "sometimes");
        try {
            assertThrows(IllegalArgumentException.class, () -> Mmap.map(file, 0));
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                assertThrows(IllegalArgumentException.class, () -> Mmap.map(ch, 0));
                assertTrue(ch.isOpen(), "the caller's channel stays open");
            }
        } finally {
            if (before == null) {
                System.clearProperty(Mmap.STORAGE_CHECK_PROP_NAME);
            } else {
                System.setProperty(Mmap.STORAGE_CHECK_PROP_NAME, before);
            }
        }
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
    }

    @Test
    void shouldReadTheLengthOnlyAfterATruncationThroughMemoirInTrackedMode() throws IOException {
        try (Mmap m = map("data", 2 * PAGE, StorageCheck.TRACKED)) {
            assertArrayEquals(new long[] {1, 2}, lengthChecks(m),
                    "once at the first access, once more after a truncation of any file through Memoir");
            m.size();
            accessMany(m);
            assertEquals(2, backing(m).lengthChecks, "size() reads the length anyway and refreshes what the map knows");
        }
    }

    @Test
    void shouldSeeAResizeOfAnotherMapOfTheFileThroughAnotherPathInTrackedMode() throws IOException {
        try (Mmap m = map("data", 2 * PAGE, StorageCheck.TRACKED)) {
            m.get(PAGE + 1);
            Path link = Files.createLink(dir.resolve("link"), dir.resolve("data"));
            try (Mmap c = Mmap.map(FileBacking.Handle.open(link, true), 0, Mmap.ACCESS_WRITE, 0,
                    StorageCheck.TRACKED)) {
                c.resize(10);
                assertEquals(0, m.get(PAGE - 1), "the rest of the last page reads zeros, as in C");
                assertSigbus(() -> m.get(PAGE));
                m.seek(PAGE - 2);
                assertSigbus(() -> m.read(4));
                assertEquals(PAGE - 2, m.tell(), "a failed call changes nothing");
                try (FileChannel ch = FileChannel.open(link, StandardOpenOption.WRITE)) {
                    Mmap.truncate(ch, 2L * PAGE);
                }
                assertEquals(0, m.get(PAGE + 1), "storage is back once the file is long enough again");
            }
        }
    }

    @Test
    void shouldSeeAFileGrownByOtherMeansInTrackedMode() throws IOException {
        try (Mmap m = map("data", 2 * PAGE, StorageCheck.TRACKED)) {
            Mmap.truncate(dir.resolve("data"), 10);
            assertSigbus(() -> m.get(PAGE));
            try (RandomAccessFile raf = new RandomAccessFile(dir.resolve("data").toFile(), "rw")) {
                raf.setLength(2L * PAGE);
            }
            assertEquals(0, m.get(PAGE), "an access beyond the length last seen reads it again");
        }
    }

    @Test
    void shouldReadTheLengthBeforeEveryAccessInStrictMode() throws IOException {
        try (Mmap m = map("data", 2 * PAGE, StorageCheck.STRICT)) {
            assertArrayEquals(new long[] {3000, 6000}, lengthChecks(m));
            try (RandomAccessFile raf = new RandomAccessFile(dir.resolve("data").toFile(), "rw")) {
                raf.setLength(10);
            }
            assertSigbus(() -> m.get(PAGE));
            m.seek(0);
            assertSigbus(() -> m.write(new byte[PAGE + 1]));
            assertEquals(0, m.tell(), "the failed write wrote nothing");
        }
    }

    @Test
    void shouldNeverReadTheLengthInOffMode() throws IOException {
        try (Mmap m = map("data", 2 * PAGE, StorageCheck.OFF)) {
            assertArrayEquals(new long[] {0, 0}, lengthChecks(m));
            m.seek(0);
            m.write(new byte[] {7});
            assertEquals(7, Files.readAllBytes(dir.resolve("data"))[0]);
        }
    }

    /**
     * Tracked mode cannot see a truncation by other means before the access: the JVM skips the
     * faulting copy and reports it late, as {@link InternalError} at the thread's next transition
     * into the VM, or, where that is inside a method of the map, as errno 14. Either way the JVM
     * lives on, and the fault is reported within a few more accesses (each faults again).
     */
    @Test
    void shouldReportATruncationByOtherMeansLateInTrackedMode() throws IOException {
        try (Mmap m = map("data", 2 * PAGE, StorageCheck.TRACKED)) {
            m.get(PAGE);
            try (RandomAccessFile raf = new RandomAccessFile(dir.resolve("data").toFile(), "rw")) {
                raf.setLength(10);
            }
            Throwable reported = null;
            try {
                for (int i = 0; i < 100_000 && reported == null; i++) {
                    try {
                        m.get(PAGE);
                        junk = new byte[1 << 16]; // an allocation outside the thread's buffer enters the VM
                    } catch (Mmap.OSError e) {
                        assertEquals(Errno.EFAULT, e.errno(), e.getMessage());
                        assertTrue(e.getMessage().contains("the file is now 10 bytes long"), e.getMessage());
                        reported = e;
                    }
                }
            } catch (InternalError e) {
                reported = e; // anywhere in the loop, at the JVM's choice
            }
            assertNotNull(reported, "the JVM reported no fault for 100,000 accesses to a vanished page");
            assertEquals(2 * PAGE, m.length(), "the map is usable after the report");
            assertEquals(0, m.get(5), "and the bytes that have storage read as before");
        }
    }

    /**
     * Where the JVM's late report surfaces inside a method of the map, it is errno 14 if the file is
     * indeed shorter than the mapping, and the map knows the new length from then on; otherwise it
     * is not this map's fault and goes on as it is.
     */
    @Test
    void shouldTurnTheJvmsReportIntoEfaultOnlyIfTheFileIsShort() throws IOException {
        try (Mmap m = map("data", 2 * PAGE, StorageCheck.TRACKED)) {
            FileBacking b = backing(m);
            InternalError other = new InternalError("a fault occurred in a recent unsafe memory access operation");
            assertEquals(other, assertThrows(InternalError.class, () -> b.fault(PAGE, other)));
            try (RandomAccessFile raf = new RandomAccessFile(dir.resolve("data").toFile(), "rw")) {
                raf.setLength(10);
            }
            InternalError ours = new InternalError("a fault occurred in a recent unsafe memory access operation");
            Mmap.OSError e = b.fault(PAGE, ours);
            assertEquals(Errno.EFAULT, e.errno());
            assertEquals("[Errno 14] Bad address (CPython would die of SIGBUS here: the JVM reported a fault in a"
                    + " recent access to this mapping, perhaps an earlier call's: the file is now 10 bytes long,"
                    + " truncated by other means than Memoir (see memoir.mmap.storage.check); pos=4096, file="
                    + dir.resolve("data") + ", offset=0)", e.getMessage());
            assertEquals(ours, e.getCause().getCause());
            assertSigbus(() -> m.get(PAGE)); // known now, no JVM fault
            assertEquals(0, m.get(PAGE - 1));
        }
    }

    @Test
    void shouldTruncateAsPythonsOsTruncate() throws IOException {
        Path file = Files.write(dir.resolve("data"), new byte[] {1, 2, 3, 4});
        Mmap.truncate(file, 2);
        assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(file));
        Mmap.truncate(file, 5);
        assertArrayEquals(new byte[] {1, 2, 0, 0, 0}, Files.readAllBytes(file));
        assertOsError(22, "[Errno 22] Invalid argument: '" + file + "'", () -> Mmap.truncate(file, -1));
        Path missing = dir.resolve("missing");
        assertOsError(2, "[Errno 2] No such file or directory: '" + missing + "'", () -> Mmap.truncate(missing, 1));
        assertFalse(Files.exists(missing), "nothing created");
        assertOsError(21, "[Errno 21] Is a directory: '" + dir + "'", () -> Mmap.truncate(dir, 1));
        Path big = Files.write(dir.resolve("big"), new byte[1]);
        try {
            Mmap.truncate(big, Long.MAX_VALUE);
            Assumptions.abort("this file system (" + Files.getFileStore(big).type() + ") holds a file of "
                + Long.MAX_VALUE + " bytes: no errno 27 to check here");
        } catch (Mmap.OSError e) { // ext4 and most others: as Python's "[Errno 27] File too large: '/path'"
            assertEquals(27, e.errno());
            assertEquals("[Errno 27] File too large: '" + big + "'", e.getMessage());
            assertEquals(1, Files.size(big), "nothing changed");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Mmap.truncate(ch, 1);
            assertEquals(1, ch.size());
            Mmap.truncate(ch, 3);
            assertArrayEquals(new byte[] {1, 0, 0}, Files.readAllBytes(file));
            assertOsError(22, "[Errno 22] Invalid argument", () -> Mmap.truncate(ch, -1));
        }
        try (FileChannel ro = FileChannel.open(file, StandardOpenOption.READ)) {
            assertOsError(22, "[Errno 22] Invalid argument", () -> Mmap.truncate(ro, 1));
            FileChannel closed = ro;
            closed.close();
            assertOsError(9, "[Errno 9] Bad file descriptor", () -> Mmap.truncate(closed, 1));
        }
        assertEquals(3, Files.size(file), "the failed calls changed nothing");
    }

    private Mmap map(String name, int length, StorageCheck check) throws IOException {
        Path file = Files.write(dir.resolve(name), new byte[length]);
        return Mmap.map(FileBacking.Handle.open(file, true), 0, Mmap.ACCESS_WRITE, 0, check);
    }

    /**
     * The map's {@code lengthChecks} after {@link #accessMany}, and again after a truncation of
     * another file through Memoir and {@link #accessMany} once more.
     */
    private long[] lengthChecks(Mmap m) throws IOException {
        FileBacking b = backing(m);
        accessMany(m);
        long first = b.lengthChecks;
        Mmap.truncate(Files.write(dir.resolve("other"), new byte[10]), 5);
        accessMany(m);
        return new long[] {first, b.lengthChecks};
    }

    private static FileBacking backing(Mmap m) {
        return (FileBacking) m.backing();
    }

    /** 1,000 each of write, readInto and get, all within the first page: 3,000 accesses. */
    private static void accessMany(Mmap m) {
        byte[] buf = new byte[64];
        for (int i = 0; i < 1000; i++) {
            m.seek(0);
            m.write(buf);
            m.seek(0);
            m.readInto(buf);
            m.get(i);
        }
    }

    private static void assertSigbus(Runnable call) {
        Mmap.OSError e = assertThrows(Mmap.OSError.class, call::run);
        assertEquals(Errno.EFAULT, e.errno());
        assertTrue(e.getMessage().startsWith("[Errno 14] Bad address (CPython would die of SIGBUS here"),
                e.getMessage());
    }

    private static void assertOsError(int errno, String message, Runnable call) {
        Mmap.OSError e = assertThrows(Mmap.OSError.class, call::run);
        assertEquals(errno, e.errno(), e.getMessage());
        assertEquals(message, e.getMessage());
    }
}
