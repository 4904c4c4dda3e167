package io.memoir.examples;

import static io.memoir.examples.ExampleSupport.pyRepr;
import static java.nio.charset.StandardCharsets.US_ASCII;

import io.memoir.store.JournalEntry;
import io.memoir.store.Store;
import io.memoir.store.mmap.Mmap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A parent and a child process talking through shared memory: the parent writes
 * {@code "Original msg"}, the child reads it and writes {@code " sth from child"} after it, the
 * parent reads the result.
 *
 * <p>Ports seed {@code 000_f72d29741e27a457.txt}, section "2.父子进程通信" (parent/child
 * communication):
 * <pre>
 * mm = mmap.mmap(-1, 27)                 Mmap.open(store, "parent_child", 27)
 * mm.write(b"Original msg")              mm.write("Original msg")
 * pid = os.fork()                        startJvm(Child.class, storeDir)
 * if pid == 0:  (child)                  Child.main:
 *     mm.seek(0); print(mm.readline())       Mmap.open(store, "parent_child", 27), readLine()
 *     mm[12:] = b' sth from child'           setSlice(12, ...)
 * else:                                  parent:
 *     time.sleep(2)                          child.waitFor()
 *     mm.seek(0); print(mm.readline())       seek(0), readLine()
 * </pre>
 *
 * <h2>Why a store region and a child JVM, not fork and an anonymous map</h2>
 * The JVM cannot {@code fork}: a new process is a new JVM, started with {@link ProcessBuilder}, and
 * it inherits no memory. Python's {@code mmap(-1, 27)} is anonymous {@code MAP_SHARED} memory, which
 * only a forked child can see, because it has no name to open it by; {@link Mmap#anonymous(long)} is
 * therefore private to one JVM. Something the child can open by name has to take its place. The two
 * candidates were a file mapped by both ({@link Mmap#map}, with the path passed to the child) and a
 * region of a Memoir store ({@link Mmap#open(Store, String, long)}, with the store directory passed to
 * the child). This example uses the store region:
 * <ul>
 *   <li>the code stays Python's {@code mmap} API on both sides, as with a file;</li>
 *   <li>a read never sees half a write (a plain file map can), so the child needs no sleep-and-hope;</li>
 *   <li>the parent waits for the child with {@link Process#waitFor()}, which replaces the seed's
 *       {@code time.sleep(2)} ("let the child run first") with certainty;</li>
 *   <li>and every write is journaled with the writer's pid: the parent can print what the child
 *       wrote and that the child wrote it, which an anonymous map forgets.</li>
 * </ul>
 * The store directory plays the role of the inherited mapping: it is created by the parent (a new
 * temporary directory unless one is given) and handed to the child on its command line.
 *
 * <p>Run: {@code mvn -q -pl examples exec:exec -Dexample=ParentChildSharedMemory [-Dexample.args=STORE_DIR]}.
 */
public final class ParentChildSharedMemory {
    /** The region standing in for the anonymous map. */
    static final String TAG = "parent_child";
    /** The seed's map length. */
    static final int LENGTH = 27;

    private ParentChildSharedMemory() {
    }

    /**
     * The parent.
     *
     * @param args optional store directory (default: a new temporary directory)
     * @throws IOException          if the temporary directory cannot be made
     * @throws InterruptedException if interrupted while waiting for the child
     */
    public static void main(final String[] args) throws IOException, InterruptedException {
        final Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("memoir-parent-child");
        try (Store store = Store.open(dir);
             Mmap mm = Mmap.open(store, TAG, LENGTH)) {
            mm.write("Original msg".getBytes(US_ASCII));
            System.out.println("write successfully");
            System.out.flush();

            final Process child = ExampleSupport.startJvm(Child.class, true, store.directory().toString());
            final int exit = child.waitFor();                   // the seed: time.sleep(2)
            if (exit != 0) {
                throw new IllegalStateException("child JVM failed: exit=" + exit);
            }
            mm.seek(0);
            System.out.println("Read from the child:");
            System.out.println(pyRepr(mm.readLine()));

            // What Python cannot tell: who wrote what, remembered in the journal.
            System.out.println("journal of " + TAG + ":");
            for (JournalEntry e : store.history(TAG)) {
                System.out.printf("  version %d %s offset=%d data=\"%s\" by pid %d%s%n", e.version(), e.op(),
                    e.offset(), e.dataPreview(30), e.writer(),
                    e.writer() == ProcessHandle.current().pid() ? " (parent)" : " (child)");
            }
        }
    }

    /** The child: the seed's {@code if pid == 0:} branch, in its own JVM. */
    public static final class Child {
        private Child() {
        }

        /**
         * Runs the child.
         *
         * @param args the store directory the parent created
         */
        public static void main(final String[] args) {
            try (Store store = Store.open(Path.of(args[0]));
                 Mmap mm = Mmap.open(store, TAG, LENGTH)) {
                mm.seek(0);
                System.out.println("Read from the mmap:");
                System.out.println(pyRepr(mm.readLine()));
                mm.setSlice(12L, null, null, " sth from child".getBytes(US_ASCII));
            }
        }
    }
}
