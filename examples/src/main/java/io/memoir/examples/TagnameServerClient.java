package io.memoir.examples;

import static io.memoir.examples.ExampleSupport.arg;
import static io.memoir.examples.ExampleSupport.intArg;
import static java.nio.charset.StandardCharsets.US_ASCII;

import io.memoir.store.MemoirException;
import io.memoir.store.Store;
import io.memoir.store.mmap.Mmap;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The Windows {@code tagname} version of the writer/reader pair: no file is named, the two processes
 * meet at the shared memory called {@code test}. In Java the tag names a region of a Memoir store
 * that both JVMs open, through the same {@code mmap} API ({@link Mmap#open(Store, String, long, int)}).
 *
 * <p>Ports the second {@code server.py}/{@code client.py} pair of seed {@code 002_5be9d9842a581fde.txt}
 * (also seed {@code 004_2f2a7d35334d9b1c.txt}, and seed {@code 000_f72d29741e27a457.txt} section
 * "4.无关进程win通信"):
 * <pre>
 * # server                                                server
 * with contextlib.closing(mmap.mmap(-1, 1024, tagname='test',    Mmap.open(store, "test", 1024, ACCESS_WRITE)
 *                         access=mmap.ACCESS_WRITE)) as m:
 *   for i in range(1, 10001):                             for i in 1..count:
 *     m.seek(0); m.write("msg " + str(i)); m.flush()         seek(0), write, flush()
 *     time.sleep(1)                                          sleep(intervalMs)
 * # client                                                client
 * while True:                                             for each of reads:
 *   with contextlib.closing(mmap.mmap(-1, 1024, tagname='test',  Mmap.open(store, "test", 1024, ACCESS_READ)
 *                           access=mmap.ACCESS_READ)) as m:
 *     print(m.read(1024).replace('\x00', ''))                print(read(1024) without NULs)
 *   time.sleep(1)                                          sleep(intervalMs)
 * </pre>
 * What changes: the tag lives in a store directory (one per application) instead of the Windows
 * kernel, so it works on every OS and outlives the processes; each message is written atomically
 * (the client never sees half of one) and journaled (see {@link ReplayToPointInTime}). Because the
 * region outlives the server, the server's first write also clears it, as the file writer zero-fills its file.
 *
 * <p>Run, in two terminals (both default to the store {@code <tmpdir>/memoir-examples/tagname}):
 * <pre>
 * mvn -q -pl examples exec:exec -Dexample=TagnameServerClient -Dexample.args="server [STORE [COUNT [INTERVAL_MS]]]"
 * mvn -q -pl examples exec:exec -Dexample=TagnameServerClient -Dexample.args="client [STORE [READS [INTERVAL_MS [STOP_AT]]]]"
 * </pre>
 * Defaults: 10 messages and 10 reads, 500 ms apart; the client stops early on reading {@code STOP_AT}.
 */
public final class TagnameServerClient {
    /** The seed's tagname. */
    static final String TAGNAME = "test";
    /** The seed's map length. */
    static final int LENGTH = 1024;

    private TagnameServerClient() {
    }

    /**
     * Runs one side.
     *
     * @param args {@code server|client}, then that side's optional arguments (see the class comment)
     * @throws InterruptedException if interrupted while sleeping
     */
    public static void main(final String[] args) throws InterruptedException {
        final String role = arg(args, 0, "");
        final Path dir = Path.of(arg(args, 1, ExampleSupport.defaultPath("tagname").toString()));
        switch (role) {
            case "server" -> server(dir, intArg(args, 2, 10), intArg(args, 3, 500));
            case "client" -> client(dir, intArg(args, 2, 10), intArg(args, 3, 500), arg(args, 4, null));
            default -> ExampleSupport.usage("usage: TagnameServerClient server [STORE [COUNT [INTERVAL_MS]]]",
                "       TagnameServerClient client [STORE [READS [INTERVAL_MS [STOP_AT]]]]");
        }
    }

    static void server(final Path dir, final int count, final int intervalMs) throws InterruptedException {
        try (Store store = Store.open(dir);
             Mmap m = Mmap.open(store, TAGNAME, LENGTH, Mmap.ACCESS_WRITE)) {   // created zero-filled if new
            for (int i = 1; i <= count; i++) {
                final byte[] msg = ("msg " + i).getBytes(US_ASCII);
                m.seek(0);
                // The first write also clears what an earlier run left, in the same atomic step.
                m.write(i == 1 ? Arrays.copyOf(msg, LENGTH) : msg);
                m.flush();
                System.out.println("wrote msg " + i);
                if (i < count) {
                    Thread.sleep(intervalMs);
                }
            }
        }
    }

    static void client(final Path dir, final int reads, final int intervalMs, final String stopAt)
        throws InterruptedException {
        try (Store store = Store.open(dir)) {
            for (int n = 1; n <= reads; n++) {
                String s;
                try (Mmap m = Mmap.open(store, TAGNAME, LENGTH, Mmap.ACCESS_READ)) {
                    s = ExampleSupport.withoutNuls(m.read(LENGTH));
                } catch (MemoirException.RegionNotFoundException e) {
                    s = "(no region " + TAGNAME + " yet: start the server)";
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
}
