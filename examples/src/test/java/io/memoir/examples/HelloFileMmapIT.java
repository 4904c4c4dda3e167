package io.memoir.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.memoir.store.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Example 1: {@link HelloFileMmap} prints and leaves what the seed's Python program does. */
class HelloFileMmapIT {
    /** What the seed's comments say it prints, as Python 3 prints bytes. */
    static final List<String> EXPECTED = List.of("b'Hello Python!\\n'", "b'Hello'", "b'Hello  world!\\n'");
    static final byte[] FILE_AFTER = "Hello  world!\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void shouldPrintTheSeedsLinesAndLeaveTheFileChanged() throws Exception {
        try (ChildJvm java = ChildJvm.start(HelloFileMmap.class, dir.toString())) {
            final List<String> out = java.finish(Duration.ofSeconds(45));
            assertEquals(0, java.exitCode(), String.join("\n", out));
            assertEquals(EXPECTED, out);
        }
        assertArrayEquals(FILE_AFTER, Files.readAllBytes(dir.resolve("hello.txt")));
    }

    @Test
    @Timeout(60)
    void shouldMatchTheOriginalPythonProgram() throws Exception {
        Python3.assumeAvailable();
        final Path py = Files.createDirectory(dir.resolve("python"));
        final Path java = Files.createDirectory(dir.resolve("java"));
        final List<String> pyOut = Python3.finish(Python3.start("hello_mmap.py", py.toString()), Duration.ofSeconds(30));
        try (ChildJvm child = ChildJvm.start(HelloFileMmap.class, java.toString())) {
            final List<String> javaOut = child.finish(Duration.ofSeconds(45));
            assertEquals(EXPECTED, pyOut, "python3's own output");
            assertEquals(pyOut, javaOut);
        }
        assertArrayEquals(Files.readAllBytes(py.resolve("hello.txt")), Files.readAllBytes(java.resolve("hello.txt")));
    }
}
