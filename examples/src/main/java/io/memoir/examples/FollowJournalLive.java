package io.memoir.examples;

import static io.memoir.examples.ExampleSupport.arg;
import static io.memoir.examples.ExampleSupport.intArg;
import static java.nio.charset.StandardCharsets.US_ASCII;

import io.memoir.store.JournalEntry;
import io.memoir.store.Op;
import io.memoir.store.Region;
import io.memoir.store.Store;
import io.memoir.store.Watch;
import io.memoir.store.Watcher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Python's {@code mmap} cannot do: follow every change live from another process, as
 * {@code tail -f} follows a log (and as the {@code memoir tail -f} command does). The seeds' readers
 * poll the memory once a second and print what is there: changes made between two polls are never
 * seen. Here a follower reads the store's journal as it grows ({@link Store#watch} with
 * {@link Watch#all()}{@code .fromNow()}): every write of every process, in order, once, with who
 * made it, when, and what it wrote.
 *
 * <p>Extends the seeds' tagname client ({@code client.py} of seed {@code 002_5be9d9842a581fde.txt},
 * ported as {@link TagnameServerClient}); the writer here writes {@code tick N} into the region
 * {@code ticker} and an object {@code status} at each step, as fast as it likes.
 *
 * <p>Run, in two terminals, the follower first (both default to the store
 * {@code <tmpdir>/memoir-examples/journal}):
 * <pre>
 * mvn -q -pl examples exec:exec -Dexample=FollowJournalLive -Dexample.args="follow [STORE [ENTRIES [IDLE_S]]]"
 * mvn -q -pl examples exec:exec -Dexample=FollowJournalLive -Dexample.args="write [STORE [COUNT [INTERVAL_MS]]]"
 * </pre>
 * Defaults: the writer makes 5 steps 200 ms apart; the follower stops after {@code ENTRIES} entries
 * (default 100) or {@code IDLE_S} seconds (default 10) without one.
 */
public final class FollowJournalLive {
    private FollowJournalLive() {
    }

    /**
     * Runs one side.
     *
     * @param args {@code follow|write}, then that side's optional arguments (see the class comment)
     * @throws InterruptedException if interrupted while sleeping
     */
    public static void main(final String[] args) throws InterruptedException {
        final String role = arg(args, 0, "");
        final Path dir = Path.of(arg(args, 1, ExampleSupport.defaultPath("journal").toString()));
        switch (role) {
            case "follow" -> follow(dir, intArg(args, 2, 100), intArg(args, 3, 10));
            case "write" -> write(dir, intArg(args, 2, 5), intArg(args, 3, 200));
            default -> ExampleSupport.usage("usage: FollowJournalLive follow [STORE [ENTRIES [IDLE_S]]]",
                "       FollowJournalLive write [STORE [COUNT [INTERVAL_MS]]]");
        }
    }

    static void follow(final Path dir, final int entries, final int idleSeconds) {
        try (Store store = Store.open(dir);
             Watcher watcher = store.watch(Watch.all().fromNow())) {
            System.out.println("following the journal of " + store.directory() + " from now");
            for (int n = 0; n < entries; n++) {
                final JournalEntry e = watcher.next(Duration.ofSeconds(idleSeconds));
                if (e == null) {
                    System.out.println("no change in " + idleSeconds + " s: stopping");
                    return;
                }
                System.out.println(format(e));
            }
        }
    }

    /** One entry, one line: what {@code memoir tail} prints, more or less. */
    static String format(final JournalEntry e) {
        // A PUT carries a whole object in binary form: decode it; other entries carry raw bytes.
        final String what = e.op() == Op.PUT ? "object=" + e.object(Object.class) : "data=\"" + e.dataPreview(40) + "\"";
        return String.format("index=0x%x tag=%s op=%s version=%d offset=%d length=%d %s pid=%d",
            e.index(), e.tag(), e.op(), e.version(), e.offset(), e.length(), what, e.writer());
    }

    static void write(final Path dir, final int count, final int intervalMs) throws InterruptedException {
        try (Store store = Store.open(dir)) {
            final Region ticker = store.region("ticker", 64);
            for (int i = 1; i <= count; i++) {
                final long v = ticker.write(0, ("tick " + i).getBytes(US_ASCII));
                final Map<String, Object> status = new LinkedHashMap<>();
                status.put("tick", i);
                status.put("ok", true);
                final long w = store.put("status", status);
                System.out.println("wrote ticker version " + v + " and status version " + w);
                if (i < count) {
                    Thread.sleep(intervalMs);
                }
            }
        }
    }
}
