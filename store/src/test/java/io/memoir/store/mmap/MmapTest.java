package io.memoir.store.mmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only Java has, so CPython cannot be recorded for it: the size limit, the caller's channel,
 * the JDK supertypes of the exceptions, {@code null}s and the {@code Iterator} contract. Everything
 * CPython does is checked against recordings in {@link MmapCPythonTest} instead.
 */
@EnabledOnOs(OS.LINUX)
class MmapTest {

    @TempDir
    Path dir;

    @Test
    void shouldRaiseOverflowErrorPastMaxLength() throws IOException {
        assertThrows(Mmap.OverflowError.class, () -> Mmap.anonymous(Mmap.MAX_LENGTH + 1));
        Path big = dir.resolve("sparse");
        try (RandomAccessFile raf = new RandomAccessFile(big.toFile(), "rw")) {
            raf.setLength(Mmap.MAX_LENGTH + 2L * Mmap.PAGESIZE);
        }
        Mmap.OverflowError e = assertThrows(Mmap.OverflowError.class, () -> Mmap.map(big, 0));
        assertTrue(e.getMessage().contains("MAX_LENGTH=" + Mmap.MAX_LENGTH), e.getMessage());
        assertThrows(Mmap.OverflowError.class, () -> Mmap.map(big, Mmap.MAX_LENGTH + 1));
        try (Mmap m = Mmap.map(big, Mmap.PAGESIZE)) {
            assertThrows(Mmap.OverflowError.class, () -> m.resize(Mmap.MAX_LENGTH + 1));
            assertEquals(Mmap.PAGESIZE, m.length(), "a failed resize changes nothing");
            assertEquals(Mmap.MAX_LENGTH + 2L * Mmap.PAGESIZE, m.size());
        }
    }

    @Test
    void shouldCheckCPythonsConditionsBeforeTheJavaLimit() {
        assertThrows(Mmap.OverflowError.class, () -> Mmap.anonymous(-1));
        assertThrows(Mmap.ValueError.class, () -> Mmap.anonymous(Mmap.MAX_LENGTH + 1, 9));
    }

    @Test
    void shouldLeaveTheCallersChannelOpen() throws IOException {
        Path file = write("data", new byte[100]);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Mmap m = Mmap.map(ch, 0);
            m.close();
            assertTrue(ch.isOpen());
            assertTrue(m.isClosed());
        }
    }

    @Test
    void shouldKeepTheMappingButLoseTheFileWhenTheCallerClosesTheChannel() throws IOException {
        Path file = write("data", new byte[] {1, 2, 3});
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try (Mmap m = Mmap.map(ch, 0)) {
            ch.close();
            assertEquals(2, m.get(1), "the mapping outlives the channel, as in C");
            Mmap.OSError e = assertThrows(Mmap.OSError.class, m::size);
            assertEquals(9, e.errno());
            assertEquals("[Errno 9] Bad file descriptor", e.getMessage());
        }
    }

    @Test
    void shouldRefuseCopyOnWriteOfAReadOnlyChannel() throws IOException {
        Path file = write("data", new byte[10]);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Mmap.OSError e = assertThrows(Mmap.OSError.class, () -> Mmap.map(ch, 0, Mmap.ACCESS_COPY));
            assertEquals(13, e.errno(), "documented difference: C allows MAP_PRIVATE on O_RDONLY");
            assertTrue(ch.isOpen());
            try (Mmap m = Mmap.map(ch, 0, Mmap.ACCESS_READ)) {
                assertEquals(10, m.length());
            }
        }
    }

    @Test
    void shouldExtendTheJdkExceptionsOfTheErrorTable() {
        Mmap m = Mmap.anonymous(4, Mmap.ACCESS_READ);
        assertThrows(IllegalArgumentException.class, () -> m.seek(5));
        assertThrows(UnsupportedOperationException.class, () -> m.write(new byte[1]));
        assertThrows(IndexOutOfBoundsException.class, () -> m.get(4));
        assertThrows(ArithmeticException.class, () -> m.writeByte(256));
        assertThrows(UncheckedIOException.class, m::size);
        m.close();
        assertThrows(IllegalArgumentException.class, m::tell);
    }

    @Test
    void shouldThrowNullPointerExceptionForNulls() {
        try (Mmap m = Mmap.anonymous(4)) {
            assertThrows(NullPointerException.class, () -> m.write(null));
            assertThrows(NullPointerException.class, () -> m.find(null));
            assertThrows(NullPointerException.class, () -> m.setSlice(0, 1, null));
            assertThrows(NullPointerException.class, () -> Mmap.map((Path) null, 0));
            assertThrows(NullPointerException.class, () -> Mmap.map((FileChannel) null, 0));
        }
    }

    @Test
    void shouldFollowTheIteratorContract() {
        Mmap m = Mmap.anonymous(2);
        m.set(1, 7);
        Iterator<byte[]> it = m.iterator();
        assertTrue(it.hasNext());
        assertTrue(it.hasNext(), "hasNext() does not advance");
        assertArrayEquals(new byte[] {0}, it.next());
        assertArrayEquals(new byte[] {7}, it.next());
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
        Iterator<byte[]> other = m.iterator();
        m.close();
        assertThrows(Mmap.ValueError.class, other::hasNext);
        assertFalse(it.hasNext(), "an exhausted iterator stays exhausted, even after close");
    }

    @Test
    void shouldReadIntoAndWriteFromPartOfAnArrayAsReadAndWriteDo() {
        try (Mmap m = Mmap.anonymous(10)) {
            assertEquals(3, m.write(new byte[] {9, 1, 2, 3, 9}, 1, 3));
            assertEquals(3, m.tell());
            assertEquals("data out of range",
                    assertThrows(Mmap.ValueError.class, () -> m.write(new byte[20], 0, 8)).getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> m.write(new byte[2], 1, 2));
            assertEquals(3, m.tell(), "a failed write changes nothing");
            m.seek(1);
            byte[] dst = {-1, -1, -1, -1};
            assertEquals(2, m.readInto(dst, 1, 2));
            assertArrayEquals(new byte[] {-1, 2, 3, -1}, dst);
            assertEquals(3, m.tell());
            byte[] rest = new byte[100];
            assertEquals(7, m.readInto(rest), "as read(n): no more than remain");
            assertEquals(0, m.readInto(rest), "0 at the end, as read() gives b''");
            assertThrows(IndexOutOfBoundsException.class, () -> m.readInto(rest, 99, 2));
            m.resize(2);
            assertEquals(0, m.readInto(rest), "past the end after a shrinking resize");
            assertEquals("data out of range", assertThrows(Mmap.ValueError.class,
                    () -> m.write(new byte[0], 0, 0)).getMessage(), "pos > len, as CPython's write(b'')");
        }
        Mmap closed = Mmap.anonymous(1);
        closed.close();
        assertEquals("mmap closed or invalid",
                assertThrows(Mmap.ValueError.class, () -> closed.readInto(new byte[1])).getMessage());
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }
}
