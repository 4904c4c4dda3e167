package io.memoir.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** File helpers of the CLI's scratch stores. */
final class Dirs {
    private Dirs() {
    }

    /**
     * Deletes a directory and everything in it; nothing if it is missing.
     *
     * @param dir the directory
     */
    static void deleteRecursively(final Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete dir=" + dir + ": " + e.getMessage(), e);
        }
    }
}
