package io.memoir.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.memoir.store.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Example 3: a writer and a reader process on one plain file, as separate JVMs, and each paired with
 * the seed's original Python program on the other side (Python's {@code mmap} and this adapter
 * sharing {@code test.dat}).
 */
class FileWriterReaderIT {
    private static final int COUNT = 5;
    private static final Duration END = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private String file() {
        return dir.resolve("test.dat").toString();
    }

    @Test
    @Timeout(120)
    void shouldLetTheReaderJvmSeeWhatTheWriterJvmWrote() throws Exception {
        Messages.assertJvmPair(FileWriterReader.class, "writer", "reader", file(), COUNT, 100, END);
    }

    @Test
    @Timeout(120)
    void shouldReadWhatTheOriginalPythonWriterWrote() throws Exception {
        Python3.assumeAvailable();
        final Process writer = Python3.start("mmap_file_writer.py", file(), "" + COUNT, "0.1");
        try (ChildJvm reader = ChildJvm.start(FileWriterReader.class, "reader", file(), "100000", "20", "msg " + COUNT)) {
            final List<String> read = reader.finish(END);
            assertEquals(0, reader.exitCode(), String.join("\n", read));
            Messages.assertReadInOrder(read, COUNT);
        } finally {
            final List<String> wrote = Python3.finish(writer, END);
            assertEquals(0, writer.exitValue(), String.join("\n", wrote));
            Messages.assertWrote(wrote, COUNT);
        }
    }

    @Test
    @Timeout(120)
    void shouldBeReadByTheOriginalPythonReader() throws Exception {
        Python3.assumeAvailable();
        try (ChildJvm writer = ChildJvm.start(FileWriterReader.class, "writer", file(), "" + COUNT, "100")) {
            writer.await("wrote msg 1"::equals, END);
            final Process reader = Python3.start("mmap_file_reader.py", file(), "100000", "0.02", "msg " + COUNT);
            final List<String> read = Python3.finish(reader, END);
            assertEquals(0, reader.exitValue(), String.join("\n", read));
            Messages.assertReadInOrder(read, COUNT);
            final List<String> wrote = writer.finish(END);
            assertEquals(0, writer.exitCode(), String.join("\n", wrote));
        }
    }
}
