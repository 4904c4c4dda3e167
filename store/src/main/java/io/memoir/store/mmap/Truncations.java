package io.memoir.store.mmap;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The JVM-wide count of truncations done through Memoir: every {@link Mmap#resize} of a file map
 * and every {@link Mmap#truncate} adds one, after the file's length has changed. A file map in
 * {@link StorageCheck#TRACKED} mode remembers the count it saw before its last {@code fstat} and
 * reads the file's length again when the count differs, so the test before each access is one
 * volatile read and a compare.
 *
 * <p>One counter for all files, not one per file: a map then needs no identity for its file (a
 * caller's {@code FileChannel} has none that Java can read, and a file may be reached through
 * several paths or hard links), and nothing has to be registered or forgotten when maps open and
 * close. The price is one {@code fstat} per live file map after a truncation of any file, which
 * is small beside the truncation itself ({@code ftruncate}, then {@code mmap} and {@code munmap}
 * for a resize). Not API.
 */
final class Truncations {

    private static final AtomicLong GENERATION = new AtomicLong();

    private Truncations() {
    }

    /** The count now (a volatile read): read it before the {@code fstat} it validates. */
    static long generation() {
        return GENERATION.get();
    }

    /** Records a truncation (or any change of a file's length) just made through Memoir. */
    static void truncated() {
        GENERATION.incrementAndGet();
    }
}
