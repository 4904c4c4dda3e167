package io.memoir.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.memoir.store.JournalEntry;
import io.memoir.store.Region;
import io.memoir.store.Snapshot;
import io.memoir.store.Store;
import io.memoir.store.VerifyReport;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A first look at a Memoir store: a named region written in place, its journal, a replay to an
 * earlier point and a verify. Run it with {@code mvn -q -pl examples exec:exec} (see the README).
 *
 * <p>Ports the spirit of the seed articles' {@code mmap(-1, 1024, tagname="share_mmap")} example: the
 * tagname names shared memory; here it also remembers every write.
 */
public final class StoreTour {
    private StoreTour() {
    }

    /**
     * Runs the tour.
     *
     * @param args optional store directory (default: a new temporary directory)
     * @throws Exception on I/O failure
     */
    public static void main(final String[] args) throws Exception {
        final Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("memoir-tour");
        System.out.println("store: " + dir);
        try (Store store = Store.open(dir)) {
            final Region r = store.region("share_mmap", 1024);
            for (int i = 1; i <= 5; i++) {
                final byte[] msg = ("msg " + i).getBytes(UTF_8);
                final long version = r.write(0, msg);
                System.out.printf("wrote %-6s -> version %d%n", "msg " + i, version);
            }
            System.out.println("now: " + new String(r.read(0, 5), UTF_8));

            System.out.println("history of share_mmap:");
            long third = -1;
            for (JournalEntry e : store.history("share_mmap")) {
                System.out.printf("  index=%x version=%d op=%s offset=%d data=\"%s\"%n",
                    e.index(), e.version(), e.op(), e.offset(), e.dataPreview(20));
                if (e.version() == 3) {
                    third = e.index();
                }
            }
            final Snapshot then = store.replay(third);
            System.out.println("replayed to version 3: " + new String(then.content("share_mmap"), 0, 5, UTF_8));

            final VerifyReport report = store.verify();
            System.out.println("verify: " + (report.ok() ? "OK" : "FAILED " + report.differences())
                + " (" + report.regions() + " regions, " + report.entries() + " journal entries)");
        }
    }
}
