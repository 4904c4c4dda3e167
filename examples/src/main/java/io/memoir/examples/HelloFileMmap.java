package io.memoir.examples;

import static io.memoir.examples.ExampleSupport.pyRepr;
import static java.nio.charset.StandardCharsets.US_ASCII;

import io.memoir.store.mmap.Mmap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Basic file mapping with Python's {@code mmap} API in Java: create {@code hello.txt}, map it,
 * {@code readline}, slice read, slice assignment, {@code seek}, {@code readline} again, close.
 *
 * <p>Ports seed {@code 000_f72d29741e27a457.txt}, section "1.基本使用" (basic use), line for line:
 * <pre>
 * with open('hello.txt', 'wb') as f:                    Files.write(file, "Hello Python!\n")
 *     f.write(b"Hello Python!\n")
 * with open('hello.txt', 'r+b') as f:
 *     mm = mmap.mmap(f.fileno(), 0)                     Mmap.map(file, 0)
 *     print(mm.readline())                              mm.readLine()
 *     print(mm[:5])                                     mm.getSlice(0, 5)
 *     mm[6:] = b" world!\n"                             mm.setSlice(6L, null, null, ...)
 *     mm.seek(0)                                        mm.seek(0)
 *     print(mm.readline())                              mm.readLine()
 *     mm.close()                                        mm.close()
 * </pre>
 * It prints exactly what the Python program prints (bytes as Python's {@code repr}), and leaves the
 * same file: {@code HelloFileMmapIT} runs both and compares.
 *
 * <p>Run: {@code mvn -q -pl examples exec:exec -Dexample=HelloFileMmap [-Dexample.args=DIR]}.
 */
public final class HelloFileMmap {
    private HelloFileMmap() {
    }

    /**
     * Runs the example.
     *
     * @param args optional directory for {@code hello.txt} (default: a new temporary directory)
     * @throws IOException if the file cannot be written
     */
    public static void main(final String[] args) throws IOException {
        final Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("memoir-hello");
        final Path file = dir.resolve("hello.txt");
        Files.write(file, "Hello Python!\n".getBytes(US_ASCII));

        try (Mmap mm = Mmap.map(file, 0)) {                       // 0: map the whole file
            System.out.println(pyRepr(mm.readLine()));            // b'Hello Python!\n'
            System.out.println(pyRepr(mm.getSlice(0, 5)));        // b'Hello'
            mm.setSlice(6L, null, null, " world!\n".getBytes(US_ASCII));
            mm.seek(0);
            System.out.println(pyRepr(mm.readLine()));            // b'Hello  world!\n'
        }
    }
}
