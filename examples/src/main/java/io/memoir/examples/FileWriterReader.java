package io.memoir.examples;

import static io.memoir.examples.ExampleSupport.arg;
import static io.memoir.examples.ExampleSupport.intArg;
import static java.nio.charset.StandardCharsets.US_ASCII;

import io.memoir.store.mmap.Mmap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Two unrelated processes sharing memory through a plain file: a writer that writes {@code msg N}
 * at the start of a 1024-byte file and flushes, again and again, and a reader that keeps mapping the
 * file and printing what it holds. Either side can be the seed's Python program: both map the same
 * file with the same {@code mmap} calls ({@code FileWriterReaderIT} pairs this class with
 * {@code src/test/python/mmap_file_writer.py} and {@code mmap_file_reader.py}).
 *
 * <p>Ports seed {@code 002_5be9d9842a581fde.txt} ({@code server.py} and {@code client.py} on
 * {@code test.dat}; the same programs are in seed {@code 004_2f2a7d35334d9b1c.txt}, and in seed
 * {@code 000_f72d29741e27a457.txt} section "3.无关进程linux的通信" on {@code mmap.file}, where the writer
 * writes {@code hello} instead of {@code msg N}):
 * <pre>
 * # writer (server.py)                                  writer
 * with open("test.dat", "w") as f: f.write('\x00' * 1024)   Files.write(file, new byte[1024])
 * with open('test.dat', 'r+') as f:
 *   m = mmap.mmap(f.fileno(), 1024, access=mmap.ACCESS_WRITE)  Mmap.map(file, 1024, ACCESS_WRITE)
 *   for i in range(1, 10001):                            for i in 1..count:
 *     m.seek(0); m.write("msg " + str(i)); m.flush()       seek(0), write, flush()
 *     time.sleep(1)                                        sleep(intervalMs)
 * # reader (client.py)                                  reader
 * while True:                                           for each of reads:
 *   with open('test.dat', 'r') as f:
 *     m = mmap.mmap(f.fileno(), 1024, access=mmap.ACCESS_READ)  Mmap.map(file, 1024, ACCESS_READ)
 *     print(m.read(1024).replace('\x00', ''))              print(read(1024) without NULs)
 *   time.sleep(1)                                        sleep(intervalMs)
 * </pre>
 * A plain file map gives no guarantee that the reader sees a whole message (it may catch the writer
 * in the middle of one); {@link TagnameServerClient} is the same pair on a Memoir store, where it
 * cannot.
 *
 * <p>Run, in two terminals (both default to {@code <tmpdir>/memoir-examples/test.dat}):
 * <pre>
 * mvn -q -pl examples exec:exec -Dexample=FileWriterReader -Dexample.args="writer [FILE [COUNT [INTERVAL_MS]]]"
 * mvn -q -pl examples exec:exec -Dexample=FileWriterReader -Dexample.args="reader [FILE [READS [INTERVAL_MS [STOP_AT]]]]"
 * </pre>
 * The writer writes {@code COUNT} (default 10) messages, one each {@code INTERVAL_MS} (default 500);
 * the reader reads {@code READS} times (default 10) each {@code INTERVAL_MS} (default 500), and stops
 * early once it reads the text {@code STOP_AT} if given (e.g. {@code "msg 10"}). "-" keeps a default.
 */
public final class FileWriterReader {
    /** The seed's map length. */
    static final int LENGTH = 1024;

    private FileWriterReader() {
    }

    /**
     * Runs one side.
     *
     * @param args {@code writer|reader}, then that side's optional arguments (see the class comment)
     * @throws Exception on I/O failure or interruption
     */
    public static void main(final String[] args) throws Exception {
        final String role = arg(args, 0, "");
        final Path file = Path.of(arg(args, 1, ExampleSupport.defaultPath("test.dat").toString()));
        switch (role) {
            case "writer" -> writer(file, intArg(args, 2, 10), intArg(args, 3, 500));
            case "reader" -> reader(file, intArg(args, 2, 10), intArg(args, 3, 500), arg(args, 4, null));
            default -> ExampleSupport.usage("usage: FileWriterReader writer [FILE [COUNT [INTERVAL_MS]]]",
                "       FileWriterReader reader [FILE [READS [INTERVAL_MS [STOP_AT]]]]");
        }
    }

    static void writer(final Path file, final int count, final int intervalMs) throws IOException, InterruptedException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, new byte[LENGTH]);                            // f.write('\x00' * 1024)
        try (Mmap m = Mmap.map(file, LENGTH, Mmap.ACCESS_WRITE)) {
            for (int i = 1; i <= count; i++) {
                m.seek(0);
                m.write(("msg " + i).getBytes(US_ASCII));
                m.flush();
                System.out.println("wrote msg " + i);
                if (i < count) {
                    Thread.sleep(intervalMs);
                }
            }
        }
    }

    static void reader(final Path file, final int reads, final int intervalMs, final String stopAt)
        throws IOException, InterruptedException {
        for (int n = 1; n <= reads; n++) {
            final String s;
            if (!Files.exists(file) || Files.size(file) < LENGTH) {
                s = "(no " + LENGTH + "-byte " + file.getFileName() + " yet: start the writer)";
            } else {
                try (Mmap m = Mmap.map(file, LENGTH, Mmap.ACCESS_READ)) {
                    s = ExampleSupport.withoutNuls(m.read(LENGTH));
                }
            }
            System.out.println(s);
            if (s.equals(stopAt)) {
                return;
            }
            if (n < reads) {
                Thread.sleep(intervalMs);
            }
        }
    }
}
