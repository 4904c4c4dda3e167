package io.memoir.examples;

import static io.memoir.examples.ExampleSupport.arg;
import static java.nio.charset.StandardCharsets.US_ASCII;

import io.memoir.store.JournalEntry;
import io.memoir.store.MemoirException;
import io.memoir.store.Region;
import io.memoir.store.Store;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Load-once shared data: the first process to run loads the data into the named region; every later
 * process finds it there and only reads it. Run it twice: the first run prints
 * {@code Load data to memory}, the second {@code The data is in memory}. With {@code reset} it then
 * does what the seed's {@code reset_mmp_info} does: clears the first byte (so the next process loads
 * again) and writes a new text after it.
 *
 * <p>Ports seed {@code 001_fdac01724508108e.txt}, section "5.应用场景" ({@code get_mmap_info},
 * {@code read_mmap_info}, {@code reset_mmp_info}):
 * <pre>
 * mmap_file = mmap.mmap(-1, 1024, access=ACCESS_WRITE,     Region r = store.region("share_mmap", 1024)
 *                       tagname='share_mmap')
 * cnt = mmap_file.read_byte()                              r.read(0, 1)[0]
 * if cnt == 0:
 *     print("Load data to memory")
 *     mmap_file.write(b"This is the test data")            r.compareAndSet(version, data)
 * else:
 *     print("The data is in memory")
 * read_mmap_info(): seek(0); print(read() without NULs)    print(r.readAll() without NULs)
 * reset_mmp_info(): seek(0); write(b'\x00');               r.write(0, "\0Load data to memory again")
 *                   write(b"Load data to memory agine")
 * </pre>
 * What changes: in the seed two processes starting together can both see 0 and both load; here the
 * load is a {@link Region#compareAndSet}: exactly one process loads, the other finds its data. The
 * seed's two writes of the reset are one atomic write, so no reader sees half of it. And the data
 * outlives every process (Windows drops tagname memory when the last process closes it): the journal
 * says which process loaded it.
 *
 * <p>Run (twice, to see the second process find the data; the store defaults to
 * {@code <tmpdir>/memoir-examples/load-once}):
 * <pre>
 * mvn -q -pl examples exec:exec -Dexample=LoadOnceSharedData [-Dexample.args="STORE [reset]"]
 * </pre>
 */
public final class LoadOnceSharedData {
    /** The seed's tagname. */
    static final String TAGNAME = "share_mmap";
    /** The seed's map length. */
    static final int LENGTH = 1024;

    private LoadOnceSharedData() {
    }

    /**
     * Runs one process's turn.
     *
     * @param args optional store directory ("-" for the default), then optionally {@code reset}
     */
    public static void main(final String[] args) {
        final Path dir = Path.of(arg(args, 0, ExampleSupport.defaultPath("load-once").toString()));
        try (Store store = Store.open(dir)) {
            final Region r = getMmapInfo(store);
            readMmapInfo(store, r);
            if ("reset".equals(arg(args, 1, ""))) {
                resetMmapInfo(r);
                readMmapInfo(store, r);
            }
        }
    }

    /** The seed's {@code get_mmap_info}: load the data unless a process did already. */
    static Region getMmapInfo(final Store store) {
        final Region r = store.region(TAGNAME, LENGTH);                 // created zero-filled if new
        final long version = r.version();
        final byte cnt = r.read(0, 1)[0];                               // read_byte()
        if (cnt == 0) {
            System.out.println("Load data to memory");
            try {
                r.compareAndSet(version, Arrays.copyOf("This is the test data".getBytes(US_ASCII), LENGTH));
            } catch (MemoirException.VersionConflictException e) {
                System.out.println("(another process changed it first)");
            }
        } else {
            System.out.println("The data is in memory");
        }
        return r;
    }

    /** The seed's {@code read_mmap_info}, and who wrote what it read. */
    static void readMmapInfo(final Store store, final Region r) {
        System.out.println(ExampleSupport.withoutNuls(r.readAll()));
        final List<JournalEntry> history = store.history(TAGNAME);
        final JournalEntry last = history.get(history.size() - 1);
        System.out.printf("(version %d, written by pid %d%s)%n", last.version(), last.writer(),
            last.writer() == ProcessHandle.current().pid() ? ", this process" : "");
    }

    /** The seed's {@code reset_mmp_info}: its two writes as one. */
    static void resetMmapInfo(final Region r) {
        r.write(0, "\0Load data to memory again".getBytes(US_ASCII));
        System.out.println("reset: the next process loads the data again");
    }
}
