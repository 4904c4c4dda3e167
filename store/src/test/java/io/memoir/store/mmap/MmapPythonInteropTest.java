package io.memoir.store.mmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live Python process ({@code src/test/python/mmap_peer.py}) and this JVM map the same file at
 * the same time: each sees the other's writes while both mappings stay open, with no flush, and a
 * copy-on-write map keeps its writes to itself. Skipped, with the reason, when there is no python3.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MmapPythonInteropTest {

    private static final Path PEER = Path.of("src", "test", "python", "mmap_peer.py");
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void sharedFile() throws IOException {
        assumeTrue(PythonProcess.version() != null, "python3 is not on PATH");
        assumeTrue(Files.isRegularFile(PEER), "peer script not found: " + PEER.toAbsolutePath());
        file = dir.resolve("shared.bin");
        Files.write(file, new byte[Mmap.PAGESIZE]);
    }

    @Test
    void shouldSeeEachOthersWritesLive() throws Exception {
        try (Mmap m = Mmap.map(file, 0, Mmap.ACCESS_WRITE); Mmap ro = Mmap.map(file, 0, Mmap.ACCESS_READ);
                Peer py = new Peer(file, Mmap.ACCESS_WRITE)) {
            byte[] fromPython = bytes("from python");
            assertEquals("ok", py.ask("write 0 " + HEX.formatHex(fromPython)));
            await(() -> java.util.Arrays.equals(m.getSlice(0, fromPython.length), fromPython), "Python's write");
            assertArrayEquals(fromPython, ro.getSlice(0, fromPython.length), "read-only map sees it too");

            byte[] fromJava = bytes("from java");
            m.seek(100);
            assertEquals(fromJava.length, m.write(fromJava));
            assertEquals("seen", py.ask("wait 100 " + HEX.formatHex(fromJava)));
            assertEquals("data " + HEX.formatHex(fromJava), py.ask("read 100 " + fromJava.length));
        }
    }

    @Test
    void shouldPingPongThroughSharedBytes() throws Exception {
        int rounds = 200;
        try (Mmap m = Mmap.map(file, 0); Peer py = new Peer(file, Mmap.ACCESS_DEFAULT)) {
            py.send("pingpong 200 " + rounds);
            for (int i = 1; i <= rounds; i++) {
                int expected = i;
                await(() -> m.get(200) == expected, "Python's round " + i);
                m.set(201, i);
            }
            assertEquals("done", py.receive());
        }
    }

    @Test
    void shouldKeepCopyOnWriteMapsPrivate() throws Exception {
        try (Mmap copy = Mmap.map(file, 0, Mmap.ACCESS_COPY); Peer py = new Peer(file, Mmap.ACCESS_WRITE)) {
            byte[] shared = bytes("shared");
            assertEquals("ok", py.ask("write 0 " + HEX.formatHex(shared)));
            // Linux MAP_PRIVATE: a page not yet written through this map still shows the file.
            await(() -> java.util.Arrays.equals(copy.getSlice(0, shared.length), shared), "Python's write");

            copy.setSlice(0, 7, bytes("private"));
            copy.flush();
            assertEquals("data " + HEX.formatHex(shared), py.ask("read 0 " + shared.length));
            assertArrayEquals(shared, java.util.Arrays.copyOf(Files.readAllBytes(file), shared.length));
        }
        try (Mmap m = Mmap.map(file, 0); Peer py = new Peer(file, Mmap.ACCESS_COPY)) {
            assertEquals("ok", py.ask("write 0 " + HEX.formatHex(bytes("python"))));
            assertArrayEquals(bytes("shared"), m.getSlice(0, 6), "Python's ACCESS_COPY write stays in Python");
        }
    }

    @Test
    void shouldSeeTheFileGrowWhenPythonResizes() throws Exception {
        try (Mmap m = Mmap.map(file, 0); Peer py = new Peer(file, Mmap.ACCESS_WRITE)) {
            assertEquals("ok", py.ask("resize " + 3 * Mmap.PAGESIZE));
            assertEquals(3L * Mmap.PAGESIZE, m.size(), "size() is the file's size, as in CPython");
            assertEquals(Mmap.PAGESIZE, m.length(), "len() is this mapping's");
            assertEquals("ok", py.ask("write " + 2 * Mmap.PAGESIZE + " 4a"));
            m.resize(3L * Mmap.PAGESIZE);
            assertEquals(0x4a, m.get(2L * Mmap.PAGESIZE));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Spins (no sleeping) until {@code condition} holds, failing after 10 s. */
    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.onSpinWait();
        }
    }

    /** The Python process and its command channel. */
    private final class Peer implements AutoCloseable {
        private final Process process;
        private final PrintWriter in;
        private final BufferedReader out;
        private final Path err = dir.resolve("peer.err");

        Peer(Path file, int access) throws IOException {
            process = new ProcessBuilder("python3", PEER.toString(), file.toString(), Integer.toString(access))
                    .redirectError(err.toFile()).start();
            in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.US_ASCII);
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
            String hello = receive();
            if (!hello.startsWith("mapped ")) {
                fail("peer did not map the file: " + hello);
            }
        }

        void send(String command) {
            in.println(command);
        }

        String receive() throws IOException {
            String line = out.readLine();
            if (line == null) {
                fail("python3 peer ended: " + Files.readString(err));
            }
            return line;
        }

        String ask(String command) throws IOException {
            send(command);
            return receive();
        }

        @Override
        public void close() {
            send("quit");
            in.close();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
