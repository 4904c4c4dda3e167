package io.memoir.store.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What a directory's files are: name, size, mtime and a hash of the bytes of each, to show nothing changed. */
public final class FileSnapshot {
    private FileSnapshot() {
    }

    /**
     * Every regular file under {@code dir} with {@code "size mtimeMillis hash"}.
     *
     * @param dir the directory
     * @return one entry per file, sorted by path
     */
    public static Map<Path, String> of(final Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            final Map<Path, String> out = new TreeMap<>();
            for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                out.put(p, Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis() + " "
                    + Arrays.hashCode(Files.readAllBytes(p)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dir=" + dir + ": " + e.getMessage(), e);
        }
    }
}
