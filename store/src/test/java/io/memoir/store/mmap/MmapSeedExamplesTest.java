package io.memoir.store.mmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.memoir.store.Store;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cheat sheet of {@code docs/mmap-adapter.md} as a test: the Java form of each usage example
 * from the blog posts must print what the Python original ({@code src/test/python/seed_examples.py})
 * prints under live CPython. Skipped, with the reason, when there is no python3.
 */
@EnabledOnOs(OS.LINUX)
class MmapSeedExamplesTest {

    private static final Path EXAMPLES = Path.of("src", "test", "python", "seed_examples.py");

    @TempDir
    Path dir;

    private final List<String> out = new ArrayList<>();

    @Test
    @Timeout(120)
    void shouldPrintWhatThePythonExamplesPrint() throws Exception {
        assumeTrue(PythonProcess.version() != null, "python3 is not on PATH");
        assumeTrue(Files.isRegularFile(EXAMPLES), "examples not found: " + EXAMPLES.toAbsolutePath());
        Path pyDir = Files.createDirectory(dir.resolve("python"));
        Path javaDir = Files.createDirectory(dir.resolve("java"));
        Path empty = Files.createFile(dir.resolve("stdin"));
        String python = PythonProcess.run(empty, dir, 100, EXAMPLES.toString(), pyDir.toString());

        section("basic");
        basic(javaDir);
        section("anonymous");
        anonymous();
        section("writer_reader");
        writerReader(javaDir);
        section("json_framing");
        jsonFraming();
        section("read_byte_flag");
        readByteFlag();
        section("tagname");
        tagname(javaDir);

        assertEquals(python, String.join("\n", out) + "\n");
    }

    /** Seed 000, section 1. */
    void basic(Path d) throws Exception {
        Path path = d.resolve("hello.txt");
        Files.write(path, ascii("Hello Python!\n"));
        try (Mmap mm = Mmap.map(path, 0)) {
            out(mm.readLine());
            out(mm.getSlice(null, 5L, null));
            mm.setSlice(6L, null, null, ascii(" world!\n"));
            mm.seek(0);
            out(mm.readLine());
        }
    }

    /** Seed 000, section 2, without the fork. */
    void anonymous() {
        try (Mmap mm = Mmap.anonymous(27)) {
            out(mm.write(ascii("Original msg")));
            mm.seek(0);
            out(mm.readLine());
            mm.setSlice(12L, null, null, ascii(" sth from child"));
            mm.seek(0);
            out(mm.readLine());
        }
    }

    /** Seeds 000 section 3, 002 and 004. */
    void writerReader(Path d) throws Exception {
        Path path = d.resolve("test.dat");
        Files.write(path, new byte[1024]);
        try (Mmap m = Mmap.map(path, 1024, Mmap.ACCESS_WRITE)) {
            for (int i = 1; i < 4; i++) {
                m.seek(0);
                m.write(ascii("msg " + i));
                m.flush();
                try (Mmap r = Mmap.map(path, 1024, Mmap.ACCESS_READ)) {
                    out(withoutZeros(r.read(1024)));
                }
            }
        }
    }

    /** Seeds 001 and 003 (jsonmmap). */
    void jsonFraming() {
        try (Mmap mm = Mmap.anonymous(1024 * 1024, Mmap.ACCESS_WRITE)) {
            for (String obj : new String[] {"[0, 1, 2]", "{\"a\": 1}"}) {
                mm.seek(0);
                mm.write(ascii(obj.length() + ":" + obj));
                long begin = Integer.toString(obj.length()).length() + 1;
                long end = mm.tell();
                out(end - begin);
                mm.seek(begin);
                out(mm.read(end - begin));
                mm.seek(0);
                long index = mm.find(ascii(":"));
                out(index);
                byte[] head = mm.read(index + 1);
                out(mm.read(Long.parseLong(new String(head, 0, head.length - 1, StandardCharsets.US_ASCII))));
            }
        }
    }

    /** Seed 001, read_mmap_info. */
    void readByteFlag() {
        try (Mmap mm = Mmap.anonymous(1024, Mmap.ACCESS_WRITE)) {
            out(mm.readByte());
            mm.seek(0);
            mm.write(ascii("This is the test data"));
            mm.seek(0);
            out(mm.readByte());
            mm.seek(0);
            out(withoutZeros(mm.read()));
            mm.seek(0);
            mm.write(new byte[] {0});
            mm.write(ascii("Load data to memory agine"));
            mm.seek(0);
            out(withoutZeros(mm.read()));
        }
    }

    /** Seeds 000 section 4, 002 and 004, then 001 and 003: Windows tagname memory as a store region. */
    void tagname(Path d) {
        try (Store store = Store.builder().rollCycle("TEST8_DAILY").open(d.resolve("store"))) {
            try (Mmap server = Mmap.open(store, "test", 1024, Mmap.ACCESS_WRITE)) {
                for (int i = 1; i < 4; i++) {
                    server.seek(0);
                    server.write(ascii("msg " + i));
                    server.flush();
                    try (Mmap client = Mmap.open(store, "test", 1024, Mmap.ACCESS_READ)) {
                        out(withoutZeros(client.read(1024)));
                    }
                }
            }
            try (Mmap writer = Mmap.open(store, "share_mmap", 1024 * 1024, Mmap.ACCESS_WRITE);
                    Mmap reader = Mmap.open(store, "share_mmap", 1024 * 1024, Mmap.ACCESS_READ)) {
                String obj = "{\"a\": 1}";
                writer.seek(0);
                writer.write(ascii(obj.length() + ":" + obj));
                long index = reader.find(ascii(":"));
                out(index);
                byte[] head = reader.read(index + 1);
                out(reader.read(Long.parseLong(new String(head, 0, head.length - 1, StandardCharsets.US_ASCII))));
            }
        }
    }

    private void section(String name) {
        out.add("## " + name);
    }

    private void out(Object value) {
        out.add(PyLiteral.encode(value));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Python's {@code data.replace(b'\x00', b'')}. */
    private static byte[] withoutZeros(byte[] data) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        for (byte b : data) {
            if (b != 0) {
                kept.write(b);
            }
        }
        return kept.toByteArray();
    }
}
