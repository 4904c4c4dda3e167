/**
 * Python's {@code mmap} module for Java: {@link io.memoir.store.mmap.Mmap} is CPython 3.11's
 * {@code mmap.mmap} object with Linux semantics, over a file, anonymous memory or a named region of
 * a Memoir store (Windows' {@code tagname}: shared by every JVM that opens the store, every write
 * journaled).
 *
 * <p>Priorities, in order (as LmdbJava puts the LMDB C API first):
 * <ol>
 *   <li>Behave as CPython 3.11 does on Linux: same results, same position afterwards, same checks
 *       in the same order, same exception messages. The behaviour is recorded from real CPython and
 *       replayed by the tests ({@code src/test/python/record_mmap.py}).</li>
 *   <li>Keep Python's names: {@code ACCESS_READ}, {@code SEEK_END}, {@code PAGESIZE}; methods in
 *       camelCase one for one ({@code read_byte} is {@code readByte}).</li>
 *   <li>Apply Java idioms only where they do not conflict: {@code byte[]} for {@code bytes},
 *       {@code long} for {@code Py_ssize_t}, {@code null} for {@code None}, {@code AutoCloseable}
 *       for {@code with}, {@code Iterable<byte[]>} for iteration.</li>
 * </ol>
 *
 * <p><b>Threads.</b> An {@code Mmap} is not thread-safe, like Python's (CPython relies on the
 * GIL): use each instance from one thread at a time. Closing an instance while another thread is
 * inside one of its methods may crash the JVM, because the memory is unmapped at once. Visibility
 * of bytes between processes is that of the memory itself, as in C: writes through a shared mapping
 * are visible to other mappings of the file at once, without ordering guarantees.
 *
 * <p><b>Errors.</b> Python's exception types map one to one onto Java types nested in {@code Mmap},
 * each extending the JDK exception a Java caller would expect, with CPython's message text:
 * <table>
 *   <caption>Error policy</caption>
 *   <tr><th>Python</th><th>Java</th><th>extends</th></tr>
 *   <tr><td>{@code ValueError}</td><td>{@code Mmap.ValueError}</td><td>{@code IllegalArgumentException}</td></tr>
 *   <tr><td>{@code TypeError}</td><td>{@code Mmap.TypeError}</td><td>{@code UnsupportedOperationException}</td></tr>
 *   <tr><td>{@code IndexError}</td><td>{@code Mmap.IndexError}</td><td>{@code IndexOutOfBoundsException}</td></tr>
 *   <tr><td>{@code OverflowError}</td><td>{@code Mmap.OverflowError}</td><td>{@code ArithmeticException}</td></tr>
 *   <tr><td>{@code OSError} and subclasses</td><td>{@code Mmap.OSError} with {@code errno()}</td><td>{@code java.io.UncheckedIOException}</td></tr>
 *   <tr><td>{@code StopIteration}</td><td>{@code Iterator.hasNext()} false, then {@code NoSuchElementException}</td><td></td></tr>
 * </table>
 * A {@code null} where Python would raise {@code TypeError} for {@code None} is a
 * {@code NullPointerException}, as everywhere in Java. Where CPython would die of {@code SIGBUS}
 * (a file truncated under its mapping, shared anonymous memory grown past its first size), the
 * adapter throws {@code Mmap.OSError} with errno 14 ({@code EFAULT}, "Bad address") instead; so it
 * does where a store region no longer has the bytes (shrunk or deleted by another opener). A file
 * map sees, by default, the truncations done through Memoir in this JVM ({@code Mmap.resize},
 * {@code Mmap.truncate}); one shrunk by other means surfaces as the JVM's {@code InternalError}
 * unless {@code Mmap.STORAGE_CHECK_PROP_NAME} is {@code strict}. A map of
 * a store region raises the store's own {@code MemoirException}s where the store refuses the whole
 * call (region missing, store read-only, region too large). A call that fails changes nothing, the
 * position included.
 *
 * <p>The whole mapping of Python to Java, and what differs on purpose, is in
 * {@code docs/mmap-adapter.md}.
 */
package io.memoir.store.mmap;
