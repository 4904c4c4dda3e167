package io.memoir.examples;

import static io.memoir.examples.ExampleSupport.intArg;
import static java.nio.charset.StandardCharsets.US_ASCII;

import io.memoir.store.At;
import io.memoir.store.JournalEntry;
import io.memoir.store.Region;
import io.memoir.store.Snapshot;
import io.memoir.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What Python's {@code mmap} cannot do: go back in time. The tagname server of the seeds overwrites
 * {@code msg N} in place, and the previous message is gone. A Memoir region remembers: every write
 * is a journal entry with its time, and the region can be replayed as it was at any moment.
 *
 * <p>Extends the seeds' tagname server ({@code server.py} of seed {@code 002_5be9d9842a581fde.txt},
 * ported as {@link TagnameServerClient}): it writes {@code msg 1} to {@code msg N} into the region
 * {@code test}, and the configuration-like object {@code status} alongside; then it prints the
 * region's history, replays the store to a moment between two writes ({@link Store#replayUntilTime}),
 * to a journal index ({@link Store#replay}), and reads the object as it was then
 * ({@link Store#getJson(String, At)}).
 *
 * <p>Run (the store defaults to a new temporary directory):
 * <pre>
 * mvn -q -pl examples exec:exec -Dexample=ReplayToPointInTime [-Dexample.args="STORE [WRITES [INTERVAL_MS]]"]
 * </pre>
 * Defaults: 5 writes, 5 ms apart (so that each has its own time); it goes back to the middle one.
 */
public final class ReplayToPointInTime {
    /** The seeds' tagname. */
    static final String TAGNAME = "test";

    private ReplayToPointInTime() {
    }

    /**
     * Runs the example.
     *
     * @param args optional: store directory ("-": a new temporary one), writes, interval (ms)
     * @throws Exception on I/O failure or interruption
     */
    public static void main(final String[] args) throws Exception {
        final Path dir = args.length > 0 && !"-".equals(args[0]) ? Path.of(args[0])
            : Files.createTempDirectory("memoir-replay");
        final int writes = Math.max(2, intArg(args, 1, 5));
        final int intervalMs = intArg(args, 2, 5);
        try (Store store = Store.open(dir)) {
            final Region r = store.region(TAGNAME, 1024);
            final Map<Long, Integer> msgOfVersion = new HashMap<>();
            for (int i = 1; i <= writes; i++) {
                final long v = r.write(0, ("msg " + i).getBytes(US_ASCII));
                store.put("status", Map.of("last", "msg " + i, "count", i));
                msgOfVersion.put(v, i);
                System.out.println("wrote msg " + i + " (version " + v + ")");
                Thread.sleep(intervalMs);
            }

            System.out.println("history of " + TAGNAME + ":");
            final List<JournalEntry> history = store.history(TAGNAME);
            JournalEntry target = null;
            JournalEntry after = null;
            final int middle = (writes + 1) / 2;
            for (JournalEntry e : history) {
                System.out.printf("  %s version %d %s \"%s\"%n", Instant.ofEpochSecond(0, e.time()), e.version(), e.op(),
                    e.dataPreview(12));
                final Integer msg = msgOfVersion.get(e.version());
                if (msg != null && msg == middle) {
                    target = e;
                } else if (msg != null && msg == middle + 1) {
                    after = e;
                }
            }

            // A moment strictly between the write of msg <middle> and the next one.
            final long then = target.time() + (after.time() - target.time()) / 2;
            final Snapshot byTime = store.replayUntilTime(then);
            System.out.println("at " + Instant.ofEpochSecond(0, then) + " the region held: "
                + ExampleSupport.withoutNuls(byTime.content(TAGNAME)));
            final Snapshot byIndex = store.replay(target.index());
            System.out.println("at journal index 0x" + Long.toHexString(target.index()) + " the region held: "
                + ExampleSupport.withoutNuls(byIndex.content(TAGNAME)));
            System.out.println("at that moment status was: " + store.getJson("status", At.time(then)));
            System.out.println("now the region holds: " + ExampleSupport.withoutNuls(r.readAll()));
            System.out.println("now status is: " + store.getJson("status"));
        }
    }
}
